using System.Globalization;
using System.Text.RegularExpressions;

namespace GovMail.Smtp.Outbound;

/// <summary>
/// What one delivery attempt learned about a recipient: the remote server's reply (<c>mx.example.org: 550 5.1.1 …</c>) or
/// a problem met before any reply (<c>4.4.1 connection refused …</c>). Kept as text in <c>outbound_recipients.LastReply</c>
/// and read back for delivery status notifications.
/// </summary>
public sealed partial record RelayReply(string? RemoteMta, int? Code, string Status, string Text)
{
    public bool IsPositive => Code is >= 200 and < 300;

    /// <summary>5xx or an X.x.x status starting with 5: trying again will not help.</summary>
    public bool IsPermanent => Code is >= 500 and < 600 || (Code is null && Status.StartsWith('5'));

    /// <summary>The reply of a remote server; the enhanced status code is taken from its text or derived from the code.</summary>
    public static RelayReply FromServer(string remoteMta, int code, string text)
    {
        text = string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        var status = EnhancedStatus().Match(text) is { Success: true } m && m.Value[0] == (char)('0' + code / 100)
            ? m.Value
            : $"{code / 100}.0.0";
        return new RelayReply(remoteMta, code, status, text);
    }

    /// <summary>A problem met before any reply, e.g. <c>Local("4.4.1", "connection refused")</c>.</summary>
    public static RelayReply Local(string status, string text) => new(null, null, status, text);

    /// <summary>A local mailbox that has no room for the message (5.2.2, RFC 3463).</summary>
    public static RelayReply MailboxFull(string address) => Local(MailboxFullStatus, $"mailbox of <{address}> is full");

    public bool IsMailboxFull => RemoteMta is null && Status == MailboxFullStatus;

    private const string MailboxFullStatus = "5.2.2";

    /// <summary>"smtp; 550 5.1.1 User unknown" for the DSN's Diagnostic-Code, or null when no server replied.</summary>
    public string? DiagnosticCode => Code is { } c ? $"smtp; {c} {Text}" : null;

    public override string ToString() => RemoteMta is not null && Code is { } c
        ? $"{RemoteMta}: {c.ToString(CultureInfo.InvariantCulture)} {Text}"
        : $"{Status} {Text}";

    /// <summary>Reads back what <see cref="ToString"/> stored.</summary>
    public static RelayReply? Parse(string? stored)
    {
        if (string.IsNullOrWhiteSpace(stored)) return null;
        var server = StoredServerReply().Match(stored);
        if (server.Success)
            return FromServer(server.Groups["mta"].Value, int.Parse(server.Groups["code"].Value, CultureInfo.InvariantCulture), server.Groups["text"].Value);
        var local = EnhancedStatus().Match(stored);
        return local.Success && local.Index == 0
            ? Local(local.Value, stored[local.Length..].Trim())
            : Local("4.0.0", stored);
    }

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex EnhancedStatus();

    [GeneratedRegex(@"^(?<mta>[^\s:]+): (?<code>[2-5]\d\d) (?<text>.*)$", RegexOptions.Singleline)]
    private static partial Regex StoredServerReply();
}
