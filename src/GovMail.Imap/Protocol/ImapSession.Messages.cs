using GovMail.Core.Mail;
using GovMail.Core.Usage;
using GovMail.Imap.Commands;
using GovMail.Imap.Search;
using GovMail.Imap.Selection;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Protocol;

// STORE, COPY, MOVE, EXPUNGE, CLOSE, UNSELECT, SEARCH on the selected mailbox.
internal sealed partial class ImapSession
{
    private SelectedMailbox Selected => _selected ?? throw new InvalidOperationException("No mailbox selected.");

    private MessageReader Reader => new(Account.Address, Account.Id, UsageProtocol.Imap, Remote) { KeeperAccountId = Account.Keeper };

    /// <summary>
    /// The sequence numbers a set names, ascending: message numbers, or for a UID command the messages whose UIDs it
    /// names (UIDs that do not exist are simply absent). A message number past the end is a client error.
    /// </summary>
    private bool TryResolve(SequenceSet set, bool uid, out List<int> sequence)
    {
        if (set.IsSaved)
        {
            // $ names messages, whichever form the command takes; those expunged since are simply gone (RFC 5182 section 2.1).
            sequence = new List<int>(_savedResult.Count);
            foreach (var savedUid in _savedResult)
                if (Selected.SequenceOf(savedUid) is > 0 and var n) sequence.Add(n);
            return true;
        }
        if (uid)
        {
            sequence = set.SequenceNumbersOfUids(Selected.Uids);
            return true;
        }
        sequence = set.ResolveSequence(Selected.Count, out var outOfRange);
        return !outOfRange;
    }

    private List<uint> UidsOf(List<int> sequence)
    {
        var uids = new List<uint>(sequence.Count);
        foreach (var n in sequence) uids.Add(Selected.Uids[n - 1]);
        return uids;
    }

    /// <summary>
    /// After a change this session made itself and reported: if nothing else happened in between, the client already
    /// knows everything up to it; otherwise the next sync skips the messages it reported.
    /// </summary>
    private void Acknowledge(long modSeq, IReadOnlyList<uint>? reported = null)
    {
        var selected = Selected;
        if (modSeq == selected.KnownModSeq + 1)
        {
            selected.KnownModSeq = modSeq;
            return;
        }
        if (reported is null || selected.OwnChanges.Count + reported.Count > MaxOwnChanges) return;
        foreach (var uid in reported) selected.OwnChanges[uid] = modSeq;
    }

    /// <summary>Most own changes remembered between syncs; past it the client simply hears of them again.</summary>
    private const int MaxOwnChanges = 4096;

    private async ValueTask<Reply> StoreAsync(StoreCommand command)
    {
        if (!TryResolve(command.Set, command.Uid, out var sequence)) return Reply.Bad("Invalid message sequence number.");
        if (command.UnchangedSince is not null) _condStore = true;
        if (Selected.ReadOnly) return Reply.No("The mailbox is open read-only (EXAMINE).", ImapResponseCodeKind.Cannot);
        if (sequence.Count == 0) return Reply.Ok("STORE completed.");
        var change = new FlagChange(command.Operation, command.Flags, command.Keywords) { UnchangedSince = command.UnchangedSince };
        var result = await _store.StoreFlagsAsync(Selected.Id, UidsOf(sequence), change, Reader, Aborted);
        if (result.Outcome == MailboxOutcome.Refused) return Reply.No("Too many keywords on a message.", ImapResponseCodeKind.Limit);
        if (result.ModSeq > 0) Acknowledge(result.ModSeq, command.Silent && !_condStore ? null : result.Changed);
        // With CONDSTORE on, every message the STORE changed is reported with its new MODSEQ, even for .SILENT (RFC 7162 section 3.1.3).
        HashSet<uint>? changed = _condStore ? [.. result.Changed] : null;
        if (!command.Silent || changed is { Count: > 0 })
        {
            var w = Writer;
            foreach (var row in result.Rows)
            {
                var n = Selected.SequenceOf(row.Uid);
                if (n == 0 || (command.Silent && !changed!.Contains(row.Uid))) continue;
                w.Raw("* "u8);
                w.Number(n);
                w.Raw(" FETCH ("u8);
                if (command.Uid)
                {
                    w.Raw("UID "u8);
                    w.Number(row.Uid);
                    w.Space();
                }
                if (_condStore)
                {
                    w.ModSeq(row.ModSeq);
                    if (!command.Silent) w.Space();
                }
                if (!command.Silent)
                {
                    w.Raw("FLAGS "u8);
                    w.FlagList(row.Flags, row.Keywords);
                }
                w.Raw(")"u8);
                w.EndLine();
                await FlushIfLargeAsync();
            }
        }
        if (result.Modified.Count > 0)
        {
            var modified = command.Uid ? result.Modified : SequenceNumbersOf(result.Modified);
            return Reply.Ok("Conditional STORE failed for some messages.", ImapResponseCode.Modified(modified));
        }
        return Reply.Ok("STORE completed.");
    }

