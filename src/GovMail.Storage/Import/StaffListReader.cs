using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
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
    public const int MaxFileMegabytes = 50;
    private const long MaxFileBytes = MaxFileMegabytes * 1024L * 1024L;

    /// <summary>The heading row is looked for among this many non-blank rows at the top of the sheet.</summary>
    private const int HeaderSearchRows = 100;

    /// <summary>Bounds what a compressed .xlsx part may expand to (a zip bomb), far above a 100,000-row sheet.</summary>
    private const long MaxCharactersInXlsxPart = 200_000_000;

    private static readonly char[] Separators = [',', ';', '\t'];

    /// <summary>Reads the file at <paramref name="path"/>; its extension (.xlsx or .csv) says how.</summary>
    public static StaffListReadResult Read(string path)
    {
        var fileName = Path.GetFileName(path);
        if (FileType(fileName) is null) return StaffListReadResult.Fail(Problem.Of("ImportFileTypeUnknown", fileName));
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return Read(stream, fileName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return StaffListReadResult.Fail(Problem.Of("ImportFileUnreadable", fileName));
        }
    }

    /// <summary>Reads an uploaded file; <paramref name="fileName"/> gives the type by its extension and names the file in problems.</summary>
    public static StaffListReadResult Read(Stream stream, string fileName)
    {
        var type = FileType(fileName);
        if (type is null) return StaffListReadResult.Fail(Problem.Of("ImportFileTypeUnknown", fileName));

        byte[]? bytes;
        try
        {
            bytes = ReadBounded(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
        {
            return StaffListReadResult.Fail(Problem.Of("ImportFileUnreadable", fileName));
        }
        if (bytes is null) return StaffListReadResult.Fail(Problem.Of("ImportFileTooLarge", fileName, MaxFileMegabytes));
        if (bytes.Length == 0) return StaffListReadResult.Fail(Problem.Of("ImportFileEmpty", fileName));

        return type == ".xlsx" ? ReadXlsx(bytes, fileName) : ReadCsv(bytes, fileName);
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

    // ---- the sheet, whatever the file type: rows of non-blank cells by column index ----

    private sealed record SheetRow(int Number, IReadOnlyDictionary<int, string> Cells);

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

    /// <summary>"Bộ phận/ Phòng ban", "Họ và tên (*)", "E-mail" → "bo phan phong ban", "ho va ten", "e mail".</summary>
    private static string HeadingKey(string heading)
    {
        var key = VietnameseText.Key(heading);
        var sb = new StringBuilder(key.Length);
        foreach (var c in key) sb.Append(char.IsLetterOrDigit(c) ? c : ' ');
        return VietnameseText.Key(sb.ToString());
    }

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

    private static string? CellText(string? raw)
    {
        if (raw is null) return null;
        var text = raw.Trim().Trim('\uFEFF', '\u200B').Trim();
        return text.Length == 0 ? null : text.Normalize(NormalizationForm.FormC);
    }

    // ---- .xlsx ----

    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private static StaffListReadResult ReadXlsx(byte[] bytes, string fileName)
    {
        // An .xls workbook and a password-protected .xlsx are both OLE compound files, not zip packages.
        if (bytes.AsSpan().StartsWith(OleSignature)) return StaffListReadResult.Fail(Problem.Of("ImportXlsxOldOrEncrypted", fileName));
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var document = SpreadsheetDocument.Open(stream, false, new OpenSettings { MaxCharactersInPart = MaxCharactersInXlsxPart });
            if (document.WorkbookPart is not { } workbook) return StaffListReadResult.Fail(Problem.Of("ImportXlsxCorrupt", fileName));
            if (FirstVisibleWorksheet(workbook) is not { } worksheet) return StaffListReadResult.Fail(Problem.Of("ImportFileEmpty", fileName));
            var sharedStrings = SharedStrings(workbook.SharedStringTablePart);
            return ToStaffList(XlsxRows(worksheet, sharedStrings), fileName);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            // Whatever a damaged or hostile package throws (bad zip, bad XML, missing parts), the user's answer is the same.
            return StaffListReadResult.Fail(Problem.Of("ImportXlsxCorrupt", fileName));
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

    private static StaffListReadResult ReadCsv(byte[] bytes, string fileName)
    {
        string text;
        try
        {
            text = Decode(bytes);
        }
        catch (DecoderFallbackException)
        {
            return StaffListReadResult.Fail(Problem.Of("ImportCsvNotUtf8", fileName));
        }
        if (text.Contains('\0')) return StaffListReadResult.Fail(Problem.Of("ImportCsvNotUtf8", fileName));

        var separator = DetectSeparator(text);
        var records = new CsvRecords(text, separator);
        var result = ToStaffList(records.Read(), fileName);
        return records.UnclosedQuoteLine is { } line ? StaffListReadResult.Fail(Problem.Of("ImportCsvUnclosedQuote", line)) : result;
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
    private static char DetectSeparator(string text)
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
                var found = Recognise(row);
                if (found.ContainsKey(Column.Name))
                {
                    score = HeaderSearchRows + found.Count;
                    break;
                }
                score = Math.Max(score, found.Count);
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
