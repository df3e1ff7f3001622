using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GovMail.Core;
using GovMail.Core.Text;

namespace GovMail.Storage.Import;

/// <summary>A row of a sheet: its number in the file (1-based, as Excel and a text editor show it) and its non-blank cells by column.</summary>
public sealed record SheetRow(int Number, IReadOnlyDictionary<int, string> Cells);

/// <summary>What a reader of one kind of list does with a sheet: recognise its heading row, read its rows, say why it failed.</summary>
public sealed record SheetConsumer<T>(
    Func<SheetRow, (int Recognised, bool Complete)> Heading,
    Func<IEnumerable<SheetRow>, T> Consume,
    Func<Problem, T> Fail);

/// <summary>
/// Reads the first visible sheet of an Excel workbook (.xlsx) or a CSV file (UTF-8 or UTF-16, comma, semicolon or tab, RFC 4180
/// quoting) as rows of cells, bounded in size, for the lists agencies send: staff lists (<see cref="StaffListReader"/>) and HR change
/// files (<see cref="HrChangeFileReader"/>). What the columns mean is the consumer's business.
/// </summary>
public static class SheetReader
{
    public const int MaxFileMegabytes = 50;
    private const long MaxFileBytes = MaxFileMegabytes * 1024L * 1024L;

    /// <summary>The heading row is looked for among this many non-blank rows at the top of the sheet.</summary>
    public const int HeaderSearchRows = 100;

    /// <summary>Bounds what a compressed .xlsx part may expand to (a zip bomb), far above a 100,000-row sheet.</summary>
    private const long MaxCharactersInXlsxPart = 200_000_000;

    private static readonly char[] Separators = [',', ';', '\t'];

