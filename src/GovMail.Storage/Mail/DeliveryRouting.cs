using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace GovMail.Storage.Mail;

/// <summary>
/// The delivery pipeline's question "what else happens to mail for this account?", answered from the delivery rules
/// (<see cref="DeliveryRule"/>): file it here or not, forward it, reply to its sender. The rules that have not ended are
/// remembered per database like the recipient cache (stale once the directory moved, at most 10 seconds), so an account without
/// a rule costs a dictionary lookup.
/// </summary>
public sealed class DeliveryRouting(GovMailDatabase database, IBlobStore blobs, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private static readonly ConditionalWeakTable<GovMailDatabase, StrongBox<Snapshot?>> Snapshots = new();
    private static readonly FormatOptions Format = new() { NewLineFormat = NewLineFormat.Dos };

    private sealed record Snapshot(IReadOnlyDictionary<Guid, DeliveryRule[]> Rules, long Version, long LoadedAt);

    /// <summary>Where mail for <paramref name="account"/> goes now.</summary>
    public async ValueTask<RecipientRoute> RouteAsync(Account account, CancellationToken ct)
    {
        var filesHere = account.State is not (AccountState.Disabled or AccountState.Closed or AccountState.Purged);
        var rule = await ActiveRuleAsync(account.Id, ct);
        if (rule is null) return new RecipientRoute(filesHere, [], null);
        if (account.State is AccountState.Closed or AccountState.Purged) return new RecipientRoute(false, [], null);
        IReadOnlyList<Account> forward = [];
        if (rule.ForwardTo is { } to && await IsLocalAsync(to, ct))
            forward = (await new AddressBook(database, clock).ResolveRecipientsAsync(to, ct)).Where(f => f.Id != account.Id).ToList();
        return new RecipientRoute(filesHere || rule.KeepCopy, forward, rule);
    }

    /// <summary>Does an account that no longer receives mail (disabled) still take it because a rule forwards or answers it?</summary>
    public static async ValueTask<bool> AcceptsAsync(GovMailDatabase database, TimeProvider clock, Account account, CancellationToken ct) =>
        account.State == AccountState.Disabled && await ActiveRuleAsync(database, clock, account.Id, ct) is not null;

    private ValueTask<DeliveryRule?> ActiveRuleAsync(Guid accountId, CancellationToken ct) => ActiveRuleAsync(database, clock, accountId, ct);

    private static async ValueTask<DeliveryRule?> ActiveRuleAsync(GovMailDatabase database, TimeProvider clock, Guid accountId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var snapshot = await SnapshotAsync(database, now, ct);
        if (!snapshot.Rules.TryGetValue(accountId, out var rules)) return null;
        foreach (var r in rules) if (r.IsActive(now)) return r;
        return null;
    }

    private static async ValueTask<Snapshot> SnapshotAsync(GovMailDatabase database, DateTimeOffset now, CancellationToken ct)
    {
        var box = Snapshots.GetValue(database, _ => new StrongBox<Snapshot?>());
        var version = DirectoryChanges.VersionOf(database);
        if (box.Value is { } hit && hit.Version == version && Stopwatch.GetElapsedTime(hit.LoadedAt) < CacheFor) return hit;
        await using var db = database.Open();
        var rows = await db.DeliveryRules.AsNoTracking().Where(r => r.EndsAt > now).ToListAsync(ct);
        var fresh = new Snapshot(rows.GroupBy(r => r.AccountId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.StartsAt).ToArray()),
            version, Stopwatch.GetTimestamp());
        box.Value = fresh;
        return fresh;
    }

    private async ValueTask<bool> IsLocalAsync(string address, CancellationToken ct)
    {
        var domain = address[(address.LastIndexOf('@') + 1)..];
        await using var db = database.Open();
        return await AddressBook.IsOwnDomainAsync(db, domain, ct);
    }

    /// <summary>
    /// After the message was committed: forwards to addresses on other domains (sent from the forwarding account, so the
    /// receiver's SPF check sees our server) and the automatic replies, each sender answered once per rule in
    /// <see cref="AutoReplyRule.ReplyInterval"/>.
    /// </summary>
    public async Task AfterDeliveryAsync(IReadOnlyList<(DeliveryRule Rule, Account Account)> matched, string? returnPath, string messageFile,
        CancellationToken ct)
    {
        HeaderList headers;
        await using (var read = File.OpenRead(messageFile)) headers = await HeaderList.LoadAsync(read, ct);
        var now = clock.GetUtcNow();
        foreach (var (rule, account) in matched.DistinctBy(m => m.Rule.Id))
        {
            if (rule.ForwardTo is { } to && !await IsLocalAsync(to, ct))
            {
                var (key, size) = await blobs.PutAsync(async (s, c) =>
                {
                    await using var source = File.OpenRead(messageFile);
                    await source.CopyToAsync(s, c);
                }, ct);
                await new OutboundQueue(database, clock).EnqueueAsync(key, size, account.Address, account.Id, [(to, null, null)], null, null, ct);
            }
            if (rule.AutoReplyBody is null || !AutoReplyRule.MayReply(returnPath, name => headers[name])) continue;
            var sender = returnPath!.Trim().ToLowerInvariant();
            await using var db = database.Open();
            var since = now - AutoReplyRule.ReplyInterval;
            if (await db.AutoRepliesSent.AnyAsync(x => x.RuleId == rule.Id && x.Sender == sender && x.At > since, ct)) continue;
            db.AutoRepliesSent.Add(new AutoReplySent { RuleId = rule.Id, Sender = sender, At = now });
            await db.SaveChangesAsync(ct);
            await SendReplyAsync(rule, account, sender, headers, now, ct);
        }
    }

    private async Task SendReplyAsync(DeliveryRule rule, Account account, string sender, HeaderList original, DateTimeOffset now,
        CancellationToken ct)
    {
        var reply = new MimeMessage
        {
            Subject = rule.AutoReplySubject ?? Messages.Format("AutoReplySubject", Messages.Vietnamese, [account.DisplayName]),
            Date = now,
            MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(account.Domain),
            Body = new TextPart("plain") { Text = rule.AutoReplyBody ?? "" },
        };
        reply.From.Add(new MailboxAddress(account.DisplayName, account.Address));
        reply.To.Add(MailboxAddress.Parse(sender));
        reply.Headers.Add("Auto-Submitted", "auto-replied");
        if (original["Message-ID"] is { } id)
        {
            reply.InReplyTo = id.Trim();
            reply.References.Add(id.Trim().Trim('<', '>'));
        }
        if (await IsLocalAsync(sender, ct))
        {
            var targets = (await new AddressBook(database, clock).ResolveRecipientsAsync(sender, ct))
                .Select(a => new DeliveryTarget(a.Id, a.Address)).ToList();
            if (targets.Count > 0) await new LocalMail(database, blobs, clock).FileAsync(reply, targets, ct);
            return;
        }
        var (key, size) = await blobs.PutAsync((s, c) => reply.WriteToAsync(Format, s, c), ct);
        // RFC 3834 section 3.3: an automatic reply goes out with an empty return path, so nothing answers it in turn.
        await new OutboundQueue(database, clock).EnqueueAsync(key, size, "", account.Id, [(sender, null, null)], null, null, ct);
    }
}

/// <summary>Where one recipient's copy goes: <see cref="FileHere"/> in its own INBOX, to <see cref="Forward"/> accounts, and the rule.</summary>
public sealed record RecipientRoute(bool FileHere, IReadOnlyList<Account> Forward, DeliveryRule? Rule);
