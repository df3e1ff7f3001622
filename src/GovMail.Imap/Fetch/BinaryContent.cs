using GovMail.Storage.Mail;
using MimeKit;
using MimeKit.IO.Filters;
using MimeKit.Utils;

namespace GovMail.Imap.Fetch;

/// <summary>
/// What FETCH BINARY[part] returns (RFC 3516): the part's content with its content-transfer-encoding undone by MimeKit's
/// decoders. The empty path is the whole message as stored; a multipart or message part is returned as it is.
/// </summary>
internal static class BinaryContent
{
    /// <summary>Whether the server can decode the part (false: the FETCH is refused with UNKNOWN-CTE).</summary>
    public static bool CanDecode(PartSummary? part) => part?.TransferEncoding is not { } name || MimeUtils.TryParse(name, out ContentEncoding _);

    /// <summary>Reads <paramref name="range"/> of the blob and decodes it as <paramref name="part"/> says.</summary>
    public static async Task<byte[]> DecodeAsync(Stream blob, SectionRange range, PartSummary? part, CancellationToken ct)
    {
        var encoded = new byte[range.Length];
        blob.Seek(range.Start, SeekOrigin.Begin);
        await blob.ReadExactlyAsync(encoded, ct);
        if (part?.TransferEncoding is not { } name || part.Parts is not null || part.MessageBody is not null ||
            !MimeUtils.TryParse(name, out ContentEncoding encoding) || encoding is not (ContentEncoding.Base64 or ContentEncoding.QuotedPrintable or ContentEncoding.UUEncode))
            return encoded;
        var decoded = DecoderFilter.Create(encoding).Flush(encoded, 0, encoded.Length, out var start, out var length);
        return decoded.AsSpan(start, length).ToArray();
    }
}
