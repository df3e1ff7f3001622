using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace GovMail.Storage.Import;

/// <summary>Writes a staff list in the columns <see cref="StaffListReader"/> reads, so an export can be edited and imported again.</summary>
public static class StaffListWriter
{
    public sealed record Entry(string FullName, string? Title, string? Department, string Agency, string? Phone, string Address,
        string? StaffNumber, string Kind, DateOnly? Issued = null);

    public static readonly string[] Header = ["STT", "Họ và tên", "Chức danh", "Phòng ban", "Cơ quan", "Điện thoại", "Địa chỉ hộp thư", "Mã cán bộ", "Loại", "Ngày cấp"];

    public static IReadOnlyList<string?[]> Rows(IReadOnlyList<Entry> entries) =>
        entries.Select((e, i) => new[]
        {
            (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), e.FullName, e.Title, e.Department, e.Agency,
            e.Phone, e.Address, e.StaffNumber, e.Kind, e.Issued?.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture),
        }).ToList();

    public static void WriteCsv(TextWriter w, IReadOnlyList<string?[]> rows)
    {
        w.WriteLine(string.Join(',', Header));
        foreach (var r in rows) w.WriteLine(string.Join(',', r.Select(Quote)));
    }

    private static string Quote(string? v)
    {
        if (string.IsNullOrEmpty(v)) return "";
        // A leading = + - @ would be a formula when the file is opened in Excel.
        if (v[0] is '=' or '@' || (v[0] is '+' or '-' && !Core.Directory.PhoneNumber.IsValid(v))) v = "'" + v;
        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }

    public static void WriteXlsx(string path, IReadOnlyList<string?[]> rows)
    {
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var wb = doc.AddWorkbookPart();
        wb.Workbook = new Workbook();
        var ws = wb.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        data.Append(MakeRow(1, Header));
        for (var i = 0; i < rows.Count; i++) data.Append(MakeRow((uint)(i + 2), rows[i]));
        ws.Worksheet = new Worksheet(data);
        wb.Workbook.AppendChild(new Sheets(new Sheet { Id = wb.GetIdOfPart(ws), SheetId = 1, Name = "Danh sách" }));
        wb.Workbook.Save();
    }

    private static Row MakeRow(uint index, IReadOnlyList<string?> cells)
    {
        var row = new Row { RowIndex = index };
        for (var c = 0; c < cells.Count; c++)
        {
            if (cells[c] is not { Length: > 0 } v) continue;
            row.Append(new Cell
            {
                CellReference = $"{(char)('A' + c)}{index}",
                DataType = CellValues.InlineString,
                InlineString = new InlineString(new Text(v) { Space = SpaceProcessingModeValues.Preserve }),
            });
        }
        return row;
    }
}
