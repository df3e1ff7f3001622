using System.Globalization;
using System.Text;

namespace GovMail.Smtp.Delivery;

/// <summary>The <c>Return-Path:</c> and <c>Received:</c> lines a server puts on top of a message it accepts (RFC 5321 §4.4).</summary>
public static class TraceHeaders
{
    /// <summary>The "with" keyword of RFC 3848 / RFC 6531 for how the message came in.</summary>
    public static string Protocol(SmtpEnvelope e) =>
        (e.SmtpUtf8 ? "UTF8SMTP" : "ESMTP") + (e.Tls ? "S" : "") + (e.AuthenticatedAs is null ? "" : "A");

    public static string Received(SmtpEnvelope e, string hostName, string id, DateTimeOffset at)
    {
        var sb = new StringBuilder();
        sb.Append("Received: from ").Append(Clean(e.HeloName)).Append(" ([").Append(e.RemoteAddress).Append("])\r\n");
        sb.Append("\tby ").Append(hostName).Append(" (GovMail) with ").Append(Protocol(e)).Append(" id ").Append(id);
        if (e.Recipients.Count == 1) sb.Append("\r\n\tfor <").Append(Clean(e.Recipients[0].Address)).Append('>');
        sb.Append("; ").Append(Rfc5322Date(at)).Append("\r\n");
        return sb.ToString();
    }

    public static string ReturnPath(string? mailFrom) => $"Return-Path: <{Clean(mailFrom ?? "")}>\r\n";

    public static string Rfc5322Date(DateTimeOffset at)
    {
        var local = Core.Time.VietnamTime.ToLocal(at);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return local.ToString("ddd, d MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + $"{sign}{abs.Hours:00}{abs.Minutes:00}";
    }

    // A HELO name or address never carries line breaks into a header.
    private static string Clean(string s) => s.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
}
