using GovMail.Core.Mail;
using GovMail.Imap.Commands;
using GovMail.Imap.Selection;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Protocol;

// SELECT, EXAMINE, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, STATUS, GETQUOTA, GETQUOTAROOT, SETQUOTA.
internal sealed partial class ImapSession
{
    private SessionAccount Account => _account ?? throw new InvalidOperationException("Not logged in.");

    private async ValueTask<Reply> SelectAsync(MailboxCommand command)
    {
        if (command.QResync is not null && !_qresync) return Reply.Bad("QRESYNC must be enabled first (ENABLE QRESYNC).");
        // The boundary between the old mailbox's responses and the new one's (RFC 7162 section 3.2.11).
        if (_selected is not null && (_qresync || _rev2)) Writer.Status(null, ImapStatus.Ok, ImapResponseCodeKind.Closed, "Previous mailbox closed.");
        Deselect();
        var readOnly = command.Kind == ImapCommandKind.Examine;
        if (command.CondStore) _condStore = true;
        var mailbox = await _queries.FindAsync(Account.Id, command.Mailbox, Aborted);
        if (mailbox is null) return Reply.No("No such mailbox.", ImapResponseCodeKind.NonExistent);

        // Subscribed before the UIDs are read, so nothing that happens in between goes unnoticed.
        var selected = new SelectedMailbox(mailbox, readOnly, _signal);
        selected.Subscribe(_context.Services.Notifications);
        selected.Uids.AddRange(await _queries.UidsAsync(mailbox.Id, 0, Aborted));
        var keywords = await _queries.KeywordsAsync(mailbox.Id, Aborted);
        var firstUnseen = _rev2 ? null : await _queries.FirstUnseenUidAsync(mailbox.Id, Aborted);
        _selected = selected;
        _state = SessionState.Selected;

        var w = Writer;
        w.FlagsResponse(keywords);
        w.Status(null, ImapStatus.Ok, ImapResponseCode.PermanentFlags(!readOnly), readOnly ? "No permanent flags permitted." : "Flags permitted.");
        w.Exists(selected.Count);
        if (_rev2)
        {
            // IMAP4rev2 has no RECENT nor [UNSEEN], and names the mailbox with its attributes (RFC 9051 section 6.3.2).
            var names = await _queries.ListAsync(Account.Id, Aborted);
            var all = new HashSet<string>(StringComparer.Ordinal);
            foreach (var m in names) all.Add(m.Name);
            w.List(false, SpecialUse(mailbox.Role) | (HasChildren(all, mailbox.Name) ? MailboxAttributes.HasChildren : MailboxAttributes.HasNoChildren),
                mailbox.Name);
        }
        else
        {
            w.Recent(0);
            if (firstUnseen is { } unseenUid && selected.SequenceOf(unseenUid) is > 0 and var unseen)
                w.Status(null, ImapStatus.Ok, ImapResponseCode.Unseen(unseen), "First unseen.");
        }
        w.Status(null, ImapStatus.Ok, ImapResponseCode.UidValidity(mailbox.UidValidity), "UIDs valid.");
        w.Status(null, ImapStatus.Ok, ImapResponseCode.UidNext(mailbox.UidNext), "Predicted next UID.");
        w.Status(null, ImapStatus.Ok, ImapResponseCode.HighestModSeq(mailbox.HighestModSeq), "Highest.");
        if (command.QResync is { } known) await ResyncAsync(selected, known);
        return readOnly
            ? Reply.Ok("EXAMINE completed.", ImapResponseCodeKind.ReadOnly)
            : Reply.Ok("SELECT completed.", ImapResponseCodeKind.ReadWrite);
    }

    private void Deselect()
    {
        _savedResult = [];
        _selected?.Dispose();
        _selected = null;
        if (_state == SessionState.Selected) _state = SessionState.Authenticated;
    }

    private async ValueTask<Reply> CreateAsync(MailboxCommand command)
    {
        var name = command.Mailbox;
        if (!MailboxName.IsValidNew(ref name)) return Reply.No("That name cannot be used for a mailbox.", ImapResponseCodeKind.Cannot);
        if (name == MailboxName.Inbox) return Reply.No("INBOX already exists.", ImapResponseCodeKind.AlreadyExists);
        var role = MailboxRole.None;
        if (command.Uses is { Count: > 0 } uses)
        {
            // One special use per mailbox here; \All and \Flagged would be virtual mailboxes, which the server does not keep.
            if (uses.Count > 1) return Reply.No("A mailbox can have only one special use.", ImapResponseCodeKind.UseAttr);
            if (RoleOf(uses[0]) is not { } wanted) return Reply.No("That special use is not supported.", ImapResponseCodeKind.UseAttr);
            role = wanted;
        }
        return await _store.CreateMailboxAsync(Account.Id, name, Aborted, role) switch
        {
            MailboxOutcome.Done => Reply.Ok("CREATE completed."),
            MailboxOutcome.SpecialUse => Reply.No($"You already have the mailbox for {command.Uses![0]}.", ImapResponseCodeKind.UseAttr),
            _ => Reply.No("A mailbox with that name already exists.", ImapResponseCodeKind.AlreadyExists),
        };
    }

