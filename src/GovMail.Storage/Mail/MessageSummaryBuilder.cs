using System.Text;
using GovMail.Core.Text;
using MimeKit;

namespace GovMail.Storage.Mail;

/// <summary>
/// Parses a stored message once, with MimeKit, into what delivery caches: the <see cref="MessageSummary"/>, the header
/// block length, the first sender, subject and date, a preview and folded search text. Never throws on malformed mail:
/// a message MimeKit cannot structure is summarised as one text/plain part.
/// </summary>
public static partial class MessageSummaryBuilder
{
    public const int MaxSearchText = 256 * 1024;

    /// <summary>
    /// Deepest nesting of multiparts and attached messages summarised as such (Dovecot stops at 100 as well): a part
    /// deeper than that is one opaque part (application/octet-stream), its octets still served by BODY[section].
    /// </summary>
    public const int MaxNesting = 100;

    /// <summary>Most parts summarised in one message; parts past it are left out of its structure (BODY[] still has them).</summary>
    public const int MaxParts = 10_000;

    /// <summary>
    /// Separates, in the search text, the header fields (subject, names and addresses) from the body's text. Messages
    /// stored before it existed have none: all their search text counts as body.
    /// </summary>
    public const char BodyMarker = '\u001e';
    public const int PreviewLength = 200;

    /// <summary>Most Message-IDs of a References header kept for threading (the oldest and the parent are what count).</summary>
    public const int MaxReferences = 100;

    public sealed record Result(
        MessageSummary Summary,
        long HeaderLength,
        string? Subject,
        string? FromAddress,
        string? FromName,
        DateTimeOffset? SentDate,
        string? MessageId,
        string SearchText,
        string? Preview,
        bool HasAttachments);

    public static Result Build(Stream stream)
    {
        var offsets = new Dictionary<MimeEntity, (long Begin, long HeadersEnd, long End, int Lines)>(ReferenceEqualityComparer.Instance);
        var messageEnds = new Dictionary<MimeMessage, long>(ReferenceEqualityComparer.Instance);
        var parser = new MimeParser(ParserOptions.Default, stream, persistent: false);
        parser.MimeEntityEnd += (_, e) => offsets[e.Entity] = (e.BeginOffset, e.HeadersEndOffset, e.EndOffset, e.Lines);
        parser.MimeMessageEnd += (_, e) => messageEnds[e.Message] = e.HeadersEndOffset;
        MimeMessage message;
        try
        {
            message = parser.ParseMessage();
        }
        catch (FormatException)
        {
            return Fallback(stream);
        }

        var headerLength = messageEnds.TryGetValue(message, out var he) ? he : 0;
        var body = message.Body is null ? null : Part(message.Body, offsets, messageEnds, 0, new PartBudget());
        body ??= new PartSummary { Type = "text", Subtype = "plain", Begin = headerLength, ContentBegin = headerLength, End = stream.Length };

        var search = new StringBuilder();
        void Add(string? s) { if (!string.IsNullOrEmpty(s) && search.Length < MaxSearchText) search.Append(s).Append('\n'); }
        Add(message.Subject);
        foreach (var a in message.From.Mailboxes.Concat(message.To.Mailboxes).Concat(message.Cc.Mailboxes)) { Add(a.Name); Add(a.Address); }
        // What follows is the body: IMAP SEARCH BODY looks only there, TEXT everywhere.
        search.Append(BodyMarker);
        string? preview = null;
        var hasAttachments = false;
        foreach (var part in message.BodyParts)
        {
            if (part is MimePart { IsAttachment: true } attachment) { hasAttachments = true; Add(attachment.FileName); continue; }
            if (part is TextPart text && search.Length < MaxSearchText)
            {
                string content;
                try { content = text.IsHtml ? StripHtml(text.Text) : text.Text; }
                catch (Exception e) when (e is FormatException or DecoderFallbackException or NotSupportedException) { continue; }
                preview ??= MakePreview(content);
                Add(content);
            }
        }
        var folded = VietnameseText.Fold(search.ToString()).ToLowerInvariant();
        if (folded.Length > MaxSearchText) folded = folded[..MaxSearchText];

        var from = message.From.Mailboxes.FirstOrDefault();
        return new Result(
            new MessageSummary(Envelope(message), body) { References = References(message.References) },
            headerLength,
            Truncate(message.Subject, 1000),
            Truncate(from?.Address, 320),
            Truncate(from?.Name, 300),
            message.Headers.Contains(HeaderId.Date) ? message.Date : null,
            Truncate(message.MessageId, 1000),
            folded,
            preview,
            hasAttachments);
    }