    /// <summary>The sequence numbers of UIDs the client knows, ascending.</summary>
    private List<uint> SequenceNumbersOf(IReadOnlyList<uint> uids)
    {
        var numbers = new List<uint>(uids.Count);
        foreach (var uid in uids)
            if (Selected.SequenceOf(uid) is > 0 and var n) numbers.Add((uint)n);
        numbers.Sort();
        return numbers;
    }

    private async ValueTask<Reply> CopyAsync(CopyCommand command)
    {
        var move = command.Kind == ImapCommandKind.Move;
        var name = move ? "MOVE" : "COPY";
        if (!TryResolve(command.Set, command.Uid, out var sequence)) return Reply.Bad("Invalid message sequence number.");
        if (move && Selected.ReadOnly) return Reply.No("The mailbox is open read-only (EXAMINE).", ImapResponseCodeKind.Cannot);
        var target = await _queries.FindAsync(Account.Id, command.Mailbox, Aborted);
        if (target is null) return Reply.No("No such mailbox.", ImapResponseCodeKind.TryCreate);
        if (sequence.Count == 0) return Reply.Ok($"{name} completed.");

        var result = await _store.CopyAsync(Selected.Id, UidsOf(sequence), target.Id, Account.Id, move, Aborted);
        switch (result.Outcome)
        {
            case MailboxOutcome.OverQuota:
                return Reply.No("Not enough room in your mailbox (quota).", ImapResponseCodeKind.OverQuota);
            case MailboxOutcome.NotFound:
                return Reply.No("No such mailbox.", ImapResponseCodeKind.TryCreate);
        }
        if (result.SourceUids.Count == 0) return Reply.Ok($"{name} completed.");
        var copyUid = ImapResponseCode.CopyUid(result.UidValidity, result.SourceUids, result.TargetUids);
        if (!move) return Reply.Ok("COPY completed.", copyUid);

        // RFC 6851: COPYUID comes untagged, before the EXPUNGE responses.
        Writer.Status(null, ImapStatus.Ok, copyUid, "Moved.");
        AnnounceExpunged(result.SourceUids);
        return Reply.Ok("MOVE completed.");
    }

    private async ValueTask<Reply> ExpungeAsync(SequenceSet? uidSet)
    {
        if (Selected.ReadOnly) return Reply.No("The mailbox is open read-only (EXAMINE).", ImapResponseCodeKind.Cannot);
        List<uint>? uids = null;
        if (uidSet is not null)
        {
            TryResolve(uidSet, uid: true, out var sequence);
            uids = UidsOf(sequence);
            if (uids.Count == 0) return Reply.Ok("EXPUNGE completed.");
        }
        var result = await _store.ExpungeAsync(Selected.Id, Account.Id, uids, Aborted);
        if (result.ModSeq > 0) Acknowledge(result.ModSeq);
        AnnounceExpunged(result.Uids);
        return Reply.Ok("EXPUNGE completed.");
    }

    /// <summary>
    /// Tells the client that messages left (ascending UIDs) and forgets them: each EXPUNGE carries the number the
    /// message has at that moment, after the ones before it are gone (RFC 3501 section 7.4.1); with QRESYNC on, one
    /// VANISHED lists their UIDs instead (RFC 7162 section 3.2.10).
    /// </summary>
    private void AnnounceExpunged(IReadOnlyList<uint> uids)
    {
        var selected = Selected;
        var sequences = new List<int>(uids.Count);
        var known = new List<uint>(uids.Count);
        foreach (var uid in uids)
        {
            var n = selected.SequenceOf(uid);
            if (n == 0) continue;
            sequences.Add(n);
            known.Add(uid);
        }
        if (sequences.Count == 0) return;
        var w = Writer;
        if (_qresync)
        {
            known.Sort();
            w.Vanished(known, earlier: false);
        }
        else
        {
            sequences.Sort();
            for (var i = 0; i < sequences.Count; i++) w.Expunge(sequences[i] - i);
        }
        var gone = new HashSet<uint>(uids);
        selected.Uids.RemoveAll(gone.Contains);
    }

