using System.Text;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Protocol;

/// <summary>
/// Mailbox names between the wire and the store: modified UTF-7 (or UTF-8 once the client enabled UTF8=ACCEPT) on the
/// wire, NFC Unicode with <c>/</c> between levels in the store; <c>INBOX</c> in any case is INBOX.
/// </summary>
public static class MailboxName
{
    public const string Inbox = "INBOX";

    /// <summary>Longest name the store keeps.</summary>
    public const int MaxLength = 500;

    /// <summary>The stored form of a name as a client sent it, or null when it cannot be a mailbox name.</summary>
    public static string? FromWire(string wire, bool utf8)
    {
        var name = wire;
        if (!utf8 && !ModifiedUtf7.TryDecode(wire, out name)) return null;
        return Normalize(name);
    }

    /// <summary>How a stored name is sent.</summary>
    public static string ToWire(string name, bool utf8) => utf8 ? name : ModifiedUtf7.Encode(name);

    /// <summary>NFC, INBOX in capitals (also as a parent: <c>inbox/x</c> is <c>INBOX/x</c>), no trailing separator.</summary>
    public static string Normalize(string name)
    {
        if (!name.IsNormalized(NormalizationForm.FormC)) name = name.Normalize(NormalizationForm.FormC);
        if (name.Length >= 5 && name.AsSpan(0, 5).Equals(Inbox, StringComparison.OrdinalIgnoreCase) &&
            (name.Length == 5 || name[5] == MailStore.Separator) && !name.StartsWith(Inbox, StringComparison.Ordinal))
            name = Inbox + name[5..];
        return name;
    }

    /// <summary>
    /// Whether a name may be created: not empty, no empty level (<c>a//b</c>, <c>/a</c>), no wildcard or control
    /// character, not too long. A trailing separator is dropped first (RFC 3501 CREATE).
    /// </summary>
    public static bool IsValidNew(ref string name)
    {
        if (name.Length > 0 && name[^1] == MailStore.Separator) name = name[..^1];
        if (name.Length == 0 || name.Length > MaxLength) return false;
        if (name[0] == MailStore.Separator || name.Contains("//", StringComparison.Ordinal)) return false;
        foreach (var c in name)
            if (c is '*' or '%' || char.IsControl(c)) return false;
        return true;
    }
}
