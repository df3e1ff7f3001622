using System.Buffers;
using GovMail.Core.Mail;
using GovMail.Core.Time;
using GovMail.Imap.Commands;
using GovMail.Imap.Fetch;
using GovMail.Storage.Mail;
using Microsoft.Extensions.Logging;

namespace GovMail.Imap.Protocol;

// FETCH: rows read in runs of consecutive messages, envelope and structure from the cache, sections streamed from the blob.
internal sealed partial class ImapSession
{
    /// <summary>Messages read from the database at once.</summary>
    private const int FetchBatch = 256;

    /// <summary>Largest header block filtered in memory for HEADER.FIELDS.</summary>
    private const int MaxFilteredHeader = 1024 * 1024;

    private static readonly byte[][] MonthNames =
        ["Jan"u8.ToArray(), "Feb"u8.ToArray(), "Mar"u8.ToArray(), "Apr"u8.ToArray(), "May"u8.ToArray(), "Jun"u8.ToArray(),
         "Jul"u8.ToArray(), "Aug"u8.ToArray(), "Sep"u8.ToArray(), "Oct"u8.ToArray(), "Nov"u8.ToArray(), "Dec"u8.ToArray()];

    private async ValueTask<Reply> FetchAsync(FetchCommand command)
    {
        var selected = Selected;
        if (!TryResolve(command.Set, command.Uid, out var sequence)) return Reply.Bad("Invalid message sequence number.");
        if ((command.Items & FetchItems.ModSeq) != 0) _condStore = true;
        if (command.Vanished)
        {
            if (!_qresync) return Reply.Bad("QRESYNC must be enabled first (ENABLE QRESYNC).");
            await VanishedEarlierAsync(selected, command.Set, command.ChangedSince!.Value);
        }
        if (sequence.Count == 0) return Reply.Ok("FETCH completed.");

        // Reading a body marks it \Seen (and counts as read), unless the mailbox was opened with EXAMINE.
        HashSet<uint>? nowSeen = null;
        if (command.SetsSeen && !selected.ReadOnly)
        {
            var update = await _store.StoreFlagsAsync(selected.Id, UidsOf(sequence), new FlagChange(FlagOperation.Add, MessageFlags.Seen, []), Reader, Aborted);
            if (update.ModSeq > 0)
            {
                nowSeen = [.. update.Changed];
                // Reported only if the FETCH reaches them; CHANGEDSINCE can skip some, so those are told of by the sync.
                Acknowledge(update.ModSeq, command.ChangedSince is null ? update.Changed : null);
            }
        }

        var content = command.NeedsContent;
        var i = 0;
        while (i < sequence.Count)
        {
            // A run of consecutive message numbers is a range of UIDs with nothing else in it.
            var start = i;
            while (i + 1 < sequence.Count && sequence[i + 1] == sequence[i] + 1 && i + 1 - start < FetchBatch) i++;
            var fromUid = selected.Uids[sequence[start] - 1];
            var toUid = selected.Uids[sequence[i] - 1];
            var rows = await _queries.FetchAsync(selected.Id, fromUid, toUid, i - start + 1, content, Aborted);
            foreach (var row in rows)
            {
                var n = selected.SequenceOf(row.Uid);
                if (n == 0 || row.ModSeq <= command.ChangedSince) continue;
                try
                {
                    await WriteFetchAsync(n, row, command, nowSeen?.Contains(row.Uid) == true);
                }
                catch (UnknownCteException)
                {
                    return Reply.No("A part asked for has a content-transfer-encoding the server cannot decode.", ImapResponseCodeKind.UnknownCte);
                }
                await FlushIfLargeAsync();
            }
            i++;
        }
        return Reply.Ok("FETCH completed.");
    }

    private async ValueTask WriteFetchAsync(int sequence, MessageRow row, FetchCommand command, bool flagsChanged)
    {
        MessageSummary? summary = null;
        if (command.NeedsContent && row.Summary is not null) summary = MessageSummary.FromJson(row.Summary);
        if (summary is not null && !CanDecodeBinary(command, summary)) throw new UnknownCteException();
        var w = Writer;
        w.Raw("* "u8);
        w.Number(sequence);
        w.Raw(" FETCH ("u8);
        // Flags that change while the client reads come with their MODSEQ once CONDSTORE is on (RFC 7162 section 3.1).
        var items = flagsChanged && _condStore ? command.Items | FetchItems.ModSeq : command.Items;
        var first = WriteFetchItems(w, row, items, flagsChanged, summary);
        if (command.Sections.Count > 0 && summary is not null)
        {
            Stream? blob = null;
            try
            {
                foreach (var section in command.Sections)
                {
                    if (!first) w.Space();
                    first = false;
                    WriteSectionName(w, section);
                    w.Space();
                    blob ??= await OpenBlobAsync(row.BlobKey!);
                    await WriteSectionAsync(w, section, row, summary, blob);
                }
            }
            finally
            {
                if (blob is not null) await blob.DisposeAsync();
            }
        }
        w.Raw(")"u8);
        w.EndLine();
    }