    private async ValueTask<Reply> CloseAsync()
    {
        var selected = Selected;
        // CLOSE expunges silently (RFC 3501 section 6.4.2); EXAMINE leaves everything as it is.
        if (!selected.ReadOnly) await _store.ExpungeAsync(selected.Id, Account.Id, null, Aborted);
        Deselect();
        return Reply.Ok("CLOSE completed.");
    }

    private ValueTask<Reply> Unselect()
    {
        Deselect();
        return Done(Reply.Ok("UNSELECT completed."));
    }

    private async ValueTask<Reply> SearchAsync(SearchCommand command)
    {
        var (matches, usesModSeq) = await MatchAsync(command.Key, withSummary: false);
        var found = new List<uint>(matches.Count);
        long highestModSeq = 0;
        foreach (var (row, n) in matches)
        {
            found.Add(command.Uid ? row.Uid : (uint)n);
            highestModSeq = Math.Max(highestModSeq, row.ModSeq);
        }
        // A search on MODSEQ enables CONDSTORE and reports the highest MODSEQ of what it found (RFC 7162 section 3.1.5).
        if (usesModSeq) _condStore = true;
        var modSeq = usesModSeq ? highestModSeq : 0;
        // Under IMAP4rev2 a plain SEARCH is answered with ESEARCH ALL (RFC 9051 section 6.4.4).
        if ((command.Return ?? (_rev2 ? SearchReturn.All : null)) is { } returns)
        {
            if ((returns & SearchReturn.Save) != 0) Save(matches, returns);
            // SAVE alone answers with nothing but the tagged OK (RFC 5182 section 2.4).
            if ((returns & ~SearchReturn.Save) != 0) Writer.ESearch(command.Tag, command.Uid, returns, found, modSeq);
        }
        else Writer.Search(found, modSeq);
        return Reply.Ok("SEARCH completed.");
    }

    /// <summary>
    /// Keeps a search result for <c>$</c>, as UIDs so later expunges cannot shift it: with MIN or MAX (and neither ALL nor
    /// COUNT) only those messages, otherwise all that matched (RFC 5182 section 2.1).
    /// </summary>
    private void Save(List<(SearchRow Row, int Sequence)> matches, SearchReturn returns)
    {
        _savedResult = [];
        if (matches.Count == 0) return;
        if ((returns & (SearchReturn.Min | SearchReturn.Max)) != 0 && (returns & (SearchReturn.All | SearchReturn.Count)) == 0)
        {
            if ((returns & SearchReturn.Min) != 0) _savedResult.Add(matches[0].Row.Uid);
            if ((returns & SearchReturn.Max) != 0 && (_savedResult.Count == 0 || matches[^1].Row.Uid != _savedResult[0])) _savedResult.Add(matches[^1].Row.Uid);
            return;
        }
        foreach (var (row, _) in matches) _savedResult.Add(row.Uid);
    }

    /// <summary>The search key with <c>$</c> replaced by the saved UIDs.</summary>
    private SearchKey BindSaved(SearchKey key) => key switch
    {
        SetKey { Set.IsSaved: true } => _savedResult.Count == 0 ? NoneKey.Instance : new SetKey(SequenceSet.Of(_savedResult), Uid: true),
        AndKey and => new AndKey([.. and.Keys.Select(BindSaved)]),
        OrKey or => new OrKey(BindSaved(or.Left), BindSaved(or.Right)),
        NotKey not => new NotKey(BindSaved(not.Key)),
        _ => key,
    };

    /// <summary>The messages of the selected mailbox a search key matches, in mailbox order, with their sequence numbers.</summary>
    private async ValueTask<(List<(SearchRow Row, int Sequence)> Matches, bool UsesModSeq)> MatchAsync(SearchKey key, bool withSummary)
    {
        var selected = Selected;
        key = BindSaved(key);
        var evaluator = await SearchEvaluator.PrepareAsync(key, selected, _queries, _context.Services.Blobs, Aborted);
        var matches = new List<(SearchRow, int)>();
        foreach (var row in await _queries.SearchRowsAsync(selected.Id, withSummary || evaluator.NeedsSummary, Aborted))
        {
            var n = selected.SequenceOf(row.Uid);
            if (n > 0 && await evaluator.MatchesAsync(row, n)) matches.Add((row, n));
        }
        return (matches, evaluator.UsesModSeq);
    }
}
