using GovMail.Imap.Commands;
using GovMail.Imap.Selection;

namespace GovMail.Imap.Protocol;

// QRESYNC (RFC 7162 section 3.2): what changed while the client was away, told at SELECT or by UID FETCH … VANISHED.
internal sealed partial class ImapSession
{
    /// <summary>
    /// After SELECT (QRESYNC (…)): the flags of every message changed since the client's MODSEQ (of those it knew,
    /// when it said), then the UIDs it knew that are gone, from the expunge log. Nothing when the UIDVALIDITY is not the one the client had: it must start over.
    /// </summary>
    private async ValueTask ResyncAsync(SelectedMailbox selected, QResyncParameters known)
    {
        if (known.UidValidity != selected.Mailbox.UidValidity) return;
        var w = Writer;
        var largest = Math.Max(selected.LargestUid, selected.KnownUidNext - 1);
        foreach (var change in await _queries.ChangedSinceAsync(selected.Id, known.ModSeq, Aborted))
        {
            // With a list of known UIDs, only those are reported (RFC 7162 section 3.2.5); new messages come as EXISTS.
            var n = selected.SequenceOf(change.Uid);
            if (n == 0 || known.KnownUids?.Contains(change.Uid, largest) == false) continue;
            w.Raw("* "u8);
            w.Number(n);
            w.Raw(" FETCH (UID "u8);
            w.Number(change.Uid);
            w.Space();
            w.ModSeq(change.ModSeq);
            w.Raw(" FLAGS "u8);
            w.FlagList(change.Flags, change.Keywords);
            w.Raw(")"u8);
            w.EndLine();
            await FlushIfLargeAsync();
        }
        await VanishedEarlierAsync(selected, known.KnownUids, known.ModSeq);
    }

    /// <summary>
    /// <c>* VANISHED (EARLIER) …</c>: the UIDs in <paramref name="uids"/> (all when null) expunged after
    /// <paramref name="modSeq"/>. When the expunge log was pruned past that MODSEQ, every UID of the set (up to the
    /// last one given out) that the mailbox no longer holds, which RFC 7162 section 3.2.5.2 allows.
    /// </summary>
    private async ValueTask VanishedEarlierAsync(SelectedMailbox selected, SequenceSet? uids, long modSeq)
    {
        var log = await _queries.VanishedSinceAsync(selected.Id, modSeq, Aborted);
        var largest = Math.Max(selected.LargestUid, selected.KnownUidNext - 1);
        var gone = log.Uids;
        if (!log.Complete) gone = Absent(selected.Uids, uids ?? new SequenceSet([new SequenceRange(1, largest)]), largest);
        else if (uids is not null) gone.RemoveAll(uid => !uids.Contains(uid, largest));
        Writer.Vanished(gone, earlier: true);
    }

    /// <summary>The UIDs of <paramref name="set"/> up to <paramref name="largest"/> that are not in <paramref name="present"/> (ascending), ascending.</summary>
    internal static List<uint> Absent(UidMap present, SequenceSet set, uint largest)
    {
        var absent = new List<uint>();
        if (largest == 0) return absent;
        var ranges = new List<(uint Start, uint End)>();
        foreach (var r in set.Ranges)
        {
            var (start, end) = r.Resolve(largest);
            if (start <= largest) ranges.Add((start, Math.Min(end, largest)));
        }
        ranges.Sort();
        var next = 1u;
        foreach (var (rangeStart, end) in ranges)
        {
            var start = Math.Max(rangeStart, next);
            if (start > end) continue;
            var i = present.LowerBound(start);
            for (var uid = start; uid <= end; uid++)
            {
                if (i < present.Count && present[i] == uid) i++;
                else absent.Add(uid);
                if (uid == uint.MaxValue) break;
            }
            next = end == uint.MaxValue ? end : end + 1;
        }
        return absent;
    }
}