    /// <summary>Reads the file at <paramref name="path"/>; its extension (.xlsx or .csv) says how.</summary>
    public static T Read<T>(string path, SheetConsumer<T> consumer)
    {
        var fileName = Path.GetFileName(path);
        if (FileType(fileName) is null) return consumer.Fail(Problem.Of("ImportFileTypeUnknown", fileName));
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return Read(stream, fileName, consumer);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return consumer.Fail(Problem.Of("ImportFileUnreadable", fileName));
        }
    }

    /// <summary>Reads an uploaded file; <paramref name="fileName"/> gives the type by its extension and names the file in problems.</summary>
    public static T Read<T>(Stream stream, string fileName, SheetConsumer<T> consumer)
    {
        var type = FileType(fileName);
        if (type is null) return consumer.Fail(Problem.Of("ImportFileTypeUnknown", fileName));

        byte[]? bytes;
        try
        {
            bytes = ReadBounded(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
        {
            return consumer.Fail(Problem.Of("ImportFileUnreadable", fileName));
        }
        if (bytes is null) return consumer.Fail(Problem.Of("ImportFileTooLarge", fileName, MaxFileMegabytes));
        if (bytes.Length == 0) return consumer.Fail(Problem.Of("ImportFileEmpty", fileName));

        return type == ".xlsx" ? ReadXlsx(bytes, fileName, consumer) : ReadCsv(bytes, fileName, consumer);
    }

    private static string? FileType(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".xlsx" => ".xlsx",
            ".csv" => ".csv",
            _ => null,
        };

    /// <summary>The whole content, or null when it is larger than <see cref="MaxFileBytes"/>; counted while reading.</summary>
    private static byte[]? ReadBounded(Stream stream)
    {
        if (stream.CanSeek && stream.Length - stream.Position > MaxFileBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>"Bộ phận/ Phòng ban", "Họ và tên (*)", "E-mail" → "bo phan phong ban", "ho va ten", "e mail".</summary>
    public static string HeadingKey(string heading)
    {
        var key = VietnameseText.Key(heading);
        var sb = new StringBuilder(key.Length);
        foreach (var c in key) sb.Append(char.IsLetterOrDigit(c) ? c : ' ');
        return VietnameseText.Key(sb.ToString());
    }

    internal static string? CellText(string? raw)
    {
        if (raw is null) return null;
        var text = raw.Trim().Trim('\uFEFF', '\u200B').Trim();
        return text.Length == 0 ? null : text.Normalize(NormalizationForm.FormC);
    }

    // ---- .xlsx ----

    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private static T ReadXlsx<T>(byte[] bytes, string fileName, SheetConsumer<T> consumer)
    {
        // An .xls workbook and a password-protected .xlsx are both OLE compound files, not zip packages.
        if (bytes.AsSpan().StartsWith(OleSignature)) return consumer.Fail(Problem.Of("ImportXlsxOldOrEncrypted", fileName));
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var document = SpreadsheetDocument.Open(stream, false, new OpenSettings { MaxCharactersInPart = MaxCharactersInXlsxPart });
            if (document.WorkbookPart is not { } workbook) return consumer.Fail(Problem.Of("ImportXlsxCorrupt", fileName));
            if (FirstVisibleWorksheet(workbook) is not { } worksheet) return consumer.Fail(Problem.Of("ImportFileEmpty", fileName));
            var sharedStrings = SharedStrings(workbook.SharedStringTablePart);
            return consumer.Consume(XlsxRows(worksheet, sharedStrings));
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            // Whatever a damaged or hostile package throws (bad zip, bad XML, missing parts), the user's answer is the same.
            return consumer.Fail(Problem.Of("ImportXlsxCorrupt", fileName));
        }
    }

    private static WorksheetPart? FirstVisibleWorksheet(WorkbookPart workbook)
    {
        var sheets = workbook.Workbook?.Sheets?.Elements<Sheet>() ?? [];
        foreach (var sheet in sheets)
        {
            if (sheet.State is { } state && state.Value != SheetStateValues.Visible) continue;
            if (sheet.Id?.Value is { } id && workbook.GetPartById(id) is WorksheetPart part) return part;
        }
        return null;
    }

    private static List<string> SharedStrings(SharedStringTablePart? part)
    {
        var strings = new List<string>();
        if (part is null) return strings;
        using var reader = OpenXmlReader.Create(part);
        var more = reader.Read();
        while (more)
        {
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
            {
                strings.Add(ItemText((SharedStringItem)reader.LoadCurrentElement()!));
                more = !reader.EOF; // LoadCurrentElement has already moved past the item
            }
            else more = reader.Read();
        }
        return strings;
    }

    /// <summary>The text of a shared or inline string: plain, or rich-text runs; phonetic guides are not part of it.</summary>
    private static string ItemText(OpenXmlCompositeElement item)
    {
        if (item.GetFirstChild<Text>() is { } plain) return plain.Text;
        var sb = new StringBuilder();
        foreach (var run in item.Elements<Run>()) sb.Append(run.Text?.Text);
        return sb.ToString();
    }

    /// <summary>Streams the sheet row by row, so that memory stays flat whatever the number of rows.</summary>
    private static IEnumerable<SheetRow> XlsxRows(WorksheetPart worksheet, List<string> sharedStrings)
    {
        using var reader = OpenXmlReader.Create(worksheet);
        Dictionary<int, string>? cells = null;
        var rowNumber = 0;
        var column = -1;
        var more = reader.Read();
        while (more)
        {
            if (reader.ElementType == typeof(Row))
            {
                if (cells is not null) yield return new SheetRow(rowNumber, cells);
                cells = null;
                if (reader.IsStartElement)
                {
                    rowNumber = RowIndex(reader) ?? rowNumber + 1;
                    cells = [];
                    column = -1;
                }
                more = reader.Read();
            }
            else if (reader.ElementType == typeof(Cell) && reader.IsStartElement)
            {
                var cell = (Cell)reader.LoadCurrentElement()!;
                more = !reader.EOF; // LoadCurrentElement has already moved past the cell
                column = ColumnIndex(cell.CellReference?.Value) ?? column + 1;
                if (cells is not null && CellText(CellValueText(cell, sharedStrings)) is { } text) cells[column] = text;
            }
            else more = reader.Read();
        }
        if (cells is not null) yield return new SheetRow(rowNumber, cells);
    }

    private static int? RowIndex(OpenXmlReader reader)
    {
        foreach (var attribute in reader.Attributes)
            if (attribute.LocalName == "r" && int.TryParse(attribute.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0)
                return r;
        return null;
    }

    /// <summary>"C7" → 2; null when the reference is missing or not a cell reference.</summary>
    private static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        var index = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            var upper = char.ToUpperInvariant(c);
            if (upper is < 'A' or > 'Z') break;
            if (++letters > 3) return null;
            index = index * 26 + (upper - 'A' + 1);
        }
        return letters == 0 ? null : index - 1;
    }

    private static string? CellValueText(Cell cell, List<string> sharedStrings)
    {
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString) return cell.InlineString is { } inline ? ItemText(inline) : null;
        var value = cell.CellValue?.Text;
        if (value is null) return null;
        if (type == CellValues.SharedString)
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= sharedStrings.Count)
                throw new InvalidDataException("Shared string index out of range.");
            return sharedStrings[index];
        }
        if (type is null || type == CellValues.Number) return NumberText(value);
        return value;
    }

    /// <summary>A number cell as the user typed it: 918595098, not 918595098.0 or 9.18595098E+8.</summary>
    private static string NumberText(string value) =>
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number.ToString("0.############################", CultureInfo.InvariantCulture)
            : value;

    // ---- .csv ----

    private static T ReadCsv<T>(byte[] bytes, string fileName, SheetConsumer<T> consumer)
    {
        string text;
        try
        {
            text = Decode(bytes);
        }
        catch (DecoderFallbackException)
        {
            return consumer.Fail(Problem.Of("ImportCsvNotUtf8", fileName));
        }
        if (text.Contains('\0')) return consumer.Fail(Problem.Of("ImportCsvNotUtf8", fileName));

        var separator = DetectSeparator(text, consumer.Heading);
        var records = new CsvRecords(text, separator);
        var result = consumer.Consume(records.Read());
        return records.UnclosedQuoteLine is { } line ? consumer.Fail(Problem.Of("ImportCsvUnclosedQuote", line)) : result;
    }

    /// <summary>UTF-8 with or without a byte-order mark; UTF-16 when a mark says so (Excel's "Unicode text").</summary>
    private static string Decode(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        else if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return new UnicodeEncoding(false, false, true).GetString(span[2..]);
        else if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return new UnicodeEncoding(true, false, true).GetString(span[2..]);
        return new UTF8Encoding(false, true).GetString(span);
    }

    /// <summary>The separator under which the heading row is recognised best (comma on a tie).</summary>
    private static char DetectSeparator(string text, Func<SheetRow, (int Recognised, bool Complete)> heading)
    {
        var best = Separators[0];
        var bestScore = -1;
        foreach (var separator in Separators)
        {
            var score = 0;
            var scanned = 0;
            foreach (var row in new CsvRecords(text, separator).Read())
            {
                if (row.Cells.Count == 0) continue;
                var (recognised, complete) = heading(row);
                if (complete)
                {
                    score = HeaderSearchRows + recognised;
                    break;
                }
                score = Math.Max(score, recognised);
                if (++scanned >= HeaderSearchRows) break;
            }
            if (score > bestScore) (best, bestScore) = (separator, score);
        }
        return best;
    }

    /// <summary>RFC 4180 records: quoted fields may hold separators, doubled quotes and line breaks.</summary>
    private sealed class CsvRecords(string text, char separator)
    {
        /// <summary>Set when a quoted field runs to the end of the file: the line where its quote opened.</summary>
        public int? UnclosedQuoteLine { get; private set; }

        public IEnumerable<SheetRow> Read()
        {
            var pos = 0;
            var line = 1;
            var field = new StringBuilder();
            while (pos < text.Length)
            {
                var recordLine = line;
                var cells = new Dictionary<int, string>();
                var column = 0;
                var endOfRecord = false;
                while (!endOfRecord)
                {
                    field.Clear();
                    if (pos < text.Length && text[pos] == '"')
                    {
                        var quoteLine = line;
                        var closed = false;
                        pos++;
                        while (pos < text.Length)
                        {
                            var c = text[pos++];
                            if (c == '"')
                            {
                                if (pos < text.Length && text[pos] == '"') { field.Append('"'); pos++; }
                                else { closed = true; break; }
                            }
                            else
                            {
                                if (c == '\n' || (c == '\r' && (pos >= text.Length || text[pos] != '\n'))) line++;
                                field.Append(c);
                            }
                        }
                        if (!closed)
                        {
                            UnclosedQuoteLine = quoteLine;
                            yield break;
                        }
                    }
                    // Unquoted text, or anything left after a closing quote (kept rather than refused).
                    while (true)
                    {
                        if (pos >= text.Length) { endOfRecord = true; break; }
                        var c = text[pos++];
                        if (c == separator) break;
                        if (c is '\r' or '\n')
                        {
                            if (c == '\r' && pos < text.Length && text[pos] == '\n') pos++;
                            line++;
                            endOfRecord = true;
                            break;
                        }
                        field.Append(c);
                    }
                    if (CellText(field.ToString()) is { } value) cells[column] = value;
                    column++;
                }
                yield return new SheetRow(recordLine, cells);
            }
        }
    }
}