    private static bool CanDecodeBinary(FetchCommand command, MessageSummary summary)
    {
        foreach (var section in command.Sections)
        {
            if (section.Name is not (SectionName.Binary or SectionName.BinarySize)) continue;
            if (SectionLocator.TryFindPart(section.Part, summary, out var part) && !BinaryContent.CanDecode(part)) return false;
        }
        return true;
    }

    /// <summary>A part asked for with BINARY has a content-transfer-encoding the server does not know.</summary>
    private sealed class UnknownCteException : Exception;

    /// <summary>Writes the items that are not sections; true when it wrote none.</summary>
    private static bool WriteFetchItems(ImapResponseWriter w, MessageRow row, FetchItems items, bool flagsChanged, MessageSummary? summary)
    {
        var first = true;
        if ((items & FetchItems.Uid) != 0)
        {
            Separate(w, ref first);
            w.Raw("UID "u8);
            w.Number(row.Uid);
        }
        if ((items & FetchItems.ModSeq) != 0)
        {
            Separate(w, ref first);
            w.ModSeq(row.ModSeq);
        }
        if ((items & FetchItems.Flags) != 0 || flagsChanged)
        {
            Separate(w, ref first);
            w.Raw("FLAGS "u8);
            w.FlagList(row.Flags, row.Keywords);
        }
        if ((items & FetchItems.InternalDate) != 0)
        {
            Separate(w, ref first);
            w.Raw("INTERNALDATE "u8);
            WriteDateTime(w, row.InternalDate);
        }
        if ((items & FetchItems.Rfc822Size) != 0)
        {
            Separate(w, ref first);
            w.Raw("RFC822.SIZE "u8);
            w.Number(row.Size);
        }
        if (summary is null) return first;
        if ((items & FetchItems.Envelope) != 0)
        {
            Separate(w, ref first);
            w.Raw("ENVELOPE "u8);
            EnvelopeWriter.Write(w, summary.Envelope);
        }
        if ((items & FetchItems.Body) != 0)
        {
            Separate(w, ref first);
            w.Raw("BODY "u8);
            BodyStructureWriter.Write(w, summary.Body, extensions: false);
        }
        if ((items & FetchItems.BodyStructure) != 0)
        {
            Separate(w, ref first);
            w.Raw("BODYSTRUCTURE "u8);
            BodyStructureWriter.Write(w, summary.Body, extensions: true);
        }
        return first;
    }

    private static void Separate(ImapResponseWriter w, ref bool first)
    {
        if (!first) w.Space();
        first = false;
    }

    private async ValueTask<Stream?> OpenBlobAsync(string key)
    {
        try
        {
            return await _context.Services.Blobs.OpenReadAsync(key, Aborted);
        }
        catch (IOException e)
        {
            _context.Logger.LogError(e, "IMAP session {SessionId}: the body {BlobKey} cannot be read", _connection.Id, key);
            return null;
        }
    }

    private async ValueTask WriteSectionAsync(ImapResponseWriter w, BodySection section, MessageRow row, MessageSummary summary, Stream? blob)
    {
        if (blob is null || SectionLocator.Locate(section, summary, row.HeaderLength, row.Size) is not { } range)
        {
            w.Nil();
            return;
        }
        if (section.Name is SectionName.Binary or SectionName.BinarySize)
        {
            SectionLocator.TryFindPart(section.Part, summary, out var part);
            var decoded = await BinaryContent.DecodeAsync(blob, range, part, Aborted);
            if (section.Name == SectionName.BinarySize)
            {
                w.Number(decoded.Length);
                return;
            }
            var slice = SectionLocator.Partial(new SectionRange(0, decoded.Length), section);
            var content = decoded.AsSpan((int)slice.Start, (int)slice.Length);
            w.LiteralHeader(content.Length, binary: content.IndexOf((byte)0) >= 0);
            w.Raw(content);
            return;
        }
        if (section.Text is SectionText.HeaderFields or SectionText.HeaderFieldsNot)
        {
            var header = new byte[(int)Math.Min(range.Length, MaxFilteredHeader)];
            blob.Seek(range.Start, SeekOrigin.Begin);
            await blob.ReadExactlyAsync(header, Aborted);
            var filtered = HeaderFilter.Filter(header, section.Fields!, exclude: section.Text == SectionText.HeaderFieldsNot);
            var part = SectionLocator.Partial(new SectionRange(0, filtered.Length), section);
            w.LiteralHeader(part.Length);
            w.Raw(filtered.AsSpan((int)part.Start, (int)part.Length));
            return;
        }
        range = SectionLocator.Partial(range, section);
        w.LiteralHeader(range.Length);
        await CopyBlobAsync(blob, range);
    }

