namespace GovMail.Core.Directory;

/// <summary>
/// One row of an agency's staff list (danh sách cán bộ), as read from Excel or CSV, before any check.
/// Every field is the trimmed text of its cell, or null when the cell is empty or the column is absent.
/// <paramref name="RowNumber"/> is the row as the user sees it: the Excel row number, or the CSV line number.
/// </summary>
public sealed record StaffListRow(
    int RowNumber,
    string? Stt,
    string? FullName,
    string? Title,
    string? Department,
    string? Agency,
    string? Phone,
    string? Address,
    string? StaffNumber,
    string? Kind,
    string? Issued = null);
