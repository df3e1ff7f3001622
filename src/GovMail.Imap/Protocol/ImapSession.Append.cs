using GovMail.Imap.Commands;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Protocol;

// APPEND: the message literal goes straight from the connection into a durable blob, never whole into memory.
internal sealed partial class ImapSession
{
    private async ValueTask<bool> HandleAppendAsync(ImapParseResult parsed, long size, bool nonSync)
    {
        var tag = parsed.Tag;
        if (parsed.Command is not AppendCommand command)
            return await RefuseAppendAsync(tag, ImapStatus.Bad, ImapResponseCodeKind.None, parsed.Error ?? "Invalid APPEND.", size, nonSync);
        if (_state == SessionState.NotAuthenticated)
            return await RefuseAppendAsync(tag, ImapStatus.Bad, ImapResponseCodeKind.None, "Log in first.", size, nonSync);
        if (size > _options.MaxMessageSize)
        {
            if (nonSync) return await ByeAsync(ImapResponseCodeKind.TooBig, "Message larger than APPENDLIMIT.", "append too large");
            return Refuse(tag, ImapStatus.No, ImapResponseCodeKind.TooBig, "Message larger than APPENDLIMIT.");
        }

        var mailbox = await _queries.FindAsync(Account.Id, command.Mailbox, Aborted);
        if (mailbox is null) return await RefuseAppendAsync(tag, ImapStatus.No, ImapResponseCodeKind.TryCreate, "No such mailbox.", size, nonSync);
        // From the in-memory counters: the writer checks again, under its lock, when the message is filed.
        if (!await _store.MayHaveRoomAsync(Account.Id, size, Aborted))
            return await RefuseAppendAsync(tag, ImapStatus.No, ImapResponseCodeKind.OverQuota, "Not enough room in your mailbox (quota).", size, nonSync);

        if (!nonSync)
        {
            Writer.Continuation("Ready for the message.");
            if (!await FlushAsync()) return false;
        }
        var blobs = _context.Services.Blobs;
        // If the client goes away in the middle, the blob store throws the partial file away: nothing is stored.
        var (key, stored, summary) = await blobs.PutMessageAsync((stream, ct) => CopyLiteralAsync(stream, size, ct), Aborted, expectedSize: size);
        var keep = false;
        try
        {
            var (status, rest) = await ReadLineAsync();
            if (status != LineStatus.Line) return status == LineStatus.TooLong && Refuse(tag, ImapStatus.Bad, default, "Unexpected data after the message.");
            if (rest!.Length > 0) return Refuse(tag, ImapStatus.Bad, default, "Only one message per APPEND (MULTIAPPEND is not offered).");

            var keywords = command.Keywords.Count == 0 ? null : string.Join(' ', command.Keywords.Distinct(StringComparer.OrdinalIgnoreCase));
            var result = await _store.AppendAsync(mailbox.Id, Account.Id, new NewMessage(key, stored, summary, command.InternalDate), command.Flags,
                keywords, Aborted);
            Reply reply;
            switch (result.Outcome)
            {
                case MailboxOutcome.Done:
                    keep = true;
                    AnnounceOwnAppend(mailbox.Id, result);
                    reply = Reply.Ok("APPEND completed.", ImapResponseCode.AppendUid(result.UidValidity, result.Uid));
                    break;
                case MailboxOutcome.OverQuota:
                    reply = Reply.No("Not enough room in your mailbox (quota).", ImapResponseCodeKind.OverQuota);
                    break;
                case MailboxOutcome.NotFound:
                    reply = Reply.No("No such mailbox.", ImapResponseCodeKind.TryCreate);
                    break;
                default:
                    reply = Reply.No("Too many keywords.", ImapResponseCodeKind.Limit);
                    break;
            }
            if (_selected is not null) await SyncAsync(allowExpunge: true, force: false);
            Writer.Status(tag, reply.Status, reply.Code, reply.Text);
            return !_ending;
        }
        finally
        {
            if (!keep) await blobs.DeleteAsync(key, CancellationToken.None);
        }
    }

    /// <summary>
    /// Refuses an APPEND before its message. After a synchronizing literal the client sends nothing more; after a
    /// non-synchronizing one the message is on its way and is read and dropped, so the session stays in step.
    /// </summary>
    private async ValueTask<bool> RefuseAppendAsync(string? tag, ImapStatus status, ImapResponseCode code, string text, long size, bool nonSync)
    {
        if (nonSync)
        {
            if (size > _options.MaxMessageSize) return await ByeAsync(ImapResponseCodeKind.TooBig, "Message larger than APPENDLIMIT.", "append too large");
            await CopyLiteralAsync(null, size, Aborted);
            var (line, _) = await ReadLineAsync();
            if (line != LineStatus.Line) return false;
        }
        if (status == ImapStatus.Bad) return Refuse(tag, status, code, text);
        // NO (no such mailbox, over quota) is an answer, not a client mistake.
        Writer.Status(tag, status, code, text);
        return true;
    }
}