    /// <summary>Streams a range of a blob into the response, sending as it goes: a 50 MB BODY[] never sits in memory.</summary>
    private async ValueTask CopyBlobAsync(Stream blob, SectionRange range)
    {
        blob.Seek(range.Start, SeekOrigin.Begin);
        var output = _connection.Output;
        var remaining = range.Length;
        while (remaining > 0)
        {
            var memory = output.GetMemory((int)Math.Min(remaining, 16 * 1024));
            var want = (int)Math.Min(remaining, memory.Length);
            var n = await blob.ReadAsync(memory[..want], Aborted);
            if (n == 0)
            {
                // The blob is shorter than its row says; the literal's length is already sent, so pad it.
                _context.Logger.LogError("IMAP session {SessionId}: a stored body ended {Missing} octets early", _connection.Id, remaining);
                memory.Span[..want].Fill((byte)' ');
                n = want;
            }
            output.Advance(n);
            remaining -= n;
            await FlushIfLargeAsync();
        }
    }

    /// <summary><c>BODY[1.2.HEADER.FIELDS (From To)]&lt;0&gt;</c>, or RFC822, RFC822.HEADER, RFC822.TEXT.</summary>
    private static void WriteSectionName(ImapResponseWriter w, BodySection section)
    {
        switch (section.Name)
        {
            case SectionName.Rfc822: w.Raw("RFC822"u8); return;
            case SectionName.Rfc822Header: w.Raw("RFC822.HEADER"u8); return;
            case SectionName.Rfc822Text: w.Raw("RFC822.TEXT"u8); return;
        }
        w.Raw(section.Name switch
        {
            SectionName.Binary => "BINARY["u8,
            SectionName.BinarySize => "BINARY.SIZE["u8,
            _ => "BODY["u8,
        });
        for (var i = 0; i < section.Part.Count; i++)
        {
            if (i > 0) w.Raw("."u8);
            w.Number(section.Part[i]);
        }
        if (section.Text != SectionText.Full && section.Part.Count > 0) w.Raw("."u8);
        switch (section.Text)
        {
            case SectionText.Header: w.Raw("HEADER"u8); break;
            case SectionText.Text: w.Raw("TEXT"u8); break;
            case SectionText.Mime: w.Raw("MIME"u8); break;
            case SectionText.HeaderFields:
            case SectionText.HeaderFieldsNot:
                w.Raw(section.Text == SectionText.HeaderFields ? "HEADER.FIELDS ("u8 : "HEADER.FIELDS.NOT ("u8);
                for (var i = 0; i < section.Fields!.Count; i++)
                {
                    if (i > 0) w.Space();
                    var field = section.Fields[i];
                    // Field names are atoms in practice; echo them as the client most likely wrote them.
                    if (IsAtom(field)) w.Ascii(field);
                    else w.String(field);
                }
                w.Raw(")"u8);
                break;
        }
        w.Raw("]"u8);
        if (section.PartialStart is { } start)
        {
            w.Raw("<"u8);
            w.Number(start);
            w.Raw(">"u8);
        }
    }

    private static bool IsAtom(string text)
    {
        foreach (var c in text)
            if (c >= 0x80 || !ImapReader.IsAtomChar((byte)c)) return false;
        return text.Length > 0;
    }

    /// <summary><c>"17-Jul-1996 02:44:25 +0700"</c> in Vietnam time.</summary>
    private static void WriteDateTime(ImapResponseWriter w, DateTimeOffset instant)
    {
        var local = VietnamTime.ToLocal(instant);
        Span<byte> text = stackalloc byte[28];
        var i = 0;
        text[i++] = (byte)'"';
        text[i++] = local.Day < 10 ? (byte)' ' : (byte)('0' + local.Day / 10);
        text[i++] = (byte)('0' + local.Day % 10);
        text[i++] = (byte)'-';
        MonthNames[local.Month - 1].CopyTo(text[i..]);
        i += 3;
        text[i++] = (byte)'-';
        Digits(text, ref i, local.Year, 4);
        text[i++] = (byte)' ';
        Digits(text, ref i, local.Hour, 2);
        text[i++] = (byte)':';
        Digits(text, ref i, local.Minute, 2);
        text[i++] = (byte)':';
        Digits(text, ref i, local.Second, 2);
        text[i++] = (byte)' ';
        var offset = (int)local.Offset.TotalMinutes;
        text[i++] = offset < 0 ? (byte)'-' : (byte)'+';
        offset = Math.Abs(offset);
        Digits(text, ref i, offset / 60, 2);
        Digits(text, ref i, offset % 60, 2);
        text[i++] = (byte)'"';
        w.Raw(text[..i]);
    }

    private static void Digits(Span<byte> text, ref int i, int value, int count)
    {
        for (var k = count - 1; k >= 0; k--)
        {
            text[i + k] = (byte)('0' + value % 10);
            value /= 10;
        }
        i += count;
    }
}
