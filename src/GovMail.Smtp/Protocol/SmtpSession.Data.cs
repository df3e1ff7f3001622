using System.Globalization;
using GovMail.Net;
using Microsoft.Extensions.Logging;

namespace GovMail.Smtp.Protocol;

// DATA, BDAT and handing the message to the sink.
internal sealed partial class SmtpSession
{
    private enum ContentStatus
    {
        Complete,
        Closed,
        TimedOut,
    }

    private async ValueTask<bool> HandleDataAsync()
    {
        var transaction = _transaction;
        if (transaction is null) return await RefuseAsync(SmtpReplies.NeedMailBeforeData);
        if (transaction.Chunking) return await RefuseAsync(SmtpReplies.DataAfterBdat);
        if (transaction.Recipients.Count == 0) return Refuse(SmtpReplies.NoValidRecipients);

        if (CreateSpool() is not { } spool) return Refuse(SmtpReplies.LocalError);
        transaction.Spool = spool;
        Reply(SmtpReplies.StartMailInput);
        if (!await FlushAsync()) return false;

        var decoder = new SmtpDataDecoder(_options.MaxDataLineLength);
        var status = await ReceiveDotStuffedAsync(decoder, spool);
        if (status != ContentStatus.Complete) return await EndDuringContentAsync(status);

        if (spool.IsOverLimit) RefuseMessage(SmtpReplies.MessageTooBig(_options.MaxMessageSize), spool);
        else if (decoder.LineTooLong) RefuseMessage(SmtpReplies.DataLineTooLong(_options.MaxDataLineLength), spool);
        else if (!await CloseSpoolAsync(spool)) RefuseMessage(SmtpReplies.LocalError, spool);
        else await DeliverAsync(transaction, spool);
        await ResetTransactionAsync();
        return true;
    }

    private async ValueTask<bool> HandleBdatAsync(SmtpCommand command)
    {
        // The chunk is on the wire whatever the reply: read it in full before answering, or the session loses step.
        var transaction = _transaction;
        var refusal = transaction is null ? SmtpReplies.NeedMailBeforeData
            : transaction.Recipients.Count == 0 ? SmtpReplies.NoValidRecipients
            : null;
        if (refusal is not null)
        {
            var drained = await ReceiveChunkAsync(command.ChunkSize, spool: null);
            if (drained != ContentStatus.Complete) return await EndDuringContentAsync(drained);
            if (refusal.Code == 503) return await RefuseAsync(refusal);
            return Refuse(refusal);
        }

        transaction!.Chunking = true;
        var spool = transaction.Spool ??= CreateSpool();
        var status = await ReceiveChunkAsync(command.ChunkSize, spool);
        if (status != ContentStatus.Complete) return await EndDuringContentAsync(status);
        if (spool is null || HasWriteError(spool))
        {
            // The server cannot keep the message: say so now (a temporary failure) and end the transaction.
            _messagesRefused++;
            Reply(SmtpReplies.LocalError);
            await ResetTransactionAsync();
            return true;
        }

        if (spool.IsOverLimit)
        {
            // The transaction is over; further chunks of it get 503 (and are read and dropped).
            RefuseMessage(SmtpReplies.MessageTooBig(_options.MaxMessageSize), spool);
            await ResetTransactionAsync();
            return true;
        }
        if (!command.IsLastChunk)
        {
            Reply(SmtpReplies.ChunkReceived(command.ChunkSize));
            return true;
        }
        if (await CloseSpoolAsync(spool)) await DeliverAsync(transaction, spool);
        else RefuseMessage(SmtpReplies.LocalError, spool);
        await ResetTransactionAsync();
        return true;
    }

    /// <summary>A new spool file, or null (logged) when the spool directory cannot take one.</summary>
    private MessageSpool? CreateSpool()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{_connection.Id}-{++_spoolSequence}.eml");
        try
        {
            return MessageSpool.Create(_options.SpoolDirectory, name, _options.MaxMessageSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _context.Logger.LogError(e, "SMTP session {SessionId}: cannot create a spool file in {SpoolDirectory}", _connection.Id, _options.SpoolDirectory);
            return null;
        }
    }

    /// <summary>Writes out and closes the spool file; false (logged) if the disk refused it.</summary>
    private async ValueTask<bool> CloseSpoolAsync(MessageSpool spool)
    {
        await spool.CloseAsync(Aborted);
        return !HasWriteError(spool);
    }

    private bool HasWriteError(MessageSpool spool)
    {
        if (spool.WriteError is null) return false;
        _context.Logger.LogError(spool.WriteError, "SMTP session {SessionId}: cannot write the spool file {SpoolFile}", _connection.Id, spool.FilePath);
        return true;
    }

