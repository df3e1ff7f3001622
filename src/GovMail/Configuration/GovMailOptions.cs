using GovMail.Storage.Database;

namespace GovMail.Configuration;

/// <summary>
/// Every setting of a GovMail node. Read, in order, from <c>appsettings.json</c> beside the program, <c>govmail.json</c> in
/// the data folder, <c>GOVMAIL__…</c> environment variables (<c>GOVMAIL__DATABASE__PROVIDER=postgres</c>) and the command line.
/// A fresh <c>govmail serve</c> needs none of it.
/// </summary>
public sealed class GovMailOptions
{
    /// <summary>The data folder: SQLite database, blobs, TLS certificate. Also <c>--data</c> and <c>GOVMAIL_DATA</c>.</summary>
    public string Data { get; set; } = "./data";

    public DatabaseOptions Database { get; set; } = new();
    public ListenerOptions Listeners { get; set; } = new();
    public TenantDefaults Tenant { get; set; } = new();
    public SecurityOptions Security { get; set; } = new();

    /// <summary>Official-use safeguards (seed 004): domain lists (section <c>Safeguards</c>).</summary>
    public SafeguardOptions Safeguards { get; set; } = new();
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Where message bodies live: a folder (default) or an S3-compatible bucket (section <c>Blobs</c>, docs/blob-storage.md).</summary>
    public Storage.Blobs.BlobStoreOptions Blobs { get; set; } = new();

    /// <summary>The TLS certificate files (section <c>Tls</c>); default <c>DATA/tls/govmail.pfx</c>. Reloaded when they change.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>How long Trash and Junk keep mail (section <c>Retention</c>).</summary>
    public RetentionOptions Retention { get; set; } = new();

    /// <summary>Limits of the IMAP listeners (section <c>Imap</c>).</summary>
    public ImapOptions Imap { get; set; } = new();

    /// <summary>The outbound queue relay: transport map, retries, delay notices (section <c>Outbound</c>).</summary>
    public Smtp.Outbound.OutboundRelayOptions Outbound { get; set; } = new();

    /// <summary>The name this server gives itself in greetings and Received: lines (default: mail.PRIMARY-DOMAIN).</summary>
    public string? HostName { get; set; }

    /// <summary>The web address users are sent to, e.g. to change a temporary password (default: https://HOSTNAME/).</summary>
    public string? PublicUrl { get; set; }

    /// <summary>After a burst of work, once the process is quiet, one full compacting GC and malloc_trim (<see cref="Hosting.IdleMemoryTrim"/>).</summary>
    public bool IdleMemoryTrim { get; set; } = true;

    public string DataDirectory => Path.GetFullPath(Data);
    /// <summary>The folder of the <c>file</c> blob store (<c>Blobs:Path</c>, default <c>DATA/blobs</c>).</summary>
    public string BlobDirectory => Blobs.DirectoryIn(DataDirectory);
    public string TlsDirectory => Path.Combine(DataDirectory, "tls");
    public string SpoolDirectory => Path.Combine(DataDirectory, "spool");

    public DatabaseSettings DatabaseSettings
    {
        get
        {
            var provider = string.IsNullOrWhiteSpace(Database.Provider) ? DatabaseProvider.Sqlite
                : DatabaseSettings.ParseProvider(Database.Provider) ?? throw new OptionsException("UnknownDatabaseProvider", Database.Provider);
            if (string.IsNullOrEmpty(Database.ConnectionString))
                return provider == DatabaseProvider.Sqlite ? DatabaseSettings.SqliteIn(DataDirectory) : throw new OptionsException("ConnectionStringRequired");
            return new DatabaseSettings(provider, Database.ConnectionString);
        }
    }
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string? Provider { get; set; }

