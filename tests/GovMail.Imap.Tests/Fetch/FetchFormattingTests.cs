using System.Buffers;
using System.Text;
using GovMail.Imap.Commands;
using GovMail.Imap.Fetch;
using GovMail.Imap.Protocol;
using GovMail.Imap.Tests.Support;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Tests.Fetch;

/// <summary>ENVELOPE, BODYSTRUCTURE and BODY[section] of the Vietnamese letter, from the summary cached at delivery.</summary>
public sealed class FetchFormattingTests
{
    private static readonly byte[] Message = Fixture.CongVan1434;
    private static readonly MessageSummaryBuilder.Result Parsed = MessageSummaryBuilder.Build(new MemoryStream(Message));

    private static string Write(Action<ImapResponseWriter> write, bool utf8 = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new ImapResponseWriter(buffer, utf8));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Section(string spec)
    {
        var fetch = (FetchCommand)ImapCommandParser.Parse(Encoding.ASCII.GetBytes($"f FETCH 1 {spec}\r\n"), false).Command!;
        var section = fetch.Sections[0];
        var range = SectionLocator.Locate(section, Parsed.Summary, Parsed.HeaderLength, Message.Length);
        if (range is not { } found) return "NIL";
        var bytes = Message.AsSpan((int)found.Start, (int)found.Length);
        if (section.Text is SectionText.HeaderFields or SectionText.HeaderFieldsNot)
        {
            var filtered = HeaderFilter.Filter(bytes, section.Fields!, section.Text == SectionText.HeaderFieldsNot);
            var part = SectionLocator.Partial(new SectionRange(0, filtered.Length), section);
            return Encoding.UTF8.GetString(filtered, (int)part.Start, (int)part.Length);
        }
        found = SectionLocator.Partial(found, section);
        return Encoding.UTF8.GetString(Message, (int)found.Start, (int)found.Length);
    }

    [Fact]
    public void The_envelope_encodes_vietnamese_for_old_clients_and_sends_it_as_is_with_utf8()
    {
        var ascii = Write(w => EnvelopeWriter.Write(w, Parsed.Summary.Envelope));
        Assert.StartsWith("(\"Wed, 03 Apr 2024 09:15:00 +0700\" \"=?utf-8?B?", ascii);
        Assert.Contains("\"ldthinh\" \"tphcm.gov.vn\")) ((\"=?utf-8?B?", ascii);
        Assert.EndsWith("((NIL NIL \"binh\" \"tphcm.gov.vn\")) NIL NIL \"<cv1434@tphcm.gov.vn>\")", ascii);
        Assert.True(System.Text.Ascii.IsValid(ascii));

        var utf8 = Write(w => EnvelopeWriter.Write(w, Parsed.Summary.Envelope), utf8: true);
        Assert.Equal(
            "(\"Wed, 03 Apr 2024 09:15:00 +0700\" \"Công văn số 1434 về rà soát hộp thư\" ((\"Lê Đức Thịnh\" NIL \"ldthinh\" \"tphcm.gov.vn\")) " +
            "((\"Lê Đức Thịnh\" NIL \"ldthinh\" \"tphcm.gov.vn\")) ((\"Lê Đức Thịnh\" NIL \"ldthinh\" \"tphcm.gov.vn\")) " +
            "((\"Nguyễn Văn An\" NIL \"an\" \"tphcm.gov.vn\")) ((NIL NIL \"binh\" \"tphcm.gov.vn\")) NIL NIL \"<cv1434@tphcm.gov.vn>\")", utf8);
    }

    [Fact]
    public void Encoded_words_round_trip_through_mimekit()
    {
        const string subject = "Công văn số 1434 về rà soát hộp thư điện tử của các cơ quan, đơn vị";
        var encoded = EncodedWords.Encode(subject);
        Assert.All(encoded.Split(' '), word => Assert.True(word.Length <= 75));
        Assert.Equal(subject, MimeKit.Utils.Rfc2047.DecodeText(Encoding.ASCII.GetBytes(encoded)));
    }

