using GovMail.Storage.Mail;
using Microsoft.Extensions.Caching.Memory;

namespace GovMail.Imap.Search;

/// <summary>
/// The From, To, Cc and Bcc of a message as SEARCH compares them (each address as <c>name &lt;mailbox@host&gt;</c>, folded),
/// made once from its cached summary. Messages never change, so what was made is kept for the next search of the same
/// messages (clients search the same mailbox again and again) in a process-wide table of bounded size, by blob key.
/// </summary>
internal sealed class FoldedAddresses
{
    /// <summary>Most messages kept; past it the least used go first (not the whole table, so a mailbox larger than it keeps most).</summary>
    internal const int Capacity = 20_000;

    private static readonly MemoryCache Cache = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.1 });

    private static readonly MemoryCacheEntryOptions OneEntry = new() { Size = 1 };

    private FoldedAddresses(string[] from, string[] to, string[] cc, string[] bcc)
    {
        From = from;
        To = to;
        Cc = cc;
        Bcc = bcc;
    }

    public string[] From { get; }
    public string[] To { get; }
    public string[] Cc { get; }
    public string[] Bcc { get; }

    /// <summary>The folded addresses of the message with <paramref name="blobKey"/>, made from <paramref name="summaryJson"/> if not kept.</summary>
    public static FoldedAddresses Of(string blobKey, string summaryJson)
    {
        if (Cache.TryGetValue(blobKey, out FoldedAddresses? kept)) return kept!;
        var envelope = MessageSummary.FromJson(summaryJson).Envelope;
        var made = new FoldedAddresses(Fold(envelope.From), Fold(envelope.To), Fold(envelope.Cc), Fold(envelope.Bcc));
        Cache.Set(blobKey, made, OneEntry);
        return made;
    }

    /// <summary>The list of <paramref name="field"/> (From, To, Cc or Bcc, any case).</summary>
    public string[] Field(string field) => field.ToUpperInvariant() switch
    {
        "FROM" => From,
        "TO" => To,
        "CC" => Cc,
        _ => Bcc,
    };

    private static string[] Fold(IReadOnlyList<AddressSummary> addresses)
    {
        if (addresses.Count == 0) return [];
        var folded = new List<string>(addresses.Count);
        Add(addresses, folded);
        return [.. folded];
    }

    // Groups count by their members, as RFC 9051 searches the addresses of a header.
    private static void Add(IReadOnlyList<AddressSummary> addresses, List<string> folded)
    {
        foreach (var a in addresses)
        {
            if (a.Members is { } members)
            {
                Add(members, folded);
                continue;
            }
            folded.Add(SearchEvaluator.Fold($"{a.Name} <{a.Mailbox}@{a.Host}>"));
        }
    }
}
