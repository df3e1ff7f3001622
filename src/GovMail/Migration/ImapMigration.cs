using System.Net;
using GovMail.Core.Progress;
using GovMail.Core;
using GovMail.Core.Mail;
using GovMail.Storage.Mail;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace GovMail.Migration;

/// <summary>The old IMAP server and how to log in to it: each account's own password, or one master (admin) login.</summary>
public sealed record ImapSource(string Host, int Port, SecureSocketOptions Security, bool AcceptAnyCertificate,
    string? MasterUser, string? MasterPassword)
{
    /// <summary>Reads <c>imaps://host[:993]</c> (implicit TLS) or <c>imap://host[:143]</c> (STARTTLS when offered).</summary>
    public static Result<ImapSource> Parse(string url, bool acceptAnyCertificate, string? masterUser, string? masterPassword)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("imap" or "imaps") || uri.Host.Length == 0
            || uri.AbsolutePath is not ("" or "/") || uri.UserInfo.Length > 0)
            return Problem.Of("MigrateBadSource", url);
        var tls = uri.Scheme == "imaps";
        return new ImapSource(uri.IdnHost, uri.IsDefaultPort ? (tls ? 993 : 143) : uri.Port,
            tls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, acceptAnyCertificate, masterUser, masterPassword);
    }

    /// <summary>How the copied folders are remembered: one source per server and remote login.</summary>
    public string Key(string remoteUser) =>
        $"{(Security == SecureSocketOptions.SslOnConnect ? "imaps" : "imap")}://{Host.ToLowerInvariant()}:{Port}/{remoteUser}";
}

/// <summary>One line of the accounts file: the GovMail address, the login at the old server, its password (none with a master login).</summary>
public sealed record MigrationAccount(int Line, string Address, string RemoteUser, string? Password);

/// <summary>What one account's run did.</summary>
public sealed class AccountMigrationResult(string address)
{
    public string Address { get; } = address;
    public int Folders { get; set; }
    public long Copied { get; set; }
    public long Bytes { get; set; }
    public long AlreadyThere { get; set; }
    public List<string> Warnings { get; } = [];
    public Problem? Error { get; set; }

    /// <summary>
    /// Counts one message's copy: true when it was copied; false when it was not, with a warning, or with <see cref="Error"/>
    /// set when the account ran out of room (the copying for this account stops there).
    /// </summary>
    public bool Record(MailboxOutcome outcome, string where, string mailbox, long bytes)
    {
        if (outcome == MailboxOutcome.OverQuota)
        {
            Error = Problem.Of("MigrateOverQuota", Address, mailbox);
            return false;
        }
        if (outcome != MailboxOutcome.Done)
        {
            Warnings.Add($"{where}: {outcome}");
            return false;
        }
        Copied++;
        Bytes += bytes;
        return true;
    }
}

/// <summary>
/// Copies every folder, message (byte for byte), flag, keyword and internal date of accounts on an existing IMAP server
/// (Zimbra, Exchange, MDaemon, Dovecot…) into their GovMail mailboxes. Resumable and incremental: each folder's progress
/// (source UIDVALIDITY and the highest UID copied) commits with each message, so a second run, or a run after an
/// interruption, copies only what is not there yet.
/// </summary>
public sealed class ImapMigration(MailImport import, Storage.Directory.AccountDirectory accounts)
{
    private const MessageSummaryItems Wanted = MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Size;

    /// <summary>Copies at most this many messages in one run over all accounts (null: no limit).</summary>
    public long? Limit { get; init; }

    private long _copiedThisRun;

    public bool LimitReached => Limit is { } limit && _copiedThisRun >= limit;

    public async Task<AccountMigrationResult> MigrateAsync(ImapSource source, MigrationAccount who, IProgressCounter progress, CancellationToken ct)
    {
        var result = new AccountMigrationResult(who.Address);
        var found = await accounts.FindAsync(who.Address, ct);
        if (!found.IsOk)
        {
            result.Error = found.Problem;
            return result;
        }
        var accountId = found.Value!.Account.Id;
        var sourceKey = source.Key(who.RemoteUser);

        using var client = new ImapClient();
        client.Timeout = 120_000;
        if (source.AcceptAnyCertificate) client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        try
        {
            await client.ConnectAsync(source.Host, source.Port, source.Security, ct);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or SslHandshakeException or ImapProtocolException)
        {
            result.Error = Problem.Of("MigrateCannotConnect", $"{source.Host}:{source.Port}", e.Message);
            return result;
        }
        try
        {
            if (source.MasterUser is { } master)
                await client.AuthenticateAsync(new SaslMechanismPlain(new NetworkCredential(master, source.MasterPassword)) { AuthorizationId = who.RemoteUser }, ct);
            else
                await client.AuthenticateAsync(who.RemoteUser, who.Password ?? "", ct);
        }
        catch (AuthenticationException e)
        {
            result.Error = Problem.Of("MigrateLoginFailed", who.RemoteUser, e.Message);
            return result;
        }

        var plan = await PlanAsync(client, accountId, sourceKey, result, ct);
        progress.Begin(who.Address, plan.Sum(p => p.Messages.Count));
        foreach (var folder in plan)
        {
            if (LimitReached) break;
            var target = await import.TargetMailboxAsync(accountId, folder.TargetName, folder.Role, ct);
            await folder.Source.OpenAsync(FolderAccess.ReadOnly, ct);
            foreach (var summary in folder.Messages)
            {
                if (LimitReached) break;
                var outcome = await import.CopyAsync(target, sourceKey, folder.Source.FullName, folder.UidValidity, summary.UniqueId.Id,
                    async (stream, c) =>
                    {
                        await using var body = await folder.Source.GetStreamAsync(summary.UniqueId, c);
                        await body.CopyToAsync(stream, c);
                    },
                    Flags(summary.Flags), summary.Keywords, summary.InternalDate, ct);
                if (result.Record(outcome, $"{folder.Source.FullName} UID {summary.UniqueId.Id}", target.Name, summary.Size ?? 0))
                {
                    _copiedThisRun++;
                    progress.Advance();
                }
                else if (result.Error is not null) break;
            }
            await folder.Source.CloseAsync(false, ct);
            if (result.Error is not null) break;
        }
        await client.DisconnectAsync(true, ct);
        return result;
    }