    [Fact]
    public void The_body_structure_gives_sizes_and_lines_from_the_cached_offsets()
    {
        var structure = Write(w => BodyStructureWriter.Write(w, Parsed.Summary.Body, extensions: true), utf8: true);
        var plain = Encoding.UTF8.GetByteCount("Kính gửi các phòng: rà soát tình hình sử dụng hộp thư Quý I.\r\nTrân trọng.");
        var html = Encoding.UTF8.GetByteCount("<p>Kính gửi các phòng: rà soát tình hình sử dụng hộp thư <b>Quý I</b>.</p>");
        Assert.Equal(
            $"(((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"8bit\" {plain} 2 NIL NIL NIL NIL)" +
            $"(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"8bit\" {html} 1 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"b2\") NIL NIL NIL)" +
            "(\"application\" \"pdf\" (\"name\" \"cv1434.pdf\") NIL NIL \"base64\" 12 NIL (\"attachment\" (\"filename\" \"Công văn 1434.pdf\")) NIL NIL) " +
            "\"mixed\" (\"boundary\" \"b1\") NIL NIL NIL)", structure);
        var body = Write(w => BodyStructureWriter.Write(w, Parsed.Summary.Body, extensions: false));
        Assert.DoesNotContain("attachment", body);
        Assert.EndsWith(" \"mixed\")", body);
    }

    [Fact]
    public void Sections_cut_the_message_where_rfc_3501_says()
    {
        var text = Encoding.UTF8.GetString(Message);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        Assert.Equal(text, Section("BODY[]"));
        Assert.Equal(text[..headerEnd], Section("BODY.PEEK[HEADER]"));
        Assert.Equal(text[headerEnd..], Section("BODY.PEEK[TEXT]"));
        Assert.Equal("Kính gửi các phòng: rà soát tình hình sử dụng hộp thư Quý I.\r\nTrân trọng.", Section("BODY[1.1]"));
        Assert.Equal("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", Section("BODY[1.1.MIME]"));
        Assert.StartsWith("<p>Kính gửi", Section("BODY[1.2]"));
        Assert.Equal("JVBERi0xLjQK", Section("BODY[2]"));
        Assert.Equal("NIL", Section("BODY[3]"));
        Assert.Equal("NIL", Section("BODY[2.HEADER]"));
        Assert.Equal("JVBE", Section("BODY[2]<0.4>"));
        Assert.Equal("", Section("BODY[2]<100.4>"));
        Assert.Equal("Cc: binh@tphcm.gov.vn\r\nMessage-ID: <cv1434@tphcm.gov.vn>\r\n\r\n", Section("BODY.PEEK[HEADER.FIELDS (message-id CC)]"));
        Assert.DoesNotContain("Subject:", Section("BODY.PEEK[HEADER.FIELDS.NOT (Subject)]"));
        Assert.EndsWith("\r\n\r\n", Section("BODY.PEEK[HEADER.FIELDS.NOT (Subject)]"));
        Assert.Equal("Cc: b", Section("BODY.PEEK[HEADER.FIELDS (CC)]<0.5>"));
    }

    [Fact]
    public void A_message_inside_a_message_has_its_own_header_and_text()
    {
        var message = Encoding.UTF8.GetBytes(
            "From: a@tphcm.gov.vn\r\nSubject: Chuyển tiếp\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nXem thư dưới.\r\n" +
            "--x\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@tphcm.gov.vn\r\nSubject: Gốc\r\n\r\nNội dung gốc\r\n--x--\r\n");
        var parsed = MessageSummaryBuilder.Build(new MemoryStream(message));
        string Cut(string spec)
        {
            var fetch = (FetchCommand)ImapCommandParser.Parse(Encoding.ASCII.GetBytes($"f FETCH 1 {spec}\r\n"), false).Command!;
            var range = SectionLocator.Locate(fetch.Sections[0], parsed.Summary, parsed.HeaderLength, message.Length);
            return range is { } r ? Encoding.UTF8.GetString(message, (int)r.Start, (int)r.Length) : "NIL";
        }
        Assert.Equal("From: b@tphcm.gov.vn\r\nSubject: Gốc\r\n\r\n", Cut("BODY[2.HEADER]"));
        Assert.Equal("Nội dung gốc", Cut("BODY[2.TEXT]"));
        Assert.Equal("Nội dung gốc", Cut("BODY[2.1]"));
        Assert.Equal("From: b@tphcm.gov.vn\r\nSubject: Gốc\r\n\r\nNội dung gốc", Cut("BODY[2]"));
        var structure = Write(w => BodyStructureWriter.Write(w, parsed.Summary.Body, extensions: false), utf8: true);
        var size = Encoding.UTF8.GetByteCount("From: b@tphcm.gov.vn\r\nSubject: Gốc\r\n\r\nNội dung gốc");
        Assert.Contains($"(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" {size} (NIL \"Gốc\" ((NIL NIL \"b\" \"tphcm.gov.vn\"))", structure);
    }
}
