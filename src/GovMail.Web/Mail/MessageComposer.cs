using System.Text;
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
        // The form carries the original's ids back; only what reads as a Message-ID is kept (the form could say anything).
        if (MimeUtils.EnumerateReferences(draft.InReplyTo ?? "").FirstOrDefault() is { } inReplyTo)
        {
            message.InReplyTo = inReplyTo;
            foreach (var id in MimeUtils.EnumerateReferences(draft.References ?? "").TakeLast(20)) message.References.Add(id);
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
    public static Draft Reply(MimeMessage original, string wroteLine) => Reply(original, wroteLine, all: false, self: null);

    /// <summary>
    /// A reply, or with <paramref name="all"/> a reply to all (trả lời tất cả): the sender (or Reply-To) in To, everyone else
    /// the original was addressed to (To and Cc) in Cc, each once, without <paramref name="self"/>.
    /// </summary>
    public static Draft Reply(MimeMessage original, string wroteLine, bool all, string? self)
    {
        var to = (original.ReplyTo.Count > 0 ? original.ReplyTo : original.From).Mailboxes.ToList();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (self is not null) seen.Add(self);
        to = [.. to.Where(a => seen.Add(a.Address))];
        var cc = all ? original.To.Mailboxes.Concat(original.Cc.Mailboxes).Where(a => seen.Add(a.Address)).ToList() : [];
        if (to.Count == 0 && self is not null && (original.ReplyTo.Count > 0 ? original.ReplyTo : original.From).Mailboxes.FirstOrDefault() is { } me)
            to.Add(me); // a reply to one's own message goes to oneself rather than nowhere
        var subject = Prefixed(original.Subject, "Re:");
        var quoted = string.Join("\n", TextOf(original).Split('\n').Select(l => "> " + l));
        var references = string.Join(' ', original.References.Append(original.MessageId ?? "").Where(r => r.Length > 0).Select(r => $"<{r.Trim('<', '>')}>"));
        return new Draft(List(to), cc.Count > 0 ? List(cc) : null, subject, $"\n\n{wroteLine}\n{quoted}\n",
            original.MessageId is { } id ? $"<{id.Trim('<', '>')}>" : null, references);
    }

    /// <summary>
    /// The form of a forward (chuyển tiếp): no recipient yet, "Fwd:" once, the original's headers in a short block above its
    /// text; the caller attaches the original's files.
    /// </summary>
    public static Draft Forward(MimeMessage original, IReadOnlyList<(string Label, string Value)> headerLines, string title)
    {
        var block = string.Join("\n", headerLines.Where(h => h.Value.Length > 0).Select(h => $"{h.Label}: {h.Value}"));
        return new Draft("", null, Prefixed(original.Subject, "Fwd:"), $"\n\n---------- {title} ----------\n{block}\n\n{TextOf(original)}\n", null, null);
    }

    /// <summary>Addresses as one field shows them: <c>Name &lt;address&gt;</c>, separated by commas.</summary>
    public static string List(IEnumerable<MailboxAddress> addresses) =>
        string.Join(", ", addresses.Select(a => a.ToString()));

    private static string Prefixed(string? subject, string prefix)
    {
        subject ??= "";
        return subject.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? subject : prefix + " " + subject;
    }

    private static string TextOf(MimeMessage message) => (message.TextBody ?? HtmlToText(message.HtmlBody)).Replace("\r\n", "\n").TrimEnd();

    /// <summary>Headers a saved draft keeps the recipient fields in exactly as typed (even half-typed addresses).</summary>
    public const string DraftToHeader = "X-GovMail-Draft-To";
    public const string DraftCcHeader = "X-GovMail-Draft-Cc";

    /// <summary>
    /// The message a draft is saved as (thư nháp): what can be parsed of the recipients as real headers, the fields as typed
    /// in two private headers, so a reopened draft shows exactly what was there.
    /// </summary>
    public static MimeMessage ComposeDraft(WebUser sender, Draft draft, IReadOnlyList<DraftAttachment> attachments, DateTimeOffset now)
    {
        var to = Lenient(draft.To);
        var cc = Lenient(draft.Cc);
        var message = Compose(sender, to, cc, draft, attachments, now);
        message.Headers.Add(DraftToHeader, Encoding.UTF8, draft.To ?? "");
        if (!string.IsNullOrEmpty(draft.Cc)) message.Headers.Add(DraftCcHeader, Encoding.UTF8, draft.Cc);
        return message;
    }

    /// <summary>The form a saved draft opens in again.</summary>
    public static Draft FromDraft(MimeMessage saved)
    {
        var to = saved.Headers[DraftToHeader] ?? List(saved.To.Mailboxes);
        var cc = saved.Headers[DraftCcHeader] ?? (saved.Cc.Count > 0 ? List(saved.Cc.Mailboxes) : null);
        var references = string.Join(' ', saved.References.Select(r => $"<{r.Trim('<', '>')}>"));
        return new Draft(to, cc, saved.Subject, (saved.TextBody ?? "").Replace("\r\n", "\n"),
            saved.InReplyTo is { } reply ? $"<{reply.Trim('<', '>')}>" : null, references.Length > 0 ? references : null);
    }

    private static List<MailboxAddress> Lenient(string? text)
    {
        var list = new List<MailboxAddress>();
        if (string.IsNullOrWhiteSpace(text)) return list;
        foreach (var piece in text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (MailboxAddress.TryParse(ParserOptions.Default, piece, out var address) && IsAddress(address.Address)) list.Add(address);
        return list;
    }

    private static string HtmlToText(string? html)
    {
        if (string.IsNullOrEmpty(html)) return "";
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        using var document = parser.ParseDocument(html);
        return document.Body?.TextContent.Trim() ?? "";
    }
}
