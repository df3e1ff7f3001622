using System.Diagnostics.CodeAnalysis;
using System.Text;
using GovMail.Core;
using GovMail.Core.Directory;
using GovMail.Core.Text;

namespace GovMail.Storage.Import;

/// <summary>The rows of a staff list, or the one reason the file could not be read at all.</summary>
public sealed record StaffListReadResult(IReadOnlyList<StaffListRow> Rows, Problem? Problem)
{
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool IsOk => Problem is null;

    public static StaffListReadResult Ok(IReadOnlyList<StaffListRow> rows) => new(rows, null);
    public static StaffListReadResult Fail(Problem problem) => new([], problem);
}

/// <summary>
/// Reads an agency's staff list (danh sách cán bộ) from an Excel workbook (.xlsx, first visible sheet) or a CSV
/// file, as agencies keep them: a few title rows ("THỐNG KÊ …", the agency's name) above a row of column
/// headings in Vietnamese or English, then one row per official or unit. Only reading happens here; the rules
/// for each row are <see cref="StaffListCheck"/>'s.
/// </summary>
public static class StaffListReader
{
    public const int MaxDataRows = 100_000;
    public const int MaxFileMegabytes = SheetReader.MaxFileMegabytes;

    /// <summary>The heading row is looked for among this many non-blank rows at the top of the sheet.</summary>
    private const int HeaderSearchRows = SheetReader.HeaderSearchRows;

    private static SheetConsumer<StaffListReadResult> Consumer(string fileName) => new(
        row => Recognise(row) is var found ? (found.Count, found.ContainsKey(Column.Name)) : default,
        sheet => ToStaffList(sheet, fileName),
        StaffListReadResult.Fail);

    /// <summary>Reads the file at <paramref name="path"/>; its extension (.xlsx or .csv) says how.</summary>
    public static StaffListReadResult Read(string path) => SheetReader.Read(path, Consumer(Path.GetFileName(path)));

    /// <summary>Reads an uploaded file; <paramref name="fileName"/> gives the type by its extension and names the file in problems.</summary>
    public static StaffListReadResult Read(Stream stream, string fileName) => SheetReader.Read(stream, fileName, Consumer(fileName));

    private enum Column { Stt, Name, Title, Department, Agency, Phone, Address, StaffNumber, Kind, Issued }

    /// <summary>Column headings, as <see cref="HeadingKey"/> folds them, in Vietnamese and English.</summary>
    private static readonly Dictionary<string, Column> Headings = new(StringComparer.Ordinal)
    {
        ["stt"] = Column.Stt, ["so tt"] = Column.Stt, ["so thu tu"] = Column.Stt, ["tt"] = Column.Stt, ["no"] = Column.Stt,
        ["ho ten"] = Column.Name, ["ho va ten"] = Column.Name, ["ten the hien"] = Column.Name,
        ["full name"] = Column.Name, ["name"] = Column.Name, ["display name"] = Column.Name,
        ["chuc danh"] = Column.Title, ["chuc vu"] = Column.Title, ["tieu de"] = Column.Title,
        ["title"] = Column.Title, ["job title"] = Column.Title,
        ["phong ban"] = Column.Department, ["bo phan"] = Column.Department, ["bo phan phong ban"] = Column.Department,
        ["phong ban bo phan"] = Column.Department, ["department"] = Column.Department,
        ["co quan"] = Column.Agency, ["don vi"] = Column.Agency, ["co quan don vi"] = Column.Agency, ["agency"] = Column.Agency,
        ["dien thoai"] = Column.Phone, ["so dien thoai"] = Column.Phone, ["sdt"] = Column.Phone, ["dien thoai di dong"] = Column.Phone,
        ["so di dong"] = Column.Phone, ["phone"] = Column.Phone, ["phone number"] = Column.Phone, ["mobile"] = Column.Phone,
        ["dia chi hop thu"] = Column.Address, ["hop thu"] = Column.Address, ["dia chi email"] = Column.Address,
        ["dia chi thu dien tu"] = Column.Address, ["email"] = Column.Address, ["e mail"] = Column.Address,
        ["address"] = Column.Address, ["email address"] = Column.Address, ["mail address"] = Column.Address,
        ["ma can bo"] = Column.StaffNumber, ["ma cb"] = Column.StaffNumber, ["ma so"] = Column.StaffNumber,
        ["ma so can bo"] = Column.StaffNumber, ["ma nhan vien"] = Column.StaffNumber,
        ["staff number"] = Column.StaffNumber, ["staff no"] = Column.StaffNumber,
        ["ngay cap"] = Column.Issued, ["ngay cap hop thu"] = Column.Issued, ["ngay cap tai khoan"] = Column.Issued,
        ["issued"] = Column.Issued, ["issued on"] = Column.Issued, ["issue date"] = Column.Issued,
        ["loai"] = Column.Kind, ["loai tai khoan"] = Column.Kind, ["kind"] = Column.Kind, ["account kind"] = Column.Kind,
    };

