namespace GovMail.Core.Mail.Threading;

/// <summary>
/// What threading (RFC 5256) reads of a message, taken from what delivery cached of it, never from the message itself:
/// its place in the list, subject, sent date, Message-ID, In-Reply-To and References. IMAP THREAD and the webmail's
/// conversation view (xem theo hội thoại) derive their own message types from it.
/// </summary>
public class ThreadMessage
{
    public ThreadMessage(int sequence, string? subject, DateTimeOffset sentDate, string? messageId, string? inReplyTo,
        IReadOnlyList<string>? references)
    {
        Sequence = sequence;
        (BaseSubject, IsReply) = Threading.BaseSubject.Extract(subject);
        SentDate = sentDate;
        MessageId = messageId;
        InReplyTo = inReplyTo;
        References = references;
    }

    /// <summary>The message's place in the list being threaded (the IMAP sequence number); ties are broken by it.</summary>
    public int Sequence { get; }

    public string BaseSubject { get; }

    /// <summary>The subject showed a reply or forward (<c>Re:</c>, <c>Fwd:</c>, <c>(fwd)</c>).</summary>
    public bool IsReply { get; }

    /// <summary>The Date header, or the arrival date when the message has none (RFC 5256 section 2.2).</summary>
    public DateTimeOffset SentDate { get; }

    public string? MessageId { get; }
    public string? InReplyTo { get; }

    /// <summary>The Message-IDs of the References header, oldest first; null when there is none.</summary>
    public IReadOnlyList<string>? References { get; }

    /// <summary>Sent date, then list order: how THREAD orders siblings and threads.</summary>
    public static int CompareByDate(ThreadMessage a, ThreadMessage b)
    {
        var c = a.SentDate.CompareTo(b.SentDate);
        return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
    }
}
