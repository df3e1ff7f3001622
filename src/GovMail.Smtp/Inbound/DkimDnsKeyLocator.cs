using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace GovMail.Smtp.Inbound;

/// <summary>DKIM public keys from DNS: the TXT record at <c>selector._domainkey.domain</c> (RFC 6376 §3.6.2), through <see cref="IDnsResolver"/>.</summary>
public sealed class DkimDnsKeyLocator(IDnsResolver dns) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("DKIM keys are looked up asynchronously.");

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector,
        CancellationToken cancellationToken = default)
    {
        var name = $"{selector}._domainkey.{domain}";
        var answer = await dns.TxtAsync(name, cancellationToken);
        return answer.Status switch
        {
            DnsLookupStatus.Failed => throw new DkimKeyUnavailableException(name),
            DnsLookupStatus.NotFound => throw new DkimKeyMissingException(name),
            _ => GetPublicKey(answer.Records[0]),
        };
    }
}

/// <summary>The key's DNS lookup failed for now (timeout, server failure): the signature's result is temperror.</summary>
public sealed class DkimKeyUnavailableException(string name) : Exception($"DNS lookup of {name} failed");

/// <summary>No key record is published where the signature points: the signature's result is permerror.</summary>
public sealed class DkimKeyMissingException(string name) : Exception($"no DKIM key at {name}");
