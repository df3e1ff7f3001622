using System.Net;

namespace GovMail.Imap;

/// <summary>What an IMAP listener is for: 143 speaks plain text until STARTTLS, 993 starts with TLS.</summary>
public enum ImapListenerKind
{
    /// <summary>Port 143: STARTTLS, and no login before it.</summary>
    Imap,
    /// <summary>Port 993: implicit TLS.</summary>
    Imaps,
}

/// <summary>One endpoint the IMAP server listens on, and what it is for.</summary>
public sealed record ImapListenerOptions(IPEndPoint EndPoint, ImapListenerKind Kind);

/// <summary>Which form of non-synchronizing literals (<c>{n+}</c>) the server offers (RFC 7888); a server offers one, never both.</summary>
public enum NonSynchronizingLiterals
{
    /// <summary>LITERAL+: any size up to the command and message limits.</summary>
    LiteralPlus,
    /// <summary>LITERAL-: up to 4096 octets; a larger one is refused with BAD [TOOBIG] (and must be sent synchronizing).</summary>
    LiteralMinus,
}

/// <summary>Limits and settings of the IMAP server. The defaults suit a fresh install; the host binds them from configuration.</summary>
public sealed class ImapServerOptions
{
    public List<ImapListenerOptions> Listeners { get; set; } = [];

    /// <summary>The name in the greeting.</summary>
    public string ServerName { get; set; } = "GovMail";

    /// <summary>Where a user whose password must change is sent (the web's self-service page).</summary>
    public string PasswordChangeUrl { get; set; } = "https://localhost/";

    /// <summary>Open connections over all listeners. A city's phones sit in IDLE all day, so this is large.</summary>
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>Open connections from one address; an office behind one NAT address counts as one.</summary>
    public int MaxConnectionsPerIp { get; set; } = 200;

    /// <summary>How long a connection may wait before logging in.</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a logged-in client may stay silent between commands or in IDLE (RFC 9051: at least 30 minutes).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long each read inside a command (a literal, an AUTHENTICATE step) may take.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest command, its literals included, except APPEND's message.</summary>
    public int MaxCommandSize { get; set; } = 64 * 1024;

    /// <summary>Largest literal inside a command other than APPEND's message.</summary>
    public int MaxLiteralSize { get; set; } = 64 * 1024;

    /// <summary>Largest message APPEND takes (advertised as APPENDLIMIT). Default 50 MB, as SMTP.</summary>
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>LITERAL+ (the default) or LITERAL- (non-synchronizing literals up to 4096 octets only).</summary>
    public NonSynchronizingLiterals NonSynchronizingLiterals { get; set; } = NonSynchronizingLiterals.LiteralPlus;

    /// <summary>
    /// Expunges remembered per mailbox for QRESYNC's VANISHED (EARLIER); a client last synchronised before the oldest
    /// kept is told every UID of its that is gone instead.
    /// </summary>
    public int ExpungeLogLimit { get; set; } = GovMail.Storage.Mail.MailStore.DefaultExpungeLogLimit;

    /// <summary>Mistakes (BAD responses, failed logins) a session may make; the next one ends it.</summary>
    public int MaxBadCommands { get; set; } = 20;

    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws with a plain explanation if the options cannot work.</summary>
    public void Validate()
    {
        if (MaxConnections <= 0 || MaxConnectionsPerIp <= 0) throw new ArgumentException("IMAP connection limits must be positive.");
        if (LoginTimeout <= TimeSpan.Zero || CommandTimeout <= TimeSpan.Zero || TlsHandshakeTimeout <= TimeSpan.Zero)
            throw new ArgumentException("IMAP timeouts must be positive.");
        if (IdleTimeout < TimeSpan.FromMinutes(30)) throw new ArgumentException("IMAP IdleTimeout must be at least 30 minutes (RFC 9051 section 5.4).");
        if (MaxCommandSize < 8192) throw new ArgumentException("IMAP MaxCommandSize must be at least 8192.");
        if (MaxLiteralSize <= 0 || MaxLiteralSize > MaxCommandSize) throw new ArgumentException("IMAP MaxLiteralSize must be positive and at most MaxCommandSize.");
        if (MaxMessageSize <= 0) throw new ArgumentException("IMAP MaxMessageSize must be positive.");
        if (ExpungeLogLimit < 100) throw new ArgumentException("IMAP ExpungeLogLimit must be at least 100.");
        if (MaxBadCommands < 0) throw new ArgumentException("IMAP MaxBadCommands cannot be negative.");
        if (string.IsNullOrWhiteSpace(PasswordChangeUrl)) throw new ArgumentException("IMAP PasswordChangeUrl is required.");
    }
}
