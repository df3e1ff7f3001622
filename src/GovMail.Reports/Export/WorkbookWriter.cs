using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace GovMail.Reports.Export;

/// <summary>The few cell looks the official lists use.</summary>
internal enum CellLook : uint
{
    Plain = 0,
    /// <summary>The title block: bold, larger, centred.</summary>
    Title = 1,
    /// <summary>Agency and section rows: bold.</summary>
    Bold = 2,
    /// <summary>Column headers: bold, centred, bordered, wrapped.</summary>
    Header = 3,
    /// <summary>Table cells: bordered.</summary>
    Cell = 4,
    /// <summary>Table numbers: bordered, centred.</summary>
    Number = 5,
}

/// <summary>
/// A small writer of .xlsx workbooks (Office Open XML through DocumentFormat.OpenXml): sheets of rows of text and numbers,
/// merged title rows, column widths and the <see cref="CellLook"/>s. Text is written as inline strings.
/// </summary>
internal sealed class WorkbookWriter : IDisposable
{
    private readonly SpreadsheetDocument _doc;
    private readonly Sheets _sheets;
    private uint _nextSheetId = 1;

    public WorkbookWriter(Stream stream)
    {
        _doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        var wb = _doc.AddWorkbookPart();
        wb.Workbook = new Workbook();
        var styles = wb.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Styles();
        _sheets = wb.Workbook.AppendChild(new Sheets());
    }

    public SheetBuilder AddSheet(string name, IReadOnlyList<double> columnWidths) => new(this, name, columnWidths);

    internal void Finish(SheetBuilder sheet)
    {
        var part = _doc.WorkbookPart!.AddNewPart<WorksheetPart>();
        var columns = new Columns(sheet.Widths.Select((w, i) => new Column
        {
            Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true,
        }));
        var worksheet = new Worksheet(columns, sheet.Data);
        if (sheet.Merges.Count > 0) worksheet.Append(new MergeCells(sheet.Merges.Select(m => new MergeCell { Reference = m })));
        part.Worksheet = worksheet;
        _sheets.Append(new Sheet { Id = _doc.WorkbookPart.GetIdOfPart(part), SheetId = _nextSheetId++, Name = sheet.Name });
    }

    public void Dispose()
    {
        _doc.WorkbookPart!.Workbook.Save();
        _doc.Dispose();
    }

    public static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    private static Stylesheet Styles() => new(
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Times New Roman" }),
            new Font(new Bold(), new FontSize { Val = 13 }, new FontName { Val = "Times New Roman" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Times New Roman" })),
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
        new Borders(
            new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()),
            new Border(
                new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
                new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder())),
        new CellFormats(
            new CellFormat { FontId = 0, FillId = 0, BorderId = 0 },
            new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center })
                { FontId = 1, FillId = 0, BorderId = 0, ApplyFont = true, ApplyAlignment = true },
            new CellFormat { FontId = 2, FillId = 0, BorderId = 0, ApplyFont = true },
            new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true })
                { FontId = 2, FillId = 0, BorderId = 1, ApplyFont = true, ApplyBorder = true, ApplyAlignment = true },
            new CellFormat(new Alignment { Vertical = VerticalAlignmentValues.Center, WrapText = true })
                { FontId = 0, FillId = 0, BorderId = 1, ApplyBorder = true, ApplyAlignment = true },
            new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center })
                { FontId = 0, FillId = 0, BorderId = 1, ApplyBorder = true, ApplyAlignment = true }));
}

/// <summary>One sheet being written, row by row.</summary>
internal sealed class SheetBuilder(WorkbookWriter owner, string name, IReadOnlyList<double> widths)
{
    internal string Name { get; } = name.Length > 31 ? name[..31] : name;
    internal IReadOnlyList<double> Widths { get; } = widths;
    internal SheetData Data { get; } = new();
    internal List<string> Merges { get; } = [];

    public uint RowCount { get; private set; }

    /// <summary>A row of cells; null cells are left empty, numbers are written as numbers.</summary>
    public void Row(CellLook look, params object?[] cells)
    {
        var index = ++RowCount;
        var row = new Row { RowIndex = index };
        for (var c = 0; c < cells.Length; c++)
        {
            var reference = WorkbookWriter.Column(c) + index.ToString(CultureInfo.InvariantCulture);
            var cellLook = look == CellLook.Cell && cells[c] is int or long or double ? CellLook.Number : look;
            switch (cells[c])
            {
                case null:
                    if (look is CellLook.Cell or CellLook.Header) row.Append(new Cell { CellReference = reference, StyleIndex = (uint)cellLook });
                    break;
                case int or long or double:
                    row.Append(new Cell
                    {
                        CellReference = reference, DataType = CellValues.Number, StyleIndex = (uint)cellLook,
                        CellValue = new CellValue(Convert.ToDouble(cells[c], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)),
                    });
                    break;
                default:
                    row.Append(new Cell
                    {
                        CellReference = reference, DataType = CellValues.InlineString, StyleIndex = (uint)cellLook,
                        InlineString = new InlineString(new Text(Convert.ToString(cells[c], CultureInfo.InvariantCulture) ?? "")
                            { Space = SpaceProcessingModeValues.Preserve }),
                    });
                    break;
            }
        }
        Data.Append(row);
    }

    /// <summary>A row with one text merged across <paramref name="span"/> columns (title, agency, section).</summary>
    public void Banner(CellLook look, string text, int span)
    {
        Row(look, text);
        if (span > 1) Merges.Add($"A{RowCount}:{WorkbookWriter.Column(span - 1)}{RowCount}");
    }

    public void Blank() => RowCount++;

    public void Done() => owner.Finish(this);
}
