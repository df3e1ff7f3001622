using System.Security.Cryptography;

namespace GovMail.Smtp.Dkim;

/// <summary>One DKIM private key on disk: which domain it signs for, under which selector.</summary>
public sealed record DkimKey(string Domain, string Selector, string FilePath)
{
    /// <summary>The public half as published in DNS: base64 of the DER SubjectPublicKeyInfo.</summary>
    public string PublicKeyBase64()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(FilePath));
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The TXT record receivers look the public key up in.</summary>
    public DkimDnsRecord Record() => new(Domain, Selector, PublicKeyBase64());
}
