using GovMail.Smtp.Dkim;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace GovMail.Smtp.Tests.Dkim;

/// <summary>A DKIM public key locator that answers from TXT records as <c>govmail dkim init</c> prints them, instead of DNS.</summary>
internal sealed class DnsRecordKeyLocator : DkimPublicKeyLocatorBase
{
    private readonly Dictionary<string, string> _records = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Publishes a record: its strings joined, as a resolver hands them over.</summary>
    public DnsRecordKeyLocator Publish(string name, IEnumerable<string> strings)
    {
        _records[name.TrimEnd('.')] = string.Concat(strings);
        return this;
    }

    public DnsRecordKeyLocator Publish(DkimDnsRecord record) => Publish(record.Name, record.Strings);

    public List<string> Lookups { get; } = [];

    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        var name = $"{selector}._domainkey.{domain}";
        Lookups.Add(name);
        return GetPublicKey(_records.TryGetValue(name, out var txt) ? txt : throw new KeyNotFoundException(name));
    }

    public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
}
