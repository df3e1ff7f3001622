using GovMail.Core.Mail;
using GovMail.Core.Text;
using GovMail.Core.Time;
using GovMail.Imap.Commands;
using GovMail.Imap.Selection;
using GovMail.Storage.Blobs;
using GovMail.Storage.Mail;
using MimeKit;

namespace GovMail.Imap.Search;

/// <summary>
/// Decides which messages of the selected mailbox a SEARCH key matches. TEXT and BODY go through the folded search
/// text in the database (BODY only its body part), one query per distinct string and key, so <c>cong van</c> finds <c>công văn</c>; SUBJECT and the
/// address keys compare folded too, against the cached subject and envelope; any other HEADER reads the message's
/// header block. Everything else is a comparison on the message's row.
/// </summary>
internal sealed class SearchEvaluator
{
    private readonly SearchKey _key;
    private readonly SelectedMailbox _selected;
    private readonly IBlobStore _blobs;
    private readonly Dictionary<(bool BodyOnly, string Text), HashSet<uint>> _textMatches;

    private SearchEvaluator(SearchKey key, SelectedMailbox selected, IBlobStore blobs, Dictionary<(bool BodyOnly, string Text), HashSet<uint>> textMatches, bool needsSummary,
        bool usesModSeq)
    {
        UsesModSeq = usesModSeq;
        _key = key;
        _selected = selected;
        _blobs = blobs;
        _textMatches = textMatches;
        NeedsSummary = needsSummary;
    }

    /// <summary>Whether the rows must carry the cached summary (for FROM, TO, CC, BCC).</summary>
    public bool NeedsSummary { get; }

    /// <summary>Whether a MODSEQ key appears anywhere in the search.</summary>
    public bool UsesModSeq { get; }

    public static async Task<SearchEvaluator> PrepareAsync(SearchKey key, SelectedMailbox selected, MailboxQueries queries, IBlobStore blobs,
        CancellationToken ct)
    {
        var texts = new HashSet<(bool BodyOnly, string Text)>();
        var needsSummary = false;
        var usesModSeq = false;
        Walk(key, texts, ref needsSummary, ref usesModSeq);
        var matches = new Dictionary<(bool BodyOnly, string Text), HashSet<uint>>();
        foreach (var text in texts)
            if (text.Text.Length > 0) matches[text] = await queries.TextMatchesAsync(selected.Id, text.Text, text.BodyOnly, ct);
        return new SearchEvaluator(Cheapest(key), selected, blobs, matches, needsSummary, usesModSeq);
    }

    /// <summary>
    /// The same search with the keys of each AND in order of what they cost a message: its row first (flags, dates, sizes,
    /// UIDs, and the text keys whose matches are already known), then its cached summary, then its header block. The result
    /// is the same (AND has no order); a message that fails a cheap key is never parsed or read.
    /// </summary>
    private static SearchKey Cheapest(SearchKey key) => key switch
    {
        AndKey and => new AndKey([.. and.Keys.Select(Cheapest).OrderBy(Cost)]),
        OrKey or => new OrKey(Cheapest(or.Left), Cheapest(or.Right)),
        NotKey not => new NotKey(Cheapest(not.Key)),
        _ => key,
    };

    private static int Cost(SearchKey key) => key switch
    {
        HeaderKey header when header.Field.Equals("Subject", StringComparison.OrdinalIgnoreCase) => 0,
        HeaderKey header when IsAddressField(header.Field) => 1,
        HeaderKey => 2,
        AndKey and => and.Keys.Count == 0 ? 0 : and.Keys.Max(Cost),
        OrKey or => Math.Max(Cost(or.Left), Cost(or.Right)),
        NotKey not => Cost(not.Key),
        _ => 0,
    };

    private static void Walk(SearchKey key, HashSet<(bool BodyOnly, string Text)> texts, ref bool needsSummary, ref bool usesModSeq)
    {
        switch (key)
        {
            case AndKey and:
                foreach (var k in and.Keys) Walk(k, texts, ref needsSummary, ref usesModSeq);
                break;
            case OrKey or:
                Walk(or.Left, texts, ref needsSummary, ref usesModSeq);
                Walk(or.Right, texts, ref needsSummary, ref usesModSeq);
                break;
            case NotKey not:
                Walk(not.Key, texts, ref needsSummary, ref usesModSeq);
                break;
            case TextKey text:
                texts.Add((text.BodyOnly, Fold(text.Value)));
                break;
            case HeaderKey header when IsAddressField(header.Field):
                needsSummary = true;
                break;
            case ModSeqKey:
                usesModSeq = true;
                break;
        }
    }

    /// <summary>Lower case without diacritics: the form the search text is stored in.</summary>
    public static string Fold(string text) => VietnameseText.Fold(text).ToLowerInvariant();