    /// <summary>The role a special-use attribute of CREATE stands for, or null when the server does not offer it.</summary>
    private static MailboxRole? RoleOf(string attribute) => attribute.ToUpperInvariant() switch
    {
        "\\ARCHIVE" => MailboxRole.Archive,
        "\\DRAFTS" => MailboxRole.Drafts,
        "\\JUNK" => MailboxRole.Junk,
        "\\SENT" => MailboxRole.Sent,
        "\\TRASH" => MailboxRole.Trash,
        _ => null,
    };

    private async ValueTask<Reply> DeleteAsync(MailboxCommand command)
    {
        if (_selected?.Mailbox.Name == command.Mailbox) Deselect();
        return await _store.DeleteMailboxAsync(Account.Id, command.Mailbox, Aborted) switch
        {
            MailboxOutcome.Done => Reply.Ok("DELETE completed."),
            MailboxOutcome.NotFound => Reply.No("No such mailbox.", ImapResponseCodeKind.NonExistent),
            MailboxOutcome.SpecialUse => Reply.No("INBOX, Sent, Drafts, Trash, Junk and Archive cannot be deleted.", ImapResponseCodeKind.Cannot),
            _ => Reply.No("Delete the mailboxes inside it first.", _rev2 ? ImapResponseCodeKind.HasChildren : ImapResponseCodeKind.Cannot),
        };
    }

    private async ValueTask<Reply> RenameAsync(RenameCommand command)
    {
        var to = command.To;
        if (!MailboxName.IsValidNew(ref to)) return Reply.No("That name cannot be used for a mailbox.", ImapResponseCodeKind.Cannot);
        if (to == MailboxName.Inbox) return Reply.No("INBOX already exists.", ImapResponseCodeKind.AlreadyExists);
        return await _store.RenameMailboxAsync(Account.Id, command.From, to, Aborted) switch
        {
            MailboxOutcome.Done => Reply.Ok("RENAME completed."),
            MailboxOutcome.NotFound => Reply.No("No such mailbox.", ImapResponseCodeKind.NonExistent),
            MailboxOutcome.AlreadyExists => Reply.No("A mailbox with that name already exists.", ImapResponseCodeKind.AlreadyExists),
            _ => Reply.No("A mailbox cannot be moved inside itself.", ImapResponseCodeKind.Cannot),
        };
    }

    private async ValueTask<Reply> SubscribeAsync(MailboxCommand command)
    {
        var subscribe = command.Kind == ImapCommandKind.Subscribe;
        var outcome = await _store.SetSubscribedAsync(Account.Id, command.Mailbox, subscribe, Aborted);
        if (outcome == MailboxOutcome.NotFound)
        {
            // Unsubscribing from a mailbox that is gone is what a client does after a delete elsewhere; let it.
            return subscribe ? Reply.No("No such mailbox.", ImapResponseCodeKind.NonExistent) : Reply.Ok("UNSUBSCRIBE completed.");
        }
        return Reply.Ok(subscribe ? "SUBSCRIBE completed." : "UNSUBSCRIBE completed.");
    }

