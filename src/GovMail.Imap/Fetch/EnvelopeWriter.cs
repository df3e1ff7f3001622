using GovMail.Imap.Protocol;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Fetch;

/// <summary>Writes the ENVELOPE of RFC 3501 section 7.4.2 from the envelope cached at delivery.</summary>
public static class EnvelopeWriter
{
    public static void Write(ImapResponseWriter w, EnvelopeSummary e)
    {
        w.Raw("("u8);
        w.String(e.Date);
        w.Space();
        w.String(EncodedWords.ForClient(e.Subject, w.Utf8));
        w.Space();
        Addresses(w, e.From);
        w.Space();
        Addresses(w, e.Sender.Count > 0 ? e.Sender : e.From);
        w.Space();
        Addresses(w, e.ReplyTo.Count > 0 ? e.ReplyTo : e.From);
        w.Space();
        Addresses(w, e.To);
        w.Space();
        Addresses(w, e.Cc);
        w.Space();
        Addresses(w, e.Bcc);
        w.Space();
        w.String(e.InReplyTo);
        w.Space();
        w.String(e.MessageId);
        w.Raw(")"u8);
    }

    private static void Addresses(ImapResponseWriter w, IReadOnlyList<AddressSummary> list)
    {
        if (list.Count == 0)
        {
            w.Nil();
            return;
        }
        w.Raw("("u8);
        foreach (var a in list) Address(w, a);
        w.Raw(")"u8);
    }

    private static void Address(ImapResponseWriter w, AddressSummary a)
    {
        if (a.Members is { } members)
        {
            // A group: its start (name as the mailbox, no host), its members, its end (all NIL).
            w.Raw("(NIL NIL "u8);
            w.String(EncodedWords.ForClient(a.Name ?? "", w.Utf8));
            w.Raw(" NIL)"u8);
            foreach (var m in members) Address(w, m);
            w.Raw("(NIL NIL NIL NIL)"u8);
            return;
        }
        w.Raw("("u8);
        w.String(EncodedWords.ForClient(a.Name, w.Utf8));
        w.Raw(" NIL "u8);
        w.String(a.Mailbox);
        w.Space();
        w.String(a.Host);
        w.Raw(")"u8);
    }
}
