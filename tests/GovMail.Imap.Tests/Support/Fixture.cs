using System.Text;

namespace GovMail.Imap.Tests.Support;

/// <summary>Messages kept as files under <c>Fixtures/</c>, with CRLF line endings whatever the checkout did to them.</summary>
internal static class Fixture
{
    public static byte[] Bytes(string name) =>
        Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name), Encoding.UTF8).ReplaceLineEndings("\r\n"));

    /// <summary>A multipart/mixed official letter in Vietnamese: plain and HTML text, a PDF with a Vietnamese file name.</summary>
    public static byte[] CongVan1434 => Bytes("cong-van-1434.eml");

    /// <summary>A small plain text message.</summary>
    public static byte[] Plain(string subject, string body, string to = "an@tphcm.gov.vn") => Encoding.UTF8.GetBytes(
        $"From: Phòng Hành chính <hanhchinh@tphcm.gov.vn>\r\nTo: {to}\r\nSubject: {subject}\r\nDate: Thu, 04 Apr 2024 10:00:00 +0700\r\n" +
        $"Message-ID: <{Guid.NewGuid():N}@tphcm.gov.vn>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n" +
        $"Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n");
}