    private sealed record FolderPlan(IMailFolder Source, string TargetName, MailboxRole Role, uint UidValidity, IList<IMessageSummary> Messages);

    /// <summary>Every selectable folder and the messages in it that were not copied yet.</summary>
    private async Task<List<FolderPlan>> PlanAsync(ImapClient client, Guid accountId, string sourceKey, AccountMigrationResult result, CancellationToken ct)
    {
        var folders = (await client.GetFoldersAsync(client.PersonalNamespaces[0], StatusItems.None, false, ct)).ToList();
        if (!folders.Any(f => f == client.Inbox || f.FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase))) folders.Insert(0, client.Inbox);
        var plan = new List<FolderPlan>();
        foreach (var folder in folders)
        {
            if (folder.Attributes.HasFlag(FolderAttributes.NoSelect) || folder.Attributes.HasFlag(FolderAttributes.NonExistent)) continue;
            if (folder.FullName.Length > MailImport.MaxSourceFolderLength)
            {
                result.Warnings.Add(folder.FullName + ": name too long, skipped");
                continue;
            }
            result.Folders++;
            await folder.OpenAsync(FolderAccess.ReadOnly, ct);
            var uidValidity = folder.UidValidity;
            var done = await import.ProgressAsync(accountId, sourceKey, folder.FullName, ct);
            if (done is not null && done.UidValidity != uidValidity)
            {
                // The old server renumbered the folder: its UIDs no longer say what was copied; copy it again whole.
                result.Warnings.Add($"{folder.FullName}: UIDVALIDITY changed ({done.UidValidity} → {uidValidity}), copied again");
                await import.ResetAsync(accountId, sourceKey, folder.FullName, ct);
                done = null;
            }
            var after = done?.LastUid ?? 0;
            IList<IMessageSummary> messages = [];
            if (folder.Count > 0 && after < uint.MaxValue)
            {
                var range = new UniqueIdRange(new UniqueId(uidValidity, after + 1), UniqueId.MaxValue);
                messages = (await folder.FetchAsync(range, Wanted, ct)).Where(m => m.UniqueId.Id > after).OrderBy(m => m.UniqueId.Id).ToList();
            }
            if (done is not null) result.AlreadyThere += done.Messages;
            var role = client.Inbox == folder || folder.FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? MailboxRole.Inbox : RoleOf(folder);
            plan.Add(new FolderPlan(folder, TargetName(folder), role, uidValidity, messages));
            await folder.CloseAsync(false, ct);
        }
        return plan;
    }

    /// <summary>The GovMail name of a source folder: its path with GovMail's separator ('/') between the levels.</summary>
    private static string TargetName(IMailFolder folder)
    {
        if (folder.FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase)) return "INBOX";
        return FolderNames.Target(folder.DirectorySeparator == '\0' ? [folder.FullName] : folder.FullName.Split(folder.DirectorySeparator));
    }

    /// <summary>The special use a folder has (RFC 6154 attributes; the usual names of Exchange, Zimbra and Outlook when it has none).</summary>
    private static MailboxRole RoleOf(IMailFolder folder)
    {
        var a = folder.Attributes;
        if (a.HasFlag(FolderAttributes.Sent)) return MailboxRole.Sent;
        if (a.HasFlag(FolderAttributes.Drafts)) return MailboxRole.Drafts;
        if (a.HasFlag(FolderAttributes.Trash)) return MailboxRole.Trash;
        if (a.HasFlag(FolderAttributes.Junk)) return MailboxRole.Junk;
        if (a.HasFlag(FolderAttributes.Archive)) return MailboxRole.Archive;
        if (folder.ParentFolder is { } parent && !string.IsNullOrEmpty(parent.FullName)) return MailboxRole.None;
        return FolderNames.RoleOf(folder.Name) is var role && role != MailboxRole.Inbox ? role : MailboxRole.None;
    }

    private static Core.Mail.MessageFlags Flags(MailKit.MessageFlags? flags)
    {
        var f = flags ?? MailKit.MessageFlags.None;
        var result = Core.Mail.MessageFlags.None;
        if (f.HasFlag(MailKit.MessageFlags.Seen)) result |= Core.Mail.MessageFlags.Seen;
        if (f.HasFlag(MailKit.MessageFlags.Answered)) result |= Core.Mail.MessageFlags.Answered;
        if (f.HasFlag(MailKit.MessageFlags.Flagged)) result |= Core.Mail.MessageFlags.Flagged;
        if (f.HasFlag(MailKit.MessageFlags.Deleted)) result |= Core.Mail.MessageFlags.Deleted;
        if (f.HasFlag(MailKit.MessageFlags.Draft)) result |= Core.Mail.MessageFlags.Draft;
        return result;
    }
}
