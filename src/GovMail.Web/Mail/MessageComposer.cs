using GovMail.Web.Security;
using MimeKit;
using MimeKit.Utils;

namespace GovMail.Web.Mail;

/// <summary>What the compose form holds, as the user typed it.</summary>
public sealed record Draft(string To, string? Cc, string? Subject, string? Body, string? InReplyTo, string? References);

/// <summary>A file the user attached: its name, type and content.</summary>
public sealed record DraftAttachment(string FileName, string ContentType, Stream Content);

/// <summary>
/// Turns a compose form into a message (soạn thư): addresses parsed and checked, the text as UTF-8 quoted-printable, the
/// attachments as base64 parts, a Message-ID on the sender's domain and the reply threading headers.
/// </summary>
public static class MessageComposer
{
    /// <summary>The recipients typed in one field (separated by commas or semicolons), or the first one that is not an address.</summary>
    public static (List<MailboxAddress> Addresses, string? Invalid) ParseAddresses(string? text)
    {
        var list = new List<MailboxAddress>();
        if (string.IsNullOrWhiteSpace(text)) return (list, null);
        foreach (var piece in text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!MailboxAddress.TryParse(ParserOptions.Default, piece, out var address) || !IsAddress(address.Address)) return (list, piece);
            list.Add(address);
        }
        return (list, null);
    }

    private static bool IsAddress(string address)
    {
        var at = address.LastIndexOf('@');
        return at > 0 && at < address.Length - 1 && address.IndexOf('.', at) > at + 1 && !address.Any(char.IsWhiteSpace);
    }

    public static MimeMessage Compose(WebUser sender, IReadOnlyList<MailboxAddress> to, IReadOnlyList<MailboxAddress> cc, Draft draft,
        IReadOnlyList<DraftAttachment> attachments, DateTimeOffset now)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(sender.DisplayName, sender.Address));
        message.To.AddRange(to);
        message.Cc.AddRange(cc);
        message.Subject = draft.Subject?.Trim() ?? "";
        message.Date = Core.Time.VietnamTime.ToLocal(now);
        var domain = sender.Address[(sender.Address.LastIndexOf('@') + 1)..];
        message.MessageId = MimeUtils.GenerateMessageId(domain);
        if (!string.IsNullOrWhiteSpace(draft.InReplyTo))
        {
            message.InReplyTo = draft.InReplyTo.Trim();
            foreach (var id in (draft.References ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeLast(20))
                message.References.Add(id);
            if (!message.References.Contains(message.InReplyTo)) message.References.Add(message.InReplyTo);
        }
        var text = new TextPart("plain") { Text = (draft.Body ?? "").Replace("\r\n", "\n").Replace("\n", "\r\n") };
        text.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        if (attachments.Count == 0)
        {
            message.Body = text;
            return message;
        }
        var mixed = new Multipart("mixed") { text };
        foreach (var a in attachments)
        {
            var type = ContentType.TryParse(a.ContentType, out var parsed) ? parsed : new ContentType("application", "octet-stream");
            mixed.Add(new MimePart(type)
            {
                Content = new MimeContent(a.Content),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = Path.GetFileName(a.FileName),
            });
        }
        message.Body = mixed;
        return message;
    }

    /// <summary>The form of a reply: to the sender (or Reply-To), "Re:" once, the original quoted under a line that says who wrote it.</summary>
    public static Draft Reply(MimeMessage original, string wroteLine)
    {
        var to = original.ReplyTo.Count > 0 ? original.ReplyTo : original.From;
        var subject = original.Subject ?? "";
        if (!subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase)) subject = "Re: " + subject;
        var quoted = string.Join("\n", (original.TextBody ?? HtmlToText(original.HtmlBody)).Replace("\r\n", "\n").TrimEnd().Split('\n').Select(l => "> " + l));
        var references = string.Join(' ', original.References.Append(original.MessageId ?? "").Where(r => r.Length > 0).Select(r => $"<{r.Trim('<', '>')}>"));
        return new Draft(to.ToString(), null, subject, $"\n\n{wroteLine}\n{quoted}\n",
            original.MessageId is { } id ? $"<{id.Trim('<', '>')}>" : null, references);
    }

    private static string HtmlToText(string? html)
    {
        if (string.IsNullOrEmpty(html)) return "";
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        using var document = parser.ParseDocument(html);
        return document.Body?.TextContent.Trim() ?? "";
    }
}
