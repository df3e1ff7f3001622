using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace GovMail.Reports.Tests.Support;

/// <summary>An .xlsx opened back: sheet names, and per sheet the text of every cell by reference ("A1") and the merged ranges.</summary>
public sealed class WorkbookReader
{
    public WorkbookReader(byte[] bytes)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var wb = doc.WorkbookPart!;
        var shared = wb.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        foreach (var sheet in wb.Workbook.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)wb.GetPartById(sheet.Id!);
            var cells = new Dictionary<string, string>();
            foreach (var cell in part.Worksheet.Descendants<Cell>())
            {
                var text = cell.DataType?.Value == CellValues.InlineString ? cell.InlineString?.InnerText
                    : cell.DataType?.Value == CellValues.SharedString ? shared[int.Parse(cell.CellValue!.Text)]
                    : cell.CellValue?.Text;
                if (text is not null) cells[cell.CellReference!.Value!] = text;
            }
            var merged = part.Worksheet.Descendants<MergeCell>().Select(m => m.Reference!.Value!).ToList();
            Sheets.Add(sheet.Name!.Value!);
            _cells[sheet.Name!.Value!] = cells;
            _merged[sheet.Name!.Value!] = merged;
        }
    }

    private readonly Dictionary<string, Dictionary<string, string>> _cells = [];
    private readonly Dictionary<string, List<string>> _merged = [];

    public List<string> Sheets { get; } = [];

    /// <summary>The text of a cell, or null when it is empty.</summary>
    public string? Cell(string sheet, string reference) => _cells[sheet].GetValueOrDefault(reference);

    /// <summary>The texts of a row from column A to <paramref name="last"/>.</summary>
    public string?[] Row(string sheet, int row, char last = 'F') =>
        Enumerable.Range('A', last - 'A' + 1).Select(c => Cell(sheet, $"{(char)c}{row}")).ToArray();

    public IReadOnlyList<string> Merged(string sheet) => _merged[sheet];

    /// <summary>The highest row number with any text.</summary>
    public int LastRow(string sheet) => _cells[sheet].Keys.Max(k => int.Parse(k.TrimStart((char[])[.. Enumerable.Range('A', 26).Select(i => (char)i)])));
}
