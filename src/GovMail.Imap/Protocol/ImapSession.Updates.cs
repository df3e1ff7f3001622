using GovMail.Storage.Mail;

namespace GovMail.Imap.Protocol;

// Telling the client what other sessions, deliveries and the web changed in its selected mailbox.
internal sealed partial class ImapSession
{
    /// <summary>
    /// Brings the client's view of the selected mailbox up to date: EXPUNGE for messages that left (when
    /// <paramref name="allowExpunge"/>; otherwise they stay until a moment that allows it), FETCH FLAGS for messages
    /// whose flags changed, EXISTS for new ones. Without <paramref name="force"/> the database is asked only after a
    /// notice came in; NOOP, CHECK and IDLE always ask.
    /// </summary>
    /// <summary>
    /// A message this session appended to its selected mailbox, when nothing else changed it in between (the MODSEQ is the
    /// next one): the client is told EXISTS from what the APPEND returned, and the sync after it need not ask the database.
    /// </summary>
    private void AnnounceOwnAppend(long mailboxId, AppendResult result)
    {
        if (_selected is not { } selected || selected.Id != mailboxId) return;
        if (result.ModSeq != selected.KnownModSeq + 1 || result.Uid < selected.KnownUidNext || result.Uid <= selected.LargestUid) return;
        selected.Uids.Add(result.Uid);
        selected.KnownUidNext = result.Uid + 1;
        selected.KnownModSeq = result.ModSeq;
        Writer.Exists(selected.Count);
    }

    private async ValueTask SyncAsync(bool allowExpunge, bool force)
    {
        var selected = _selected!;
        var noticed = selected.TakeNotices();
        var pendingExpunge = allowExpunge && selected.ExpungePending;
        // Nothing came in, or only the notices of this session's own changes, which its client was already told of.
        if (!force && !pendingExpunge && noticed <= selected.KnownModSeq) return;

        var state = await _queries.StateAsync(selected.Id, Aborted);
        if (state is not { } current)
        {
            Writer.Status(null, ImapStatus.Bye, ImapResponseCodeKind.None, "The selected mailbox was deleted or renamed elsewhere; please reconnect.");
            _ending = true;
            _endReason = "mailbox gone";
            return;
        }
        if (current.UidNext == selected.KnownUidNext && current.HighestModSeq == selected.KnownModSeq && !pendingExpunge) return;

        var changes = await _queries.ChangedSinceAsync(selected.Id, selected.KnownModSeq, Aborted);
        var largest = selected.LargestUid;
        var added = new List<uint>();
        foreach (var change in changes)
            if (change.Uid > largest) added.Add(change.Uid);

        if (current.Messages < selected.Count + added.Count || pendingExpunge)
        {
            if (allowExpunge)
            {
                // Some messages left: the full UID list says which (four octets a message, only when something left).
                var uids = await _queries.UidsAsync(selected.Id, 0, Aborted);
                var present = new HashSet<uint>(uids);
                var gone = new List<uint>();
                foreach (var uid in selected.Uids)
                    if (!present.Contains(uid)) gone.Add(uid);
                AnnounceExpunged(gone);
                added.Clear();
                foreach (var uid in uids)
                    if (uid > largest) added.Add(uid);
                selected.ExpungePending = false;
            }
            else
            {
                selected.ExpungePending = true;
            }
        }

        var w = Writer;
        var maxModSeq = current.HighestModSeq;
        foreach (var change in changes)
        {
            if (change.ModSeq > maxModSeq) maxModSeq = change.ModSeq;
            if (change.Uid > largest) continue;
            var n = selected.SequenceOf(change.Uid);
            if (n == 0 || (selected.HasOwnChanges && selected.OwnChanges.TryGetValue(change.Uid, out var own) && own == change.ModSeq)) continue;
            w.Raw("* "u8);
            w.Number(n);
            w.Raw(" FETCH (UID "u8);
            w.Number(change.Uid);
            if (_condStore)
            {
                w.Space();
                w.ModSeq(change.ModSeq);
            }
            w.Raw(" FLAGS "u8);
            w.FlagList(change.Flags, change.Keywords);
            w.Raw(")"u8);
            w.EndLine();
        }
        if (added.Count > 0)
        {
            selected.Uids.AddRange(added);
            w.Exists(selected.Count);
        }
        selected.ForgetOwnChanges();
        selected.KnownModSeq = maxModSeq;
        selected.KnownUidNext = current.UidNext;
    }
}
