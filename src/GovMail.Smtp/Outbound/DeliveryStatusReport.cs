using System.Text;
using GovMail.Core;
using GovMail.Core.Mail;
using GovMail.Core.Time;
using MimeKit;
using MimeKit.Utils;

namespace GovMail.Smtp.Outbound;

/// <summary>One recipient's line in a delivery status notification.</summary>
public sealed record RecipientStatus(OutboundRecipient Recipient, DsnAction Action, RelayReply Reply, DateTimeOffset LastAttempt)
{
    /// <summary>The group or alias address the sender wrote that expanded to this recipient, when it differs.</summary>
    public string? ExpandedFrom { get; init; }
}

/// <summary>
/// A delivery status notification (thư báo trạng thái gửi, RFC 3464): a multipart/report with a plain-words explanation in
/// Vietnamese then English, the machine-readable message/delivery-status, and the original message's headers (or the whole
/// message when the sender asked with RET=FULL and it is small).
/// </summary>
public static class DeliveryStatusReport
{
    public sealed record Request(
        string ReportingMta,
        MailboxAddress From,
        string Sender,
        OutboundMessage Message,
        IReadOnlyList<RecipientStatus> Recipients,
        DateTimeOffset Now,
        DateTimeOffset? WillRetryUntil,
        long FullReturnLimit);

    /// <summary>Builds the notice; <paramref name="original"/> is the queued message (seekable), or null when it is gone.</summary>
    public static MimeMessage Build(Request request, Stream? original)
    {
        HeaderList? originalHeaders = null;
        byte[]? headerBlock = null;
        if (original is not null)
        {
            headerBlock = ReadHeaderBlock(original);
            using var headerStream = new MemoryStream(headerBlock);
            originalHeaders = HeaderList.Load(headerStream);
        }
        var subject = originalHeaders?[HeaderId.Subject]?.Trim() ?? "";
        var action = request.Recipients.Select(r => r.Action).Min();

        var report = new MimeMessage();
        report.From.Add(request.From);
        report.To.Add(MailboxAddress.Parse(ParserOptions.Default, request.Sender));
        report.Subject = $"{Messages.Get(SubjectKey(action), Messages.Vietnamese)} / {Messages.Get(SubjectKey(action), Messages.English)}"
            + (subject.Length > 0 ? ": " + subject : "");
        report.Date = VietnamTime.ToLocal(request.Now);
        report.MessageId = MimeUtils.GenerateMessageId(request.ReportingMta);
        if (originalHeaders?[HeaderId.MessageId]?.Trim() is { Length: > 2 } originalId && originalId[0] == '<' && originalId[^1] == '>')
        {
            report.InReplyTo = originalId[1..^1];
            report.References.Add(originalId[1..^1]);
        }
        // RFC 3834: a machine answered; auto-responders must not answer back.
        report.Headers.Add("Auto-Submitted", "auto-replied");

        var body = new MultipartReport("delivery-status")
        {
            // Quoted-printable keeps the notice 7-bit wherever it goes while the English half stays readable in the source.
            new TextPart("plain") { Text = HumanText(request, action, subject), ContentTransferEncoding = ContentEncoding.QuotedPrintable },
            DeliveryStatus(request),
        };
        if (original is not null)
        {
            var full = string.Equals(request.Message.DsnReturn, "FULL", StringComparison.OrdinalIgnoreCase)
                && original.Length <= request.FullReturnLimit;
            original.Position = 0;
            body.Add(full
                ? new MessagePart("rfc822") { Message = MimeMessage.Load(original) }
                : new TextRfc822Headers { Message = MimeMessage.Load(new MemoryStream(Terminated(headerBlock!))) });
        }
        report.Body = body;
        return report;
    }

    private static string SubjectKey(DsnAction action) => action switch
    {
        DsnAction.Failed => "DsnSubjectFailed",
        DsnAction.Delayed => "DsnSubjectDelayed",
        _ => "DsnSubjectRelayed",
    };

