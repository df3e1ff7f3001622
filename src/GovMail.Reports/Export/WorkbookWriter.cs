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
/// merged title rows, column widths and the <see cref="CellLook"/>s. Rows are streamed with <see cref="OpenXmlWriter"/>, so
/// a city-wide list of 100,000 accounts is not held as a document tree; text is written as inline strings.
/// </summary>
internal sealed class WorkbookWriter : IDisposable
{
    private readonly SpreadsheetDocument _doc;
    private readonly List<Sheet> _sheets = [];

    public WorkbookWriter(Stream stream)
    {
        _doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        var wb = _doc.AddWorkbookPart();
        wb.Workbook = new Workbook();
        var styles = wb.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Styles();
    }

    /// <summary>Starts a sheet; write its rows, then call <see cref="SheetBuilder.Done"/> before starting the next.</summary>
    public SheetBuilder AddSheet(string name, IReadOnlyList<double> columnWidths)
    {
        var part = _doc.WorkbookPart!.AddNewPart<WorksheetPart>();
        var sheet = new SheetBuilder(part, name, columnWidths);
        _sheets.Add(new Sheet { Id = _doc.WorkbookPart.GetIdOfPart(part), SheetId = (uint)(_sheets.Count + 1), Name = sheet.Name });
        return sheet;
    }

    public void Dispose()
    {
        _doc.WorkbookPart!.Workbook.AppendChild(new Sheets(_sheets));
        _doc.WorkbookPart.Workbook.Save();
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

/// <summary>One sheet being written, row by row, straight into its part.</summary>
internal sealed class SheetBuilder
{
    private readonly OpenXmlWriter _writer;
    private readonly List<string> _merges = [];

    internal SheetBuilder(WorksheetPart part, string name, IReadOnlyList<double> widths)
    {
        Name = name.Length > 31 ? name[..31] : name;
        _writer = OpenXmlWriter.Create(part);
        _writer.WriteStartElement(new Worksheet());
        _writer.WriteElement(new Columns(widths.Select((w, i) => new Column
        {
            Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true,
        })));
        _writer.WriteStartElement(new SheetData());
    }

    internal string Name { get; }

    public uint RowCount { get; private set; }

    // Element prototypes: the writer only reads their names, so one instance of each serves every cell.
    private static readonly Row RowElement = new();
    private static readonly Cell CellElement = new();
    private static readonly CellValue ValueElement = new();
    private static readonly InlineString InlineElement = new();
    private static readonly Text TextElement = new();
    private static readonly OpenXmlAttribute[] Preserve = [new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve")];

    /// <summary>A row of cells; null cells are left empty, numbers are written as numbers.</summary>
    public void Row(CellLook look, params object?[] cells)
    {
        var index = ++RowCount;
        var number = index.ToString(CultureInfo.InvariantCulture);
        _writer.WriteStartElement(RowElement, [new OpenXmlAttribute("r", "", number)]);
        for (var c = 0; c < cells.Length; c++)
        {
            var reference = WorkbookWriter.Column(c) + number;
            var isNumber = cells[c] is int or long or double;
            var style = ((uint)(look == CellLook.Cell && isNumber ? CellLook.Number : look)).ToString(CultureInfo.InvariantCulture);
            switch (cells[c])
            {
                case null:
                    if (look is not (CellLook.Cell or CellLook.Header)) continue;
                    _writer.WriteStartElement(CellElement, [new OpenXmlAttribute("r", "", reference), new OpenXmlAttribute("s", "", style)]);
                    _writer.WriteEndElement();
                    break;
                case var n when isNumber:
                    _writer.WriteStartElement(CellElement,
                        [new OpenXmlAttribute("r", "", reference), new OpenXmlAttribute("s", "", style), new OpenXmlAttribute("t", "", "n")]);
                    _writer.WriteStartElement(ValueElement);
                    _writer.WriteString(Convert.ToDouble(n, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                    _writer.WriteEndElement();
                    _writer.WriteEndElement();
                    break;
                default:
                    _writer.WriteStartElement(CellElement,
                        [new OpenXmlAttribute("r", "", reference), new OpenXmlAttribute("s", "", style), new OpenXmlAttribute("t", "", "inlineStr")]);
                    _writer.WriteStartElement(InlineElement);
                    _writer.WriteStartElement(TextElement, Preserve);
                    _writer.WriteString(Convert.ToString(cells[c], CultureInfo.InvariantCulture) ?? "");
                    _writer.WriteEndElement();
                    _writer.WriteEndElement();
                    _writer.WriteEndElement();
                    break;
            }
        }
        _writer.WriteEndElement();
    }

    /// <summary>A row with one text merged across <paramref name="span"/> columns (title, agency, section).</summary>
    public void Banner(CellLook look, string text, int span)
    {
        Row(look, text);
        if (span > 1) _merges.Add($"A{RowCount}:{WorkbookWriter.Column(span - 1)}{RowCount}");
    }

    public void Blank() => RowCount++;

    public void Done()
    {
        _writer.WriteEndElement(); // sheetData
        if (_merges.Count > 0) _writer.WriteElement(new MergeCells(_merges.Select(m => new MergeCell { Reference = m })));
        _writer.WriteEndElement(); // worksheet
        _writer.Close();
    }
}
