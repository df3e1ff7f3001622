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

    /// <summary><c>* VANISHED (EARLIER) …</c>: the UIDs in <paramref name="uids"/> (all when null) expunged after <paramref name="modSeq"/>.</summary>
    private async ValueTask VanishedEarlierAsync(SelectedMailbox selected, SequenceSet? uids, long modSeq)
    {
        var gone = await _queries.VanishedSinceAsync(selected.Id, modSeq, Aborted);
        var largest = Math.Max(selected.LargestUid, selected.KnownUidNext - 1);
        if (uids is not null) gone.RemoveAll(uid => !uids.Contains(uid, largest));
        Writer.Vanished(gone, earlier: true);
    }
}
