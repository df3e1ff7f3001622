using System.Collections.Concurrent;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;

namespace GovMail.Smtp.Dkim;

/// <summary>
/// Signs outbound mail with the key of its From domain (relaxed/relaxed, rsa-sha256). Mail from a domain without a key
/// leaves unsigned.
/// </summary>
public sealed class DkimMessageSigner(DkimKeyStore keys)
{
    /// <summary>The headers a receiver shows or acts on, and those that shape the body (RFC 6376 §5.4.1).</summary>
    public static readonly IReadOnlyList<HeaderId> SignedHeaders =
    [
        HeaderId.From, HeaderId.Sender, HeaderId.ReplyTo, HeaderId.To, HeaderId.Cc, HeaderId.Subject, HeaderId.Date,
        HeaderId.MessageId, HeaderId.InReplyTo, HeaderId.References,
        HeaderId.MimeVersion, HeaderId.ContentType, HeaderId.ContentTransferEncoding,
    ];

    // Parsed keys by file; a key file never changes in place (a new selector is a new file).
    private readonly ConcurrentDictionary<string, AsymmetricKeyParameter> _privateKeys = new();

    /// <summary>Adds a DKIM-Signature when a key exists for the From domain; says which domain signed, or null.</summary>
    public string? Sign(FormatOptions options, MimeMessage message)
    {
        var from = message.From.Mailboxes.FirstOrDefault();
        if (from is null || string.IsNullOrEmpty(from.Domain)) return null;
        var key = keys.Find(from.Domain);
        if (key is null) return null;
        var privateKey = _privateKeys.GetOrAdd(key.FilePath, ReadPrivateKey);
        var signer = new DkimSigner(privateKey, key.Domain, key.Selector, DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        // Content-Type and Content-Transfer-Encoding live on the body entity in MimeKit's model.
        var present = SignedHeaders.Where(h => message.Headers.Contains(h) || message.Body?.Headers.Contains(h) == true).ToList();
        signer.Sign(options, message, present);
        return key.Domain;
    }

    private static AsymmetricKeyParameter ReadPrivateKey(string path)
    {
        using var reader = new StreamReader(path);
        return new PemReader(reader).ReadObject() switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter { IsPrivate: true } key => key,
            _ => throw new InvalidDataException($"{path} holds no private key"),
        };
    }
}
