using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace GovMail.Cli.Tests.Support;

/// <summary>
/// Writes a staff list the way an agency's Excel file looks: a title row above the headings, text in the shared-string
/// table, the STT column as numbers.
/// </summary>
internal static class StaffWorkbook
{
    public static void Write(string path, string title, IReadOnlyList<object?[]> rows)
    {
        using var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var sheetPart = workbook.AddNewPart<WorksheetPart>();
        var strings = workbook.AddNewPart<SharedStringTablePart>();
        strings.SharedStringTable = new SharedStringTable();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);

        var sheetData = new SheetData();
        uint rowNumber = 1;
        foreach (var values in new[] { new object?[] { title } }.Concat([[]]).Concat(rows))
        {
            var row = new Row { RowIndex = rowNumber };
            for (var c = 0; c < values.Length; c++)
            {
                var reference = $"{(char)('A' + c)}{rowNumber}";
                switch (values[c])
                {
                    case null:
                        break;
                    case int n:
                        row.Append(new Cell { CellReference = reference, CellValue = new CellValue(n) });
                        break;
                    case var text:
                        var s = text.ToString()!;
                        if (!index.TryGetValue(s, out var i))
                        {
                            i = index.Count;
                            index[s] = i;
                            strings.SharedStringTable.Append(new SharedStringItem(new Text(s)));
                        }
                        row.Append(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(i) });
                        break;
                }
            }
            sheetData.Append(row);
            rowNumber++;
        }
        sheetPart.Worksheet = new Worksheet(sheetData);
        var sheets = workbook.Workbook.AppendChild(new Sheets());
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Danh sách" });
        workbook.Workbook.Save();
    }
}
