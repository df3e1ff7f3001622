namespace GovMail.Smtp.Dkim;

/// <summary>The DNS TXT record that publishes a DKIM public key (RFC 6376 §3.6.1): <c>selector._domainkey.domain</c>.</summary>
public sealed record DkimDnsRecord(string Domain, string Selector, string PublicKey)
{
    /// <summary>A TXT character-string holds at most 255 octets; longer values are split into several strings.</summary>
    public const int MaxStringLength = 255;

    /// <summary>The fully qualified owner name, with the trailing dot of zone files.</summary>
    public string Name => $"{Selector}._domainkey.{Domain}.";

    public string Value => $"v=DKIM1; k=rsa; p={PublicKey}";

    /// <summary>The value cut into strings of at most 255 characters, as DNS stores it.</summary>
    public IReadOnlyList<string> Strings => Enumerable.Range(0, (Value.Length + MaxStringLength - 1) / MaxStringLength)
        .Select(i => Value.Substring(i * MaxStringLength, Math.Min(MaxStringLength, Value.Length - i * MaxStringLength)))
        .ToList();

    /// <summary>The record as one zone-file line: <c>S._domainkey.DOMAIN. IN TXT "v=DKIM1; k=rsa; p=…" "…"</c>.</summary>
    public string ZoneLine => $"{Name} IN TXT " + string.Join(' ', Strings.Select(s => $"\"{s}\""));
}