    public ValueTask<bool> MatchesAsync(SearchRow row, int sequence) => EvaluateAsync(_key, new Candidate(row, sequence));

    private async ValueTask<bool> EvaluateAsync(SearchKey key, Candidate c)
    {
        var row = c.Row;
        switch (key)
        {
            case AllKey:
                return true;
            case NoneKey:
                return false;
            case AndKey and:
                foreach (var k in and.Keys)
                    if (!await EvaluateAsync(k, c)) return false;
                return true;
            case OrKey or:
                return await EvaluateAsync(or.Left, c) || await EvaluateAsync(or.Right, c);
            case NotKey not:
                return !await EvaluateAsync(not.Key, c);
            case FlagKey flag:
                return ((row.Flags & flag.Flag) != 0) == flag.Set;
            case KeywordKey keyword:
                return HasKeyword(row.Keywords, keyword.Keyword) == keyword.Set;
            case SetKey { Uid: true } set:
                return set.Set.Contains(row.Uid, _selected.LargestUid);
            case SetKey set:
                return set.Set.Contains((uint)c.Sequence, (uint)_selected.Count);
            case DateKey date:
                return CompareDate(date, date.Field == DateField.Internal ? row.InternalDate : row.SentDate);
            case SizeKey size:
                return size.Larger ? row.Size > size.Size : row.Size < size.Size;
            case ModSeqKey modSeq:
                return row.ModSeq >= modSeq.ModSeq;
            case TextKey text:
            {
                var folded = Fold(text.Value);
                return folded.Length == 0 || (_textMatches.TryGetValue((text.BodyOnly, folded), out var uids) && uids.Contains(row.Uid));
            }
            case HeaderKey header:
                return await MatchesHeaderAsync(header, c);
            default:
                return false;
        }
    }

    private static bool HasKeyword(string? keywords, string keyword)
    {
        if (keywords is null) return false;
        foreach (var k in keywords.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (string.Equals(k, keyword, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static bool CompareDate(DateKey key, DateTimeOffset? instant)
    {
        if (instant is not { } value) return false;
        var day = VietnamTime.Today(value);
        return key.Comparison switch
        {
            DateComparison.Before => day < key.Date,
            DateComparison.On => day == key.Date,
            _ => day >= key.Date,
        };
    }

    private static bool IsAddressField(string field) =>
        field.Equals("From", StringComparison.OrdinalIgnoreCase) || field.Equals("To", StringComparison.OrdinalIgnoreCase) ||
        field.Equals("Cc", StringComparison.OrdinalIgnoreCase) || field.Equals("Bcc", StringComparison.OrdinalIgnoreCase);

    private async ValueTask<bool> MatchesHeaderAsync(HeaderKey key, Candidate c)
    {
        var value = FoldedValue(key.Value);
        if (key.Field.Equals("Subject", StringComparison.OrdinalIgnoreCase))
            return c.Row.Subject is { } subject && Fold(subject).Contains(value, StringComparison.Ordinal);
        if (IsAddressField(key.Field) && c.Row.Summary is { } summary)
        {
            foreach (var address in FoldedAddresses.Of(c.Row.BlobKey, summary).Field(key.Field))
                if (address.Contains(value, StringComparison.Ordinal)) return true;
            return false;
        }
        var headers = await c.HeadersAsync(_blobs);
        if (headers is null) return false;
        foreach (var header in headers)
            if (header.Field.Equals(key.Field, StringComparison.OrdinalIgnoreCase) && Fold(header.Value).Contains(value, StringComparison.Ordinal))
                return true;
        return false;
    }

    /// <summary>A search string folded once per search, not once per message.</summary>
    private string FoldedValue(string value)
    {
        if (!_folded.TryGetValue(value, out var folded)) _folded[value] = folded = Fold(value);
        return folded;
    }

    private readonly Dictionary<string, string> _folded = new(StringComparer.Ordinal);

    /// <summary>One message being tested, with what is loaded for it only when a key needs it.</summary>
    private sealed class Candidate(SearchRow row, int sequence)
    {
        private HeaderList? _headers;
        private bool _headersLoaded;

        public SearchRow Row { get; } = row;
        public int Sequence { get; } = sequence;

        public async ValueTask<HeaderList?> HeadersAsync(IBlobStore blobs)
        {
            if (_headersLoaded) return _headers;
            _headersLoaded = true;
            try
            {
                await using var stream = await blobs.OpenReadAsync(Row.BlobKey, CancellationToken.None);
                var length = (int)Math.Min(Row.HeaderLength, 1024 * 1024);
                var buffer = new byte[length];
                await stream.ReadExactlyAsync(buffer);
                _headers = HeaderList.Load(new MemoryStream(buffer));
            }
            catch (Exception e) when (e is IOException or FormatException or ParseException)
            {
                _headers = null;
            }
            return _headers;
        }
    }
}