    private static string HeadingKey(string heading) => SheetReader.HeadingKey(heading);

    private static Dictionary<Column, int> Recognise(SheetRow row)
    {
        var columns = new Dictionary<Column, int>();
        foreach (var (index, text) in row.Cells.OrderBy(c => c.Key))
            if (Headings.TryGetValue(HeadingKey(text), out var column)) columns.TryAdd(column, index);
        return columns;
    }

    private static StaffListReadResult ToStaffList(IEnumerable<SheetRow> sheet, string fileName)
    {
        Dictionary<Column, int>? columns = null;
        (int Row, Dictionary<Column, int> Columns)? partialHeading = null;
        var scanned = 0;
        var anyContent = false;
        var rows = new List<StaffListRow>();

        foreach (var row in sheet)
        {
            if (row.Cells.Count == 0) continue;
            anyContent = true;
            if (columns is null)
            {
                var found = Recognise(row);
                if (found.ContainsKey(Column.Name))
                {
                    if (!found.ContainsKey(Column.Agency))
                        return StaffListReadResult.Fail(Problem.Of("ImportAgencyColumnMissing", row.Number));
                    columns = found;
                }
                else
                {
                    if (partialHeading is null && found.Count >= 2) partialHeading = (row.Number, found);
                    if (++scanned >= HeaderSearchRows) break;
                }
                continue;
            }

            var staff = ToStaffRow(row, columns);
            if (staff is null) continue;
            if (rows.Count == MaxDataRows) return StaffListReadResult.Fail(Problem.Of("ImportTooManyRows", MaxDataRows));
            rows.Add(staff);
        }

        if (columns is null)
        {
            if (partialHeading is { } partial)
                return StaffListReadResult.Fail(Problem.Of(
                    partial.Columns.ContainsKey(Column.Agency) ? "ImportNameColumnMissing" : "ImportNameAndAgencyColumnsMissing", partial.Row));
            return StaffListReadResult.Fail(anyContent ? Problem.Of("ImportNoHeader") : Problem.Of("ImportFileEmpty", fileName));
        }
        return rows.Count == 0 ? StaffListReadResult.Fail(Problem.Of("ImportNoRows", fileName)) : StaffListReadResult.Ok(rows);
    }

    /// <summary>The row's fields, or null for a blank row (one with nothing but, perhaps, a pre-printed STT).</summary>
    private static StaffListRow? ToStaffRow(SheetRow row, Dictionary<Column, int> columns)
    {
        string? Field(Column column) =>
            columns.TryGetValue(column, out var index) && row.Cells.TryGetValue(index, out var text) ? text : null;

        var staff = new StaffListRow(
            row.Number, Field(Column.Stt), Field(Column.Name), Field(Column.Title), Field(Column.Department),
            Field(Column.Agency), RestoreLeadingZero(Field(Column.Phone)), Field(Column.Address),
            Field(Column.StaffNumber), Field(Column.Kind), Field(Column.Issued));
        return staff is { FullName: null, Title: null, Department: null, Agency: null, Phone: null, Address: null, StaffNumber: null, Kind: null, Issued: null }
            ? null
            : staff;
    }

    /// <summary>
    /// Excel drops the leading zero of a phone number typed into a number cell (0918595098 → 918595098,
    /// 84918595098 from +84…); put it back so that the number reads as the person wrote it.
    /// </summary>
    private static string? RestoreLeadingZero(string? phone)
    {
        if (phone is null || !phone.All(char.IsAsciiDigit)) return phone;
        return phone switch
        {
            { Length: 9 } when phone[0] is '3' or '5' or '7' or '8' or '9' => "0" + phone,
            { Length: 9 or 10 } when phone[0] == '2' => "0" + phone,
            { Length: 11 } when phone.StartsWith("84", StringComparison.Ordinal) && phone[2] != '0' => "+" + phone,
            _ => phone,
        };
    }
}