    /// <summary>For PostgreSQL an Npgsql connection string; for SQLite optional (default: govmail.db in the data folder).</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>Ports of the listeners; 0 turns a listener off.</summary>
public sealed class ListenerOptions
{
    /// <summary>Address to listen on; empty means every address.</summary>
    public string? Bind { get; set; }
    public int Smtp { get; set; } = 25;
    public int Submission { get; set; } = 587;
    public int Submissions { get; set; } = 465;
    public int Imap { get; set; } = 143;
    public int Imaps { get; set; } = 993;
    public int Http { get; set; } = 80;
    public int Https { get; set; } = 443;
}

/// <summary>The tenant <c>serve</c> creates by itself in an empty data folder.</summary>
public sealed class TenantDefaults
{
    public string Domain { get; set; } = "govmail.local";
    public string Name { get; set; } = "GovMail";
}

/// <summary>Limits of the SMTP listeners.</summary>
public sealed class SmtpOptions
{
    /// <summary>Largest message accepted, in megabytes (default 50).</summary>
    public int MaxMessageMegabytes { get; set; } = 50;
    public int MaxRecipients { get; set; } = 100;
    public int MaxConnections { get; set; } = 1000;
    public int MaxConnectionsPerIp { get; set; } = 20;
    public int CommandTimeoutSeconds { get; set; } = 300;

    /// <summary>SPF, DKIM and DMARC checks on mail arriving over MX (port 25), written as Authentication-Results (default on).</summary>
    public bool InboundChecks { get; set; } = true;

    /// <summary>Longest wait for one DNS answer during the inbound checks, in seconds; past it the check says temperror.</summary>
    public int DnsTimeoutSeconds { get; set; } = 5;
}

/// <summary>Certificate files of the SMTP, IMAP and HTTPS listeners, read again on change (a renewal needs no restart).</summary>
public sealed class TlsOptions
{
    /// <summary>A PEM certificate (full chain allowed) or a <c>.pfx</c>/<c>.p12</c> file; empty: <c>DATA/tls/govmail.pfx</c>.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key, when it is not in <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }
}

/// <summary>The retention purge <c>serve</c> runs daily (03:30): 0 days keeps that folder's mail for ever.</summary>
public sealed class RetentionOptions
{
    /// <summary>Days a message stays in Trash (Thùng rác) after it was put there (default 30).</summary>
    public int TrashDays { get; set; } = 30;

    /// <summary>Days a message stays in Junk (Thư rác) after it arrived or was moved there (default 30).</summary>
    public int JunkDays { get; set; } = 30;
}

public sealed class SafeguardOptions
{
    /// <summary>Public webmail domains official mail may not be forwarded to (default: <see cref="Core.Security.OfficialUse.PublicMailDomains"/>).</summary>
    public List<string>? PublicMailDomains { get; set; }

    /// <summary>Sender domains of social networks, e-commerce and e-banking for <c>report registrations</c>.</summary>
    public List<string>? RegistrationSenderDomains { get; set; }

    public IReadOnlyCollection<string> PublicMail => PublicMailDomains is { Count: > 0 } l ? l : Core.Security.OfficialUse.PublicMailDomains.ToList();
    public IReadOnlyCollection<string> RegistrationSenders =>
        RegistrationSenderDomains is { Count: > 0 } l ? l : Core.Security.OfficialUse.RegistrationSenderDomains.ToList();
}

public sealed class SecurityOptions
{
    /// <summary>Argon2id memory cost in KiB (OWASP minimum 19456).</summary>
    public int PasswordHashMemoryKiB { get; set; } = 19456;

    /// <summary>Argon2id passes.</summary>
    public int PasswordHashIterations { get; set; } = 2;

    /// <summary>
    /// Base64 of 32 bytes that encrypt the administrators' TOTP secrets; the same on every node sharing a database. Empty: a key
    /// file <c>secret.key</c> created in the data folder.
    /// </summary>
    public string? SecretKey { get; set; }
}

/// <summary>A configuration value that cannot be used; the code names the message.</summary>
public sealed class OptionsException(string code, params object?[] args) : Exception(code)
{
    public Core.Problem Problem { get; } = Core.Problem.Of(code, args);
}