    private async ValueTask<Reply> ListAsync(ListCommand command)
    {
        var lsub = command.Kind == ImapCommandKind.Lsub;
        var done = Reply.Ok(lsub ? "LSUB completed." : "LIST completed.");
        if (!command.Extended && command.Patterns[0].Length == 0)
        {
            // LIST "" "": the hierarchy separator and the root (RFC 3501 section 6.3.8).
            Writer.List(lsub, MailboxAttributes.NoSelect, "");
            return done;
        }

        var mailboxes = await _queries.ListAsync(Account.Id, Aborted);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in mailboxes) names.Add(m.Name);
        var subscribedOnly = lsub || (command.Selection & ListSelection.Subscribed) != 0;
        var showSubscribed = (command.Selection & ListSelection.Subscribed) != 0 || (command.Return & ListReturn.Subscribed) != 0;
        var specialOnly = (command.Selection & ListSelection.SpecialUse) != 0;
        var statusItems = (command.Return & ListReturn.Status) != 0 ? command.StatusItems : StatusItems.None;
        // RECURSIVEMATCH: a mailbox is listed, with CHILDINFO, when a mailbox below it is subscribed (RFC 5258 section 3).
        HashSet<string>? subscribedNames = null;
        if ((command.Selection & ListSelection.RecursiveMatch) != 0)
        {
            subscribedNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var m in mailboxes)
                if (m.Subscribed) subscribedNames.Add(m.Name);
        }

        foreach (var mailbox in mailboxes)
        {
            if (!Matches(command, mailbox.Name)) continue;
            var childInfo = subscribedNames is not null && HasChildren(subscribedNames, mailbox.Name);
            if (subscribedOnly && !mailbox.Subscribed && !childInfo) continue;
            var attributes = SpecialUse(mailbox.Role);
            if (specialOnly && attributes == MailboxAttributes.None) continue;
            attributes |= HasChildren(names, mailbox.Name) ? MailboxAttributes.HasChildren : MailboxAttributes.HasNoChildren;
            if (showSubscribed && mailbox.Subscribed) attributes |= MailboxAttributes.Subscribed;
            Writer.List(lsub, attributes, mailbox.Name, childInfo);
            if (statusItems != StatusItems.None)
                Writer.StatusResponse(mailbox.Name, statusItems, await _queries.StatusAsync(mailbox, Aborted));
            await FlushIfLargeAsync();
        }
        return done;
    }

    private static bool Matches(ListCommand command, string name)
    {
        foreach (var pattern in command.Patterns)
        {
            var full = command.Reference.Length == 0 ? pattern
                : command.Reference.EndsWith(MailStore.Separator) || pattern.StartsWith(MailStore.Separator) ? command.Reference + pattern
                : command.Reference + MailStore.Separator + pattern;
            if (MailboxPattern.Matches(full, name)) return true;
        }
        return false;
    }

    private static bool HasChildren(HashSet<string> names, string name)
    {
        var prefix = name + MailStore.Separator;
        foreach (var other in names)
            if (other.StartsWith(prefix, StringComparison.Ordinal)) return true;
        return false;
    }

    private static MailboxAttributes SpecialUse(MailboxRole role) => role switch
    {
        MailboxRole.Sent => MailboxAttributes.Sent,
        MailboxRole.Drafts => MailboxAttributes.Drafts,
        MailboxRole.Trash => MailboxAttributes.Trash,
        MailboxRole.Junk => MailboxAttributes.Junk,
        MailboxRole.Archive => MailboxAttributes.Archive,
        _ => MailboxAttributes.None,
    };

    private async ValueTask<Reply> StatusAsync(StatusCommand command)
    {
        var mailbox = await _queries.FindAsync(Account.Id, command.Mailbox, Aborted);
        if (mailbox is null) return Reply.No("No such mailbox.", ImapResponseCodeKind.NonExistent);
        if ((command.Items & StatusItems.HighestModSeq) != 0) _condStore = true;
        if (_rev2 && (command.Items & StatusItems.Recent) != 0) return Reply.Bad("IMAP4rev2 has no RECENT status item.");
        Writer.StatusResponse(mailbox.Name, command.Items, await _queries.StatusAsync(mailbox, Aborted));
        return Reply.Ok("STATUS completed.");
    }

    private async ValueTask<Reply> GetQuotaRootAsync(MailboxCommand command)
    {
        var mailbox = await _queries.FindAsync(Account.Id, command.Mailbox, Aborted);
        if (mailbox is null) return Reply.No("No such mailbox.", ImapResponseCodeKind.NonExistent);
        var quota = await _queries.QuotaAsync(Account.Id, Aborted);
        Writer.QuotaRoot(mailbox.Name);
        Writer.Quota(quota.UsedBytes, quota.LimitBytes);
        return Reply.Ok("GETQUOTAROOT completed.");
    }

    private async ValueTask<Reply> QuotaAsync(QuotaCommand command)
    {
        if (command.Kind == ImapCommandKind.SetQuota) return Reply.No("Quotas are set by the administrator.", ImapResponseCodeKind.NoPerm);
        if (command.Root.Length != 0) return Reply.No("No such quota root.", ImapResponseCodeKind.NonExistent);
        var quota = await _queries.QuotaAsync(Account.Id, Aborted);
        Writer.Quota(quota.UsedBytes, quota.LimitBytes);
        return Reply.Ok("GETQUOTA completed.");
    }
}