    /// <summary>The References kept: all of them, or the oldest and the most recent when there are too many.</summary>
    private static List<string>? References(IList<string> references)
    {
        if (references.Count == 0) return null;
        if (references.Count <= MaxReferences) return [.. references];
        return [references[0], .. references.Skip(references.Count - (MaxReferences - 1))];
    }

    /// <summary>How many more parts a message's summary may list (<see cref="MaxParts"/>).</summary>
    private sealed class PartBudget
    {
        public int Left { get; set; } = MaxParts;
    }

    private static PartSummary Part(MimeEntity entity, Dictionary<MimeEntity, (long Begin, long HeadersEnd, long End, int Lines)> offsets,
        Dictionary<MimeMessage, long> messageEnds, int depth, PartBudget budget)
    {
        budget.Left--;
        offsets.TryGetValue(entity, out var o);
        var ct = entity.ContentType;
        var parameters = ct.Parameters.Count == 0 ? null : ct.Parameters.GroupBy(p => p.Name.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First().Value);
        var disposition = entity.ContentDisposition;
        var part = new PartSummary
        {
            Type = ct.MediaType.ToLowerInvariant(),
            Subtype = ct.MediaSubtype.ToLowerInvariant(),
            Parameters = parameters,
            ContentId = entity.Headers[HeaderId.ContentId],
            Description = entity.Headers[HeaderId.ContentDescription],
            TransferEncoding = entity.Headers[HeaderId.ContentTransferEncoding]?.Trim(),
            Disposition = disposition?.Disposition.ToLowerInvariant(),
            DispositionParameters = disposition is null || disposition.Parameters.Count == 0 ? null
                : disposition.Parameters.GroupBy(p => p.Name.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First().Value),
            Language = entity.Headers[HeaderId.ContentLanguage] is { } lang
                ? lang.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null,
            Location = entity.Headers[HeaderId.ContentLocation],
            Md5 = entity.Headers[HeaderId.ContentMd5],
            Begin = o.Begin,
            ContentBegin = o.HeadersEnd,
            End = o.End,
            Lines = o.Lines,
        };
        if (depth >= MaxNesting && entity is Multipart or MessagePart)
            return part with { Type = "application", Subtype = "octet-stream", Parameters = null };
        return entity switch
        {
            Multipart multipart => part with
            {
                Parts = multipart.TakeWhile(_ => budget.Left > 0).Select(child => Part(child, offsets, messageEnds, depth + 1, budget)).ToList(),
            },
            MessagePart { Message: { } inner } => part with
            {
                MessageEnvelope = Envelope(inner),
                MessageBody = inner.Body is null ? null : Part(inner.Body, offsets, messageEnds, depth + 1, budget),
            },
            _ => part,
        };
    }

    private static EnvelopeSummary Envelope(MimeMessage m) => new(
        Unfold(m.Headers[HeaderId.Date]),
        Unfold(m.Headers[HeaderId.Subject]),
        Addresses(m.From),
        Addresses(m.Sender is null ? m.From : [m.Sender]),
        Addresses(m.ReplyTo.Count == 0 ? m.From : m.ReplyTo),
        Addresses(m.To),
        Addresses(m.Cc),
        Addresses(m.Bcc),
        Unfold(m.Headers[HeaderId.InReplyTo]),
        Unfold(m.Headers[HeaderId.MessageId]));

    private static List<AddressSummary> Addresses(IEnumerable<InternetAddress> list)
    {
        var result = new List<AddressSummary>();
        foreach (var a in list)
        {
            switch (a)
            {
                case MailboxAddress mb:
                    var at = mb.Address.LastIndexOf('@');
                    result.Add(new AddressSummary(string.IsNullOrEmpty(mb.Name) ? null : mb.Name,
                        at < 0 ? mb.Address : mb.Address[..at], at < 0 ? null : mb.Address[(at + 1)..]));
                    break;
                case GroupAddress g:
                    result.Add(new AddressSummary(g.Name, null, null, Addresses(g.Members)));
                    break;
            }
        }
        return result;
    }

