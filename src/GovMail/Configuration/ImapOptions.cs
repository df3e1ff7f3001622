using GovMail.Imap;

namespace GovMail.Configuration;

/// <summary>
/// Limits of the IMAP listeners (section <c>Imap</c> of appsettings.json / govmail.json, or <c>GOVMAIL__IMAP__…</c>).
/// The defaults are those of <see cref="ImapServerOptions"/>; <c>serve</c> checks them at start.
/// </summary>
public sealed class ImapOptions
{
    private static readonly ImapServerOptions Defaults = new();

    /// <summary>Open connections over both IMAP ports.</summary>
    public int MaxConnections { get; set; } = Defaults.MaxConnections;

    /// <summary>Open connections from one address (an office behind one NAT address counts as one).</summary>
    public int MaxConnectionsPerIp { get; set; } = Defaults.MaxConnectionsPerIp;

    /// <summary>How long a connection may wait before logging in, in seconds.</summary>
    public int LoginTimeoutSeconds { get; set; } = (int)Defaults.LoginTimeout.TotalSeconds;

    /// <summary>How long a logged-in client may stay silent or in IDLE, in minutes (at least 30, RFC 9051).</summary>
    public int IdleTimeoutMinutes { get; set; } = (int)Defaults.IdleTimeout.TotalMinutes;

    /// <summary>How long each read inside a command (a literal, an AUTHENTICATE step) may take, in seconds.</summary>
    public int CommandTimeoutSeconds { get; set; } = (int)Defaults.CommandTimeout.TotalSeconds;

    /// <summary>Longest command with its literals, APPEND's message aside, in kilobytes (at least 8).</summary>
    public int MaxCommandKilobytes { get; set; } = Defaults.MaxCommandSize / 1024;

    /// <summary>Largest literal inside a command other than APPEND's message, in kilobytes (at most MaxCommandKilobytes).</summary>
    public int MaxLiteralKilobytes { get; set; } = Defaults.MaxLiteralSize / 1024;

    /// <summary>Largest message APPEND takes, in megabytes (advertised as APPENDLIMIT); default: what SMTP takes (<c>Smtp:MaxMessageMegabytes</c>).</summary>
    public int? AppendLimitMegabytes { get; set; }

    /// <summary><c>LiteralPlus</c> (default, RFC 7888 LITERAL+) or <c>LiteralMinus</c> (non-synchronizing literals up to 4096 octets).</summary>
    public NonSynchronizingLiterals NonSynchronizingLiterals { get; set; } = Defaults.NonSynchronizingLiterals;

    /// <summary>Mistakes (BAD responses, failed logins) a session may make before it is closed.</summary>
    public int MaxBadCommands { get; set; } = Defaults.MaxBadCommands;

    /// <summary>Expunges remembered per mailbox for QRESYNC (at least 100).</summary>
    public int ExpungeLogLimit { get; set; } = Defaults.ExpungeLogLimit;

    /// <summary>The server's settings from these, for the given listeners; an unusable value is refused with a plain sentence.</summary>
    public ImapServerOptions ToServerOptions(List<ImapListenerOptions> listeners, string passwordChangeUrl, int smtpMaxMessageMegabytes)
    {
        var options = new ImapServerOptions
        {
            Listeners = listeners,
            PasswordChangeUrl = passwordChangeUrl,
            MaxConnections = MaxConnections,
            MaxConnectionsPerIp = MaxConnectionsPerIp,
            LoginTimeout = TimeSpan.FromSeconds(LoginTimeoutSeconds),
            IdleTimeout = TimeSpan.FromMinutes(IdleTimeoutMinutes),
            CommandTimeout = TimeSpan.FromSeconds(CommandTimeoutSeconds),
            MaxCommandSize = checked(MaxCommandKilobytes * 1024),
            MaxLiteralSize = checked(MaxLiteralKilobytes * 1024),
            MaxMessageSize = (AppendLimitMegabytes ?? smtpMaxMessageMegabytes) * 1024L * 1024,
            NonSynchronizingLiterals = NonSynchronizingLiterals,
            MaxBadCommands = MaxBadCommands,
            ExpungeLogLimit = ExpungeLogLimit,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new OptionsException("InvalidImapOption", e.Message);
        }
        return options;
    }
}
