using System.Text;

namespace GovMail.Testing;

/// <summary>
/// Messages built to break parsers, for the tests that deliver them and then read them every way (IMAP FETCH, the webmail):
/// multiparts nested hundreds deep, boundaries missing or empty, broken base64 and quoted-printable, unknown encodings and
/// charsets, a header line of 20,000 octets, NUL and bare CR/LF, messages inside messages, no body, no headers.
/// </summary>
public static class HostileMessages
{
    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    public static IEnumerable<(string Name, byte[] Bytes)> All()
    {
        var nested = new StringBuilder("From: a@example.org\r\nSubject: sâu\r\nMIME-Version: 1.0\r\n");
        for (var i = 0; i < 300; i++) nested.Append($"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
        nested.Append("Content-Type: text/plain\r\n\r\nđáy\r\n");
        for (var i = 299; i >= 0; i--) nested.Append($"--b{i}--\r\n");
        yield return ("300 nested multiparts", Encoding.UTF8.GetBytes(nested.ToString()));

        yield return ("boundary never closed", Latin1("From: a@example.org\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nkhông đóng\r\n"));
        yield return ("empty boundary", Latin1("From: a@example.org\r\nContent-Type: multipart/alternative; boundary=\r\n\r\n--\r\n\r\ntext\r\n----\r\n"));
        yield return ("broken base64", Latin1("From: a@example.org\r\nContent-Type: application/pdf; name=\"x.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!@@@===AAAA\r\n%%%%\r\n"));
        yield return ("broken quoted-printable", Latin1("From: a@example.org\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nC=C3=B4ng =ZZ v=C4=83n =\r\n=\r\n"));
        yield return ("unknown transfer encoding", Latin1("From: a@example.org\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-martian\r\n\r\nzzz\r\n"));
        yield return ("20,000-octet header", Encoding.UTF8.GetBytes("From: a@example.org\r\nSubject: " + string.Concat(Enumerable.Repeat("=?x-unknown?q?=FF=00?= công văn ", 800)) + "\r\n\r\nthân\r\n"));
        yield return ("unknown charset", Latin1("From: =?gibberish?b?////?= <a@example.org>\r\nSubject: =?utf-8?b?not base64?=\r\nContent-Type: text/plain; charset=\"does-not-exist\"\r\n\r\n\u00ff\u00fe text\r\n"));
        yield return ("NUL and 8-bit in headers and body", [.. Latin1("From: a\0b@example.org\r\nSubject: nul\0here \u00e9\u00ff\r\nX-Bin: "), 0x00, 0x01, 0xfe, 0xff, .. Latin1("\r\n\r\nbody\0with\0nul\r\n")]);
        yield return ("bare CR and LF", Latin1("From: a@example.org\nSubject: bare\rline\r\nContent-Type: text/plain\n\nline one\rline two\nline three\r\n"));
        var inner = "From: z@example.org\r\nSubject: trong cùng\r\n\r\nhết\r\n";
        for (var i = 0; i < 60; i++) inner = $"From: m{i}@example.org\r\nSubject: lớp {i}\r\nContent-Type: message/rfc822\r\n\r\n{inner}";
        yield return ("60 messages inside messages", Encoding.UTF8.GetBytes(inner));
        yield return ("headers only, no blank line", Latin1("From: a@example.org\r\nSubject: chỉ có tiêu đề"));
        yield return ("no headers at all", Latin1("\r\nchỉ có thân thư, không có tiêu đề\r\n"));
        yield return ("impossible date and addresses", Latin1("From: <<<@@@>>>, \"unclosed\r\nTo: ;;;,,,@\r\nDate: Mon, 99 Foo 99999 99:99:99 +9999\r\nMessage-ID: <<>>\r\nReferences: <a@b> <<c>\r\n\r\nx\r\n"));
        yield return ("parameters gone wrong", Latin1("From: a@example.org\r\nContent-Type: text/plain; charset=; name*0*=utf-8''%E1; name*1=\"; format=flowed; delsp=\r\nContent-Disposition: attachment; filename*=''%%%\r\n\r\nx\r\n"));
    }
}