    private static Result Fallback(Stream stream)
    {
        var body = new PartSummary { Type = "text", Subtype = "plain", Begin = 0, ContentBegin = 0, End = stream.Length };
        var empty = new EnvelopeSummary(null, null, [], [], [], [], [], [], null, null);
        return new Result(new MessageSummary(empty, body), 0, null, null, null, null, null, "", null, false);
    }

    private static string? Unfold(string? value) => value is null ? null : value.Replace("\r\n", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim();

    private static string? Truncate(string? s, int max) => s is null ? null : s.Length <= max ? s : s[..max];

    private static string MakePreview(string text)
    {
        var one = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return one.Length <= PreviewLength ? one : one[..PreviewLength];
    }

    /// <summary>Scripts, style sheets and comments: never text a reader sees, so never in the preview or the search text.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"<!--.*?(?:-->|$)|<(?:script|style)\b[^>]*>.*?(?:</(?:script|style)\s*>|$)",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.Singleline
        | System.Text.RegularExpressions.RegexOptions.NonBacktracking)]
    private static partial System.Text.RegularExpressions.Regex HiddenHtml();

    /// <summary>
    /// The text of an HTML body: tags out, block elements end a line, and each line of quoted text (a <c>&lt;blockquote&gt;</c>,
    /// or Gmail's, Thunderbird's or Yahoo's quote container) starts with "&gt; " as it would in a plain-text reply, so a rule that
    /// reads only the author's own words (<see cref="Core.Security.OfficialUse.PublicContactsIn"/>) leaves the quote aside.
    /// </summary>
    private static string StripHtml(string html)
    {
        html = HiddenHtml().Replace(html, " ");
        var sb = new StringBuilder(html.Length);
        var quoteDepth = 0;
        var divs = new Stack<bool>(); // each open <div>: is it a quote container?
        var lineStart = true;
        for (var i = 0; i < html.Length; i++)
        {
            var c = html[i];
            if (c == '<')
            {
                var end = html.IndexOf('>', i + 1);
                if (end < 0) break; // an unterminated tag: the rest is inside it
                var tag = html.AsSpan(i + 1, end - i - 1);
                i = end;
                var closing = tag.StartsWith("/");
                var name = TagName(closing ? tag[1..] : tag);
                if (name.Equals("blockquote", StringComparison.OrdinalIgnoreCase))
                    quoteDepth = Math.Max(0, quoteDepth + (closing ? -1 : 1));
                else if (name.Equals("div", StringComparison.OrdinalIgnoreCase))
                {
                    if (!closing)
                    {
                        var quote = IsQuoteContainer(tag);
                        divs.Push(quote);
                        if (quote) quoteDepth++;
                    }
                    else if (divs.TryPop(out var wasQuote) && wasQuote) quoteDepth = Math.Max(0, quoteDepth - 1);
                }
                if (IsBlock(name)) { sb.Append('\n'); lineStart = true; }
                else sb.Append(' ');
                continue;
            }
            if (c == '\n') { sb.Append('\n'); lineStart = true; continue; }
            if (lineStart && !char.IsWhiteSpace(c))
            {
                if (quoteDepth > 0) sb.Append("> ");
                lineStart = false;
            }
            sb.Append(c);
        }
        return System.Net.WebUtility.HtmlDecode(sb.ToString());
    }

    private static ReadOnlySpan<char> TagName(ReadOnlySpan<char> tag)
    {
        var n = 0;
        while (n < tag.Length && char.IsAsciiLetterOrDigit(tag[n])) n++;
        return tag[..n];
    }

    /// <summary>Elements that begin a new line of text.</summary>
    private static readonly string[] BlockNames =
        ["p", "div", "br", "blockquote", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre"];

    private static bool IsBlock(ReadOnlySpan<char> name)
    {
        foreach (var block in BlockNames)
            if (name.Equals(block, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>A <c>&lt;div&gt;</c> that holds quoted mail: Gmail's <c>gmail_quote</c>, Thunderbird's <c>moz-cite-prefix</c>, Yahoo's <c>yahoo_quoted</c>.</summary>
    private static bool IsQuoteContainer(ReadOnlySpan<char> tag) =>
        tag.Contains("gmail_quote", StringComparison.OrdinalIgnoreCase) || tag.Contains("moz-cite-prefix", StringComparison.OrdinalIgnoreCase)
        || tag.Contains("yahoo_quoted", StringComparison.OrdinalIgnoreCase);
}
