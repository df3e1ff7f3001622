using GovMail.Core.Mail;
using GovMail.Imap.Protocol;

namespace GovMail.Imap.Commands;

/// <summary>SEARCH [RETURN (options)] [CHARSET x] keys: the keys as one tree (the top level is an AND).</summary>
public sealed record SearchCommand(string Tag, SearchKey Key) : ImapCommand(Tag, ImapCommandKind.Search)
{
    /// <summary>The RETURN options of an extended search (ESEARCH, RFC 4731); null for a plain SEARCH answered with <c>* SEARCH</c>.</summary>
    public SearchReturn? Return { get; init; }
}

/// <summary>What an extended search returns (RFC 4731): <c>RETURN ()</c> means <see cref="All"/>.</summary>
[Flags]
public enum SearchReturn
{
    None = 0,
    Min = 1 << 0,
    Max = 1 << 1,
    All = 1 << 2,
    Count = 1 << 3,
    /// <summary>SAVE: keep the result for <c>$</c> (RFC 5182); alone, nothing is returned.</summary>
    Save = 1 << 4,
}

/// <summary>A search key of RFC 3501 section 6.4.4 / RFC 9051 section 6.4.4.</summary>
public abstract record SearchKey;

/// <summary>ALL (and OLD: no message is \Recent here).</summary>
public sealed record AllKey : SearchKey
{
    public static readonly AllKey Instance = new();
}

/// <summary>Matches nothing: NEW and RECENT, since no message is \Recent here.</summary>
public sealed record NoneKey : SearchKey
{
    public static readonly NoneKey Instance = new();
}

public sealed record AndKey(IReadOnlyList<SearchKey> Keys) : SearchKey;

public sealed record OrKey(SearchKey Left, SearchKey Right) : SearchKey;

public sealed record NotKey(SearchKey Key) : SearchKey;

/// <summary>SEEN, UNSEEN, ANSWERED, DELETED, DRAFT, FLAGGED and their UN- forms.</summary>
public sealed record FlagKey(MessageFlags Flag, bool Set) : SearchKey;

/// <summary>KEYWORD x, UNKEYWORD x.</summary>
public sealed record KeywordKey(string Keyword, bool Set) : SearchKey;

/// <summary>A sequence set (message numbers) or UID set.</summary>
public sealed record SetKey(SequenceSet Set, bool Uid) : SearchKey;

public enum DateField
{
    /// <summary>BEFORE, ON, SINCE: the INTERNALDATE.</summary>
    Internal,
    /// <summary>SENTBEFORE, SENTON, SENTSINCE: the Date header.</summary>
    Sent,
}

public enum DateComparison
{
    Before,
    On,
    Since,
}

/// <summary>A date comparison, by calendar day in Vietnam time (time and zone disregarded, as RFC 3501 says).</summary>
public sealed record DateKey(DateField Field, DateComparison Comparison, DateOnly Date) : SearchKey;

/// <summary>LARGER n, SMALLER n (RFC822.SIZE).</summary>
public sealed record SizeKey(bool Larger, long Size) : SearchKey;

/// <summary>HEADER field value, and FROM, TO, CC, BCC, SUBJECT as the header they name. An empty value matches any message with the field.</summary>
public sealed record HeaderKey(string Field, string Value) : SearchKey;

/// <summary>TEXT (header and body) or BODY (body), through the folded search text: <c>cong van</c> finds <c>công văn</c>.</summary>
public sealed record TextKey(bool BodyOnly, string Value) : SearchKey;

/// <summary>MODSEQ n (CONDSTORE).</summary>
public sealed record ModSeqKey(long ModSeq) : SearchKey;
