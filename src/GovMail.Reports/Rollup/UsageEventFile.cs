using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using GovMail.Core;
using GovMail.Core.Usage;

namespace GovMail.Reports.Rollup;

/// <summary>One event read from an import file, with the line it came from.</summary>
public sealed record ImportedEvent(int Line, string Address, DateTimeOffset At, UsageKind Kind, UsageProtocol Protocol, string? Ip);

/// <summary>A line of an import file that cannot be imported, and why.</summary>
public sealed record ImportLineError(int Line, Problem Problem);

/// <summary>
/// Reads historical usage events (docs/cli.md, <c>govmail usage import</c>): CSV with the header
/// <c>address,time,kind,protocol,ip</c> (any column order, <c>ip</c> optional) or JSON lines with the same fields.
/// </summary>
public static partial class UsageEventFile
{
    public static readonly string[] Kinds = ["login", "login-failed", "sent", "received", "read", "webmail"];
    public static readonly string[] Protocols = ["imap", "pop3", "smtp", "web", "activesync", "other"];

    /// <summary>Parses every line; the caller imports nothing when any line is in error.</summary>
    public static (List<ImportedEvent> Events, List<ImportLineError> Errors) Parse(TextReader reader, DateTimeOffset now)
    {
        var events = new List<ImportedEvent>();
        var errors = new List<ImportLineError>();
        string? line;
        var number = 0;
        Dictionary<string, int>? columns = null;
        bool? json = null;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (number == 1) line = line.TrimStart('\uFEFF');
            if (line.Trim().Length == 0) continue;
            json ??= line.TrimStart().StartsWith('{');
            if (json == true)
            {
                Add(ParseJson(number, line, now));
                continue;
            }
            if (columns is null)
            {
                columns = Header(line);
                if (columns is null)
                {
                    errors.Add(new ImportLineError(number, Problem.Of("UsageImportMissingHeader")));
                    return (events, errors);
                }
                continue;
            }
            Add(ParseCsv(number, line, columns, now));
        }
        return (events, errors);

        void Add(Result<ImportedEvent> r)
        {
            if (r.IsOk) events.Add(r.Value!);
            else errors.Add(new ImportLineError(number, r.Problem!));
        }
    }

    private static Dictionary<string, int>? Header(string line)
    {
        var names = SplitCsv(line).Select(n => n.Trim().ToLowerInvariant()).ToList();
        var map = new Dictionary<string, int>();
        for (var i = 0; i < names.Count; i++) map.TryAdd(names[i], i);
        return map.ContainsKey("address") && map.ContainsKey("time") && map.ContainsKey("kind") && map.ContainsKey("protocol") ? map : null;
    }

    private static Result<ImportedEvent> ParseCsv(int number, string line, Dictionary<string, int> columns, DateTimeOffset now)
    {
        var cells = SplitCsv(line);
        var needed = columns.Values.Max() + 1;
        if (cells.Count != columns.Count && cells.Count < needed)
            return Problem.Of("UsageImportWrongColumns", cells.Count, columns.Count);
        string? Cell(string name) => columns.TryGetValue(name, out var i) && i < cells.Count ? cells[i].Trim() : null;
        return Make(number, Cell("address"), Cell("time"), Cell("kind"), Cell("protocol"), Cell("ip"), now);
    }

    private static Result<ImportedEvent> ParseJson(int number, string line, DateTimeOffset now)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Problem.Of("UsageImportBadJson", "object");
            string? Field(string name) => doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()!.Trim() : null;
            return Make(number, Field("address"), Field("time"), Field("kind"), Field("protocol"), Field("ip"), now);
        }
        catch (JsonException e)
        {
            return Problem.Of("UsageImportBadJson", e.Message.Split('.')[0]);
        }
    }

    private static Result<ImportedEvent> Make(int number, string? address, string? time, string? kind, string? protocol, string? ip,
        DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(address)) return Problem.Of("UsageImportMissingField", "address");
        if (string.IsNullOrEmpty(time)) return Problem.Of("UsageImportMissingField", "time");
        if (string.IsNullOrEmpty(kind)) return Problem.Of("UsageImportMissingField", "kind");
        if (string.IsNullOrEmpty(protocol)) return Problem.Of("UsageImportMissingField", "protocol");
        if (!IsoWithOffset().IsMatch(time)
            || !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            return Problem.Of("UsageImportBadTime", time);
        if (at.Year < 2000 || at > now.AddMinutes(5)) return Problem.Of("UsageImportTimeOutOfRange", time);
        var k = Array.IndexOf(Kinds, kind.ToLowerInvariant());
        if (k < 0) return Problem.Of("UsageImportBadKind", kind);
        var p = Array.IndexOf(Protocols, protocol.ToLowerInvariant());
        if (p < 0) return Problem.Of("UsageImportBadProtocol", protocol);
        if (!string.IsNullOrEmpty(ip) && !IPAddress.TryParse(ip, out _)) return Problem.Of("UsageImportBadIp", ip);
        return new ImportedEvent(number, address.ToLowerInvariant(), at, (UsageKind)k, (UsageProtocol)p,
            string.IsNullOrEmpty(ip) ? null : ip);
    }

    /// <summary>Splits one CSV line, honouring double quotes.</summary>
    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex IsoWithOffset();
}
