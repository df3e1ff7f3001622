using System.Net;

namespace GovMail.Smtp;

/// <summary>One endpoint the SMTP server listens on, and what it is for.</summary>
public sealed record SmtpListenerOptions(IPEndPoint EndPoint, SmtpListenerKind Kind);

/// <summary>Limits and settings of the SMTP server. The defaults suit a fresh install; the host binds them from configuration.</summary>
public sealed class SmtpServerOptions
{
    /// <summary>The name the server gives in its greeting and EHLO reply (its MX host name).</summary>
    public string HostName { get; set; } = "localhost";

    public List<SmtpListenerOptions> Listeners { get; set; } = [];

    /// <summary>Largest message accepted, in octets, as received (advertised in EHLO SIZE). Default 50 MB.</summary>
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>Recipients per message; more get <c>452 4.5.3</c> and the client sends them in another message.</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Open connections over all listeners.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Open connections from one remote address over all listeners.</summary>
    public int MaxConnectionsPerIp { get; set; } = 20;

    /// <summary>How long the server waits for a command, and for each read inside a message (RFC 5321 section 4.5.3.2 suggests 5 minutes).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the whole content of one message (DATA, or one BDAT chunk) may take to arrive.</summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Where messages are written while they arrive; the sink takes them from there.</summary>
    public string SpoolDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "govmail-smtp-spool");

    /// <summary>Mistakes (unknown commands, syntax errors, bad sequence, failed AUTH) a session may make; the next one closes it with 421.</summary>
    public int MaxBadCommands { get; set; } = 10;

    /// <summary>Longest text line in DATA, CRLF included (RFC 5321 section 4.5.3.1.6); a message with a longer line is refused.</summary>
    public int MaxDataLineLength { get; set; } = 1000;

    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws with a plain explanation if the options cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HostName) || HostName.AsSpan().ContainsAny(" \r\n\t"))
            throw new ArgumentException($"SMTP HostName must be a host name, not '{HostName}'.");
        if (MaxMessageSize <= 0) throw new ArgumentException("SMTP MaxMessageSize must be positive.");
        if (MaxRecipients <= 0) throw new ArgumentException("SMTP MaxRecipients must be positive.");
        if (MaxConnections <= 0 || MaxConnectionsPerIp <= 0) throw new ArgumentException("SMTP connection limits must be positive.");
        if (CommandTimeout <= TimeSpan.Zero || DataTimeout <= TimeSpan.Zero || TlsHandshakeTimeout <= TimeSpan.Zero)
            throw new ArgumentException("SMTP timeouts must be positive.");
        if (MaxBadCommands < 0) throw new ArgumentException("SMTP MaxBadCommands cannot be negative.");
        if (MaxDataLineLength < 1000) throw new ArgumentException("SMTP MaxDataLineLength must be at least 1000 (RFC 5321).");
        if (string.IsNullOrWhiteSpace(SpoolDirectory)) throw new ArgumentException("SMTP SpoolDirectory is required.");
    }
}
