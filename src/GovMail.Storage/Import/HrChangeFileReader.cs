using GovMail.Core;
using GovMail.Core.Lifecycle;

namespace GovMail.Storage.Import;

/// <summary>The rows of an HR change file, or the one reason the file could not be read at all.</summary>
public sealed record HrChangeReadResult(IReadOnlyList<HrChangeRow> Rows, Problem? Problem)
{
    public bool IsOk => Problem is null;
}

/// <summary>
/// Reads an HR change file (danh sách biến động nhân sự: chuyển công tác, nghỉ hưu, thôi việc, hủy) from .xlsx or .csv with
/// <see cref="SheetReader"/>: title rows, then a heading row with at least the address and the change, then one row per person.
/// </summary>
public static class HrChangeFileReader
{
    public const int MaxDataRows = 10_000;

    private enum Column { Stt, Address, Name, Action, Effective, NewUnit, NewAddress, KeepOldUntil, ForwardTo, ForwardDays, Reason }

    private static readonly Dictionary<string, Column> Headings = new(StringComparer.Ordinal)
    {
        ["stt"] = Column.Stt, ["tt"] = Column.Stt, ["so tt"] = Column.Stt, ["no"] = Column.Stt,
        ["dia chi hop thu"] = Column.Address, ["hop thu"] = Column.Address, ["email"] = Column.Address, ["e mail"] = Column.Address,
        ["dia chi email"] = Column.Address, ["dia chi thu dien tu"] = Column.Address, ["address"] = Column.Address,
        ["ho ten"] = Column.Name, ["ho va ten"] = Column.Name, ["ten the hien"] = Column.Name, ["name"] = Column.Name, ["full name"] = Column.Name,
        ["thay doi"] = Column.Action, ["hinh thuc"] = Column.Action, ["noi dung thay doi"] = Column.Action, ["loai thay doi"] = Column.Action,
        ["bien dong"] = Column.Action, ["noi dung"] = Column.Action, ["action"] = Column.Action, ["change"] = Column.Action,
        ["ngay hieu luc"] = Column.Effective, ["ngay"] = Column.Effective, ["tu ngay"] = Column.Effective, ["effective"] = Column.Effective,
        ["effective date"] = Column.Effective,
        ["don vi moi"] = Column.NewUnit, ["don vi chuyen den"] = Column.NewUnit, ["noi chuyen den"] = Column.NewUnit, ["new unit"] = Column.NewUnit,
        ["dia chi moi"] = Column.NewAddress, ["hop thu moi"] = Column.NewAddress, ["new address"] = Column.NewAddress,
        ["giu dia chi cu den"] = Column.KeepOldUntil, ["keep old until"] = Column.KeepOldUntil,
        ["chuyen tiep den"] = Column.ForwardTo, ["forward to"] = Column.ForwardTo,
        ["so ngay chuyen tiep"] = Column.ForwardDays, ["forward days"] = Column.ForwardDays,
        ["ly do"] = Column.Reason, ["ghi chu"] = Column.Reason, ["quyet dinh"] = Column.Reason, ["so quyet dinh"] = Column.Reason,
        ["reason"] = Column.Reason, ["note"] = Column.Reason,
    };

    public static HrChangeReadResult Read(string path) => SheetReader.Read(path, Consumer(Path.GetFileName(path)));

    public static HrChangeReadResult Read(Stream stream, string fileName) => SheetReader.Read(stream, fileName, Consumer(fileName));

    private static SheetConsumer<HrChangeReadResult> Consumer(string fileName) => new(
        row => Recognise(row) is var found ? (found.Count, IsHeading(found)) : default,
        sheet => ToRows(sheet, fileName),
        problem => new HrChangeReadResult([], problem));

    private static bool IsHeading(Dictionary<Column, int> found) => found.ContainsKey(Column.Address) && found.ContainsKey(Column.Action);

    private static Dictionary<Column, int> Recognise(SheetRow row)
    {
        var columns = new Dictionary<Column, int>();
        foreach (var (index, text) in row.Cells.OrderBy(c => c.Key))
            if (Headings.TryGetValue(SheetReader.HeadingKey(text), out var column)) columns.TryAdd(column, index);
        return columns;
    }

    private static HrChangeReadResult ToRows(IEnumerable<SheetRow> sheet, string fileName)
    {
        Dictionary<Column, int>? columns = null;
        var scanned = 0;
        var rows = new List<HrChangeRow>();
        foreach (var row in sheet)
        {
            if (row.Cells.Count == 0) continue;
            if (columns is null)
            {
                var found = Recognise(row);
                if (IsHeading(found)) columns = found;
                else if (++scanned >= SheetReader.HeaderSearchRows) break;
                continue;
            }
            string? Field(Column c) => columns.TryGetValue(c, out var i) && row.Cells.TryGetValue(i, out var t) ? t : null;
            var change = new HrChangeRow(row.Number, Field(Column.Address), Field(Column.Name), Field(Column.Action), Field(Column.Effective),
                Field(Column.NewUnit), Field(Column.NewAddress), Field(Column.KeepOldUntil), Field(Column.ForwardTo), Field(Column.ForwardDays),
                Field(Column.Reason));
            if (change is { Address: null, Name: null, Action: null, Effective: null, NewUnit: null, NewAddress: null, KeepOldUntil: null,
                    ForwardTo: null, ForwardDays: null, Reason: null })
                continue;
            if (rows.Count == MaxDataRows) return new HrChangeReadResult([], Problem.Of("ImportTooManyRows", MaxDataRows));
            rows.Add(change);
        }
        if (columns is null) return new HrChangeReadResult([], Problem.Of("HrChangeNoHeader"));
        return rows.Count == 0 ? new HrChangeReadResult([], Problem.Of("ImportNoRows", fileName)) : new HrChangeReadResult(rows, null);
    }
}
