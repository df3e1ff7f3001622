using Microsoft.Extensions.Logging;

namespace GovMail.Smtp.Protocol;

// MAIL, RCPT and the end of a transaction.
internal sealed partial class SmtpSession
{
    private async ValueTask<bool> HandleMailAsync(SmtpCommand command)
    {
        if (_heloName is null) return await RefuseAsync(SmtpReplies.NeedHelo);
        if (_transaction is not null) return await RefuseAsync(SmtpReplies.NestedMail);
        if (_context.IsSubmission)
        {
            if (!_connection.IsTls) return Refuse(SmtpReplies.StartTlsFirst);
            if (_account is null) return Refuse(SmtpReplies.AuthRequired);
        }

        var path = command.Path!;
        var parameters = command.MailParameters;
        // BINARYMIME is not offered: the store and the outbound relay deal in text messages.
        if (parameters.Body == SmtpBodyType.BinaryMime) return await RefuseAsync(SmtpReplies.UnsupportedParameter("BODY=BINARYMIME"));
        if (path.IsNonAscii && !parameters.SmtpUtf8) return Refuse(SmtpReplies.NonAsciiAddressNeedsSmtpUtf8);
        if (parameters.Size > _options.MaxMessageSize) return Refuse(SmtpReplies.MessageTooBig(_options.MaxMessageSize));

        var mailFrom = path.IsNull ? null : path.Address;
        var refusal = await AskPolicyAsync(() => _context.Policy.CheckSenderAsync(mailFrom, _context.Kind, _account, parameters.Size, Aborted));
        if (refusal is not null)
        {
            _context.Logger.LogDebug("SMTP session {SessionId}: sender <{Sender}> refused: {Code} {Text}", _connection.Id, mailFrom, refusal.Code, refusal.Text);
            return Refuse(refusal);
        }
        _transaction = new SmtpTransaction(path, parameters);
        Reply(SmtpReplies.SenderOk);
        return true;
    }

    private async ValueTask<bool> HandleRcptAsync(SmtpCommand command)
    {
        var transaction = _transaction;
        if (transaction is null) return await RefuseAsync(SmtpReplies.NeedMail);
        if (transaction.Chunking) return await RefuseAsync(SmtpReplies.BadSequence);

        var path = command.Path!;
        if (path.IsNonAscii && !transaction.SmtpUtf8) return Refuse(SmtpReplies.NonAsciiAddressNeedsSmtpUtf8);
        if (transaction.HasRecipient(path.Address))
        {
            Reply(SmtpReplies.RecipientOk);
            return true;
        }
        if (transaction.Recipients.Count >= _options.MaxRecipients) return Refuse(SmtpReplies.TooManyRecipients);

        var refusal = await AskPolicyAsync(() => _context.Policy.CheckRecipientAsync(path.Address, _context.Kind, _account, transaction.Parameters.Size, Aborted));
        if (refusal is not null)
        {
            _context.Logger.LogDebug("SMTP session {SessionId}: recipient <{Recipient}> refused: {Code} {Text}", _connection.Id, path.Address, refusal.Code, refusal.Text);
            return Refuse(refusal);
        }
        var parameters = command.RecipientParameters;
        transaction.Recipients.Add(new SmtpRecipient(path.Address, parameters.Notify, parameters.OriginalRecipient));
        Reply(SmtpReplies.RecipientOk);
        return true;
    }

    /// <summary>A refusal that is not the client's mistake (a policy said no): replied, not counted.</summary>
    private bool Refuse(SmtpReply reply)
    {
        Reply(reply);
        return true;
    }

    private async ValueTask<SmtpReply?> AskPolicyAsync(Func<Task<SmtpReply?>> check)
    {
        try
        {
            return await check();
        }
        catch (Exception e) when (e is not OperationCanceledException || !Aborted.IsCancellationRequested)
        {
            _context.Logger.LogError(e, "SMTP session {SessionId}: the policy check failed", _connection.Id);
            return SmtpReplies.LocalError;
        }
    }

    /// <summary>Ends the transaction, dropping any BDAT chunks received so far.</summary>
    private async ValueTask ResetTransactionAsync()
    {
        var transaction = _transaction;
        _transaction = null;
        if (transaction?.Spool is { } spool) await spool.DisposeAsync();
    }
}