    private static string HumanText(Request request, DsnAction action, string subject)
    {
        var text = new StringBuilder();
        foreach (var culture in new[] { Messages.Vietnamese, Messages.English })
        {
            if (text.Length > 0) text.Append("\n----------------------------------------\n\n");
            var intro = action switch
            {
                DsnAction.Failed => "DsnIntroFailed",
                DsnAction.Delayed => "DsnIntroDelayed",
                _ => "DsnIntroRelayed",
            };
            text.Append(Messages.Format(intro, culture, [request.Message.CreatedAt, subject.Length > 0 ? subject : "—"])).Append("\n\n");
            foreach (var r in request.Recipients)
            {
                text.Append("  ").Append(r.Recipient.Address);
                if (r.ExpandedFrom is { } group) text.Append(' ').Append(Messages.Format("DsnMemberOf", culture, [group]));
                text.Append('\n');
                if (r.Action != DsnAction.Relayed)
                {
                    text.Append("    ");
                    text.Append(r.Reply.RemoteMta is { } mta && r.Reply.Code is { } code
                        ? Messages.Format("DsnServerSaid", culture, [mta, $"{code} {r.Reply.Text}"])
                        : r.Reply.IsMailboxFull
                            ? Messages.Format("DsnMailboxFull", culture, [r.Reply.Status])
                            : Messages.Format("DsnReason", culture, [$"{r.Reply.Status} {r.Reply.Text}"]));
                    text.Append('\n');
                }
            }
            text.Append('\n');
            var advice = action switch
            {
                DsnAction.Failed when request.Recipients.All(r => r.Reply.IsMailboxFull) => Messages.Format("DsnAdviceMailboxFull", culture, []),
                DsnAction.Failed => Messages.Format(request.Recipients.Any(r => r.Reply.IsPermanent) ? "DsnAdviceFailed" : "DsnAdviceExpired", culture, []),
                DsnAction.Delayed => Messages.Format("DsnAdviceDelayed", culture, [request.WillRetryUntil ?? request.Now]),
                _ => Messages.Format("DsnAdviceRelayed", culture, []),
            };
            text.Append(advice).Append("\n\n");
            text.Append(Messages.Format("DsnSignature", culture, [request.ReportingMta])).Append('\n');
        }
        return text.ToString();
    }

    private static MessageDeliveryStatus DeliveryStatus(Request request)
    {
        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList
        {
            { "Reporting-MTA", "dns; " + request.ReportingMta },
        };
        if (!string.IsNullOrEmpty(request.Message.DsnEnvelopeId))
            perMessage.Add("Original-Envelope-Id", DsnParameters.DecodeXtext(request.Message.DsnEnvelopeId));
        perMessage.Add("Arrival-Date", DateUtils.FormatDate(VietnamTime.ToLocal(request.Message.CreatedAt)));
        status.StatusGroups.Add(perMessage);

        foreach (var r in request.Recipients)
        {
            var fields = new HeaderList();
            if (OriginalRecipient(r.Recipient.DsnOriginalRecipient) is { } orcpt) fields.Add("Original-Recipient", orcpt);
            fields.Add("Final-Recipient", "rfc822; " + r.Recipient.Address);
            fields.Add("Action", r.Action.ToString().ToLowerInvariant());
            fields.Add("Status", r.Action == DsnAction.Relayed ? "2.0.0" : r.Reply.Status);
            if (r.Reply.RemoteMta is { } mta) fields.Add("Remote-MTA", "dns; " + mta);
            if (r.Action != DsnAction.Relayed && r.Reply.DiagnosticCode is { } diagnostic) fields.Add("Diagnostic-Code", diagnostic);
            fields.Add("Last-Attempt-Date", DateUtils.FormatDate(VietnamTime.ToLocal(r.LastAttempt)));
            if (r.Action == DsnAction.Delayed && request.WillRetryUntil is { } until) fields.Add("Will-Retry-Until", DateUtils.FormatDate(VietnamTime.ToLocal(until)));
            status.StatusGroups.Add(fields);
        }
        return status;
    }

    /// <summary>ORCPT is stored as sent ("rfc822;xtext"); the report carries it decoded.</summary>
    private static string? OriginalRecipient(string? orcpt)
    {
        if (string.IsNullOrEmpty(orcpt)) return null;
        var semicolon = orcpt.IndexOf(';');
        return semicolon <= 0 ? null : orcpt[..semicolon].Trim() + "; " + DsnParameters.DecodeXtext(orcpt[(semicolon + 1)..].Trim());
    }

    /// <summary>The header block of a message, up to and including the empty line that ends it (or the whole of a body-less one).</summary>
    private static byte[] ReadHeaderBlock(Stream stream)
    {
        stream.Position = 0;
        var block = new MemoryStream();
        int previous = -1, current, lineLength = 0;
        while ((current = stream.ReadByte()) >= 0)
        {
            block.WriteByte((byte)current);
            if (current == '\n')
            {
                if (lineLength == 0 || (lineLength == 1 && previous == '\r')) break;
                lineLength = 0;
            }
            else lineLength++;
            previous = current;
            if (block.Length > 1024 * 1024) break;
        }
        return block.ToArray();
    }

    private static byte[] Terminated(byte[] headerBlock) =>
        headerBlock.Length >= 2 && headerBlock[^1] == '\n' && (headerBlock[^2] == '\n' || (headerBlock.Length >= 3 && headerBlock[^2] == '\r' && headerBlock[^3] == '\n'))
            ? headerBlock
            : [.. headerBlock, (byte)'\r', (byte)'\n'];
}
