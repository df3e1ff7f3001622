using GovMail.Core.Mail.Threading;
using GovMail.Imap.Commands;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Search;

/// <summary>
/// A message that matched a SORT or THREAD search, with what they compare read once from its row and cached summary:
/// base subject, sent date, first addresses, Message-ID and references.
/// </summary>
internal sealed class SortableMessage(SearchRow row, int sequence, MessageSummary? summary)
    : ThreadMessage(sequence, row.Subject ?? summary?.Envelope.Subject, row.SentDate ?? row.InternalDate, summary?.Envelope.MessageId,
        summary?.Envelope.InReplyTo, summary?.References)
{
    public SearchRow Row { get; } = row;
    public MessageSummary? Summary { get; } = summary;

    /// <summary>Sorts <paramref name="messages"/> by <paramref name="criteria"/>; what ties stays in mailbox order.</summary>
    public static void Sort(List<SortableMessage> messages, IReadOnlyList<SortKey> criteria) =>
        messages.Sort((a, b) =>
        {
            foreach (var key in criteria)
            {
                var c = Compare(a, b, key.Criterion);
                if (c != 0) return key.Reverse ? -c : c;
            }
            return a.Sequence.CompareTo(b.Sequence);
        });

    private static int Compare(SortableMessage a, SortableMessage b, SortCriterion criterion) => criterion switch
    {
        SortCriterion.Arrival => a.Row.InternalDate.CompareTo(b.Row.InternalDate),
        SortCriterion.Date => a.SentDate.CompareTo(b.SentDate),
        SortCriterion.Size => a.Row.Size.CompareTo(b.Row.Size),
        SortCriterion.Subject => Text(a.BaseSubject, b.BaseSubject),
        SortCriterion.From => Text(Mailbox(a.Summary?.Envelope.From), Mailbox(b.Summary?.Envelope.From)),
        SortCriterion.To => Text(Mailbox(a.Summary?.Envelope.To), Mailbox(b.Summary?.Envelope.To)),
        SortCriterion.Cc => Text(Mailbox(a.Summary?.Envelope.Cc), Mailbox(b.Summary?.Envelope.Cc)),
        SortCriterion.DisplayFrom => Text(Display(a.Summary?.Envelope.From), Display(b.Summary?.Envelope.From)),
        _ => Text(Display(a.Summary?.Envelope.To), Display(b.Summary?.Envelope.To)),
    };

    /// <summary>i;ascii-casemap, the collation RFC 5256 sorts with (case folded, otherwise octet order).</summary>
    private static int Text(string a, string b) => string.Compare(a, b, StringComparison.OrdinalIgnoreCase);

    private static AddressSummary? First(IReadOnlyList<AddressSummary>? addresses)
    {
        if (addresses is null) return null;
        foreach (var a in addresses)
        {
            if (a.Members is { } members)
            {
                if (First(members) is { } member) return member;
                continue;
            }
            return a;
        }
        return null;
    }

    /// <summary>The addr-mailbox (local part) of the first address (RFC 5256 section 3).</summary>
    private static string Mailbox(IReadOnlyList<AddressSummary>? addresses) => First(addresses)?.Mailbox ?? "";

    /// <summary>The display name of the first address, or its addr-spec when it has none (RFC 5957 section 3).</summary>
    private static string Display(IReadOnlyList<AddressSummary>? addresses)
    {
        if (First(addresses) is not { } a) return "";
        return string.IsNullOrWhiteSpace(a.Name) ? $"{a.Mailbox}@{a.Host}" : a.Name;
    }
}