    /// <summary>Reads DATA content up to CRLF.CRLF into the spool, undoing dot-stuffing on the way.</summary>
    private async ValueTask<ContentStatus> ReceiveDotStuffedAsync(SmtpDataDecoder decoder, MessageSpool spool)
    {
        var deadline = _context.Time.GetUtcNow() + _options.DataTimeout;
        while (true)
        {
            var read = await ReadContentAsync(deadline);
            if (read.Status == NetworkReadStatus.TimedOut) return ContentStatus.TimedOut;
            var buffer = read.Buffer;
            long consumed = 0;
            foreach (var segment in buffer)
            {
                var offset = 0;
                while (offset < segment.Length && !decoder.IsComplete)
                {
                    // Decode writes at most one octet more than it reads; keep that room.
                    if (spool.FreeSpace.Length < 2) await spool.FlushBufferAsync(Aborted);
                    var take = Math.Min(spool.FreeSpace.Length - 1, segment.Length - offset);
                    var written = decoder.Decode(segment.Span.Slice(offset, take), spool.FreeSpace, out var used);
                    spool.Advance(written);
                    offset += used;
                }
                consumed += offset;
                if (decoder.IsComplete) break;
            }
            _connection.Input.AdvanceTo(buffer.GetPosition(consumed));
            if (decoder.IsComplete) return ContentStatus.Complete;
            if (read.Status == NetworkReadStatus.Closed) return ContentStatus.Closed;
        }
    }

    /// <summary>Reads exactly <paramref name="size"/> octets of a BDAT chunk into the spool, or drops them when there is none.</summary>
    private async ValueTask<ContentStatus> ReceiveChunkAsync(long size, MessageSpool? spool)
    {
        var deadline = _context.Time.GetUtcNow() + _options.DataTimeout;
        var remaining = size;
        while (remaining > 0)
        {
            var read = await ReadContentAsync(deadline);
            if (read.Status == NetworkReadStatus.TimedOut) return ContentStatus.TimedOut;
            var chunk = read.Buffer.Slice(0, Math.Min(remaining, read.Buffer.Length));
            if (spool is not null) await spool.WriteAsync(chunk, Aborted);
            remaining -= chunk.Length;
            _connection.Input.AdvanceTo(chunk.End);
            if (remaining > 0 && read.Status == NetworkReadStatus.Closed) return ContentStatus.Closed;
        }
        return ContentStatus.Complete;
    }

    /// <summary>One read of message content: each read within the command timeout, all of them within the data timeout.</summary>
    private ValueTask<NetworkReadResult> ReadContentAsync(DateTimeOffset deadline)
    {
        var left = deadline - _context.Time.GetUtcNow();
        if (left <= TimeSpan.Zero) return ValueTask.FromResult(new NetworkReadResult(NetworkReadStatus.TimedOut, default));
        return _connection.ReadAsync(left < _options.CommandTimeout ? left : _options.CommandTimeout, idle: false);
    }

    private async ValueTask<bool> EndDuringContentAsync(ContentStatus status)
    {
        await ResetTransactionAsync();
        if (status == ContentStatus.TimedOut) return await CloseAsync(SmtpReplies.Timeout(Host), "timeout during message data");
        _endReason = "closed by client during message data";
        return false;
    }

    private void RefuseMessage(SmtpReply reply, MessageSpool spool)
    {
        _messagesRefused++;
        _context.Logger.LogDebug("SMTP session {SessionId}: message of {Size} octets refused: {Code} {Text}", _connection.Id, spool.Size, reply.Code, reply.Text);
        Reply(reply);
    }

    /// <summary>Hands the complete message to the sink and sends exactly the sink's reply.</summary>
    private async ValueTask DeliverAsync(SmtpTransaction transaction, MessageSpool spool)
    {
        var envelope = new SmtpEnvelope(
            MailFrom: transaction.From.IsNull ? null : transaction.From.Address,
            Recipients: transaction.Recipients.ToArray(),
            Listener: _context.Kind,
            RemoteAddress: _connection.RemoteEndPoint.Address,
            HeloName: _heloName ?? "",
            Tls: _connection.IsTls,
            AuthenticatedAs: _account,
            SmtpUtf8: transaction.SmtpUtf8,
            EightBitMime: transaction.Parameters.Body == SmtpBodyType.EightBitMime,
            DsnReturn: transaction.Parameters.Return,
            DsnEnvelopeId: transaction.Parameters.EnvelopeId) { Keeper = _keeper };
        SmtpReply reply;
        try
        {
            reply = await _context.Sink.DeliverAsync(envelope, spool.FilePath, spool.Size, Aborted);
        }
        catch (Exception e) when (e is not OperationCanceledException || !Aborted.IsCancellationRequested)
        {
            _context.Logger.LogError(e, "SMTP session {SessionId}: delivery of a message of {Size} octets failed", _connection.Id, spool.Size);
            reply = SmtpReplies.LocalError;
        }
        if (reply.IsPositive) _messagesAccepted++;
        else _messagesRefused++;
        SmtpMetrics.Message(reply.IsPositive);
        Reply(reply);
    }
}
