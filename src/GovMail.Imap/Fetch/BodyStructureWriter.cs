using GovMail.Imap.Protocol;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Fetch;

/// <summary>
/// Writes BODY and BODYSTRUCTURE (RFC 3501 section 7.4.2) from the part tree cached at delivery: sizes and line counts
/// come from the stored offsets, never from reading the message again.
/// </summary>
public static class BodyStructureWriter
{
    public static void Write(ImapResponseWriter w, PartSummary part, bool extensions)
    {
        w.Raw("("u8);
        if (part.Parts is { Count: > 0 } children)
        {
            foreach (var child in children) Write(w, child, extensions);
            w.Space();
            w.String(part.Subtype);
            if (extensions)
            {
                w.Space();
                Parameters(w, part.Parameters);
                w.Space();
                Disposition(w, part);
                w.Space();
                Language(w, part.Language);
                w.Space();
                w.String(part.Location);
            }
            w.Raw(")"u8);
            return;
        }

        var type = part.Parts is not null ? "text" : part.Type;
        var subtype = part.Parts is not null ? "plain" : part.Subtype;
        w.String(type);
        w.Space();
        w.String(subtype);
        w.Space();
        Parameters(w, part.Parameters);
        w.Space();
        w.String(part.ContentId);
        w.Space();
        w.String(EncodedWords.ForClient(part.Description, w.Utf8));
        w.Space();
        w.String(string.IsNullOrEmpty(part.TransferEncoding) ? "7bit" : part.TransferEncoding);
        w.Space();
        w.Number(Math.Max(0, part.End - part.ContentBegin));
        if (string.Equals(type, "message", StringComparison.OrdinalIgnoreCase) && string.Equals(subtype, "rfc822", StringComparison.OrdinalIgnoreCase)
            && part.MessageEnvelope is { } envelope && part.MessageBody is { } body)
        {
            w.Space();
            EnvelopeWriter.Write(w, envelope);
            w.Space();
            Write(w, body, extensions);
            w.Space();
            w.Number(part.Lines);
        }
        else if (string.Equals(type, "text", StringComparison.OrdinalIgnoreCase))
        {
            w.Space();
            w.Number(part.Lines);
        }
        if (extensions)
        {
            w.Space();
            w.String(part.Md5);
            w.Space();
            Disposition(w, part);
            w.Space();
            Language(w, part.Language);
            w.Space();
            w.String(part.Location);
        }
        w.Raw(")"u8);
    }

    private static void Parameters(ImapResponseWriter w, IReadOnlyDictionary<string, string>? parameters)
    {
        if (parameters is null || parameters.Count == 0)
        {
            w.Nil();
            return;
        }
        w.Raw("("u8);
        var first = true;
        foreach (var (name, value) in parameters)
        {
            if (!first) w.Space();
            first = false;
            w.String(name);
            w.Space();
            w.String(EncodedWords.ForClient(value, w.Utf8));
        }
        w.Raw(")"u8);
    }

    private static void Disposition(ImapResponseWriter w, PartSummary part)
    {
        if (part.Disposition is null)
        {
            w.Nil();
            return;
        }
        w.Raw("("u8);
        w.String(part.Disposition);
        w.Space();
        Parameters(w, part.DispositionParameters);
        w.Raw(")"u8);
    }

    private static void Language(ImapResponseWriter w, IReadOnlyList<string>? languages)
    {
        if (languages is null || languages.Count == 0)
        {
            w.Nil();
            return;
        }
        if (languages.Count == 1)
        {
            w.String(languages[0]);
            return;
        }
        w.Raw("("u8);
        for (var i = 0; i < languages.Count; i++)
        {
            if (i > 0) w.Space();
            w.String(languages[i]);
        }
        w.Raw(")"u8);
    }
}
