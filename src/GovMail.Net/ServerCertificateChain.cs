using System.Security.Cryptography.X509Certificates;

namespace GovMail.Net;

/// <summary>
/// What a server presents in a TLS handshake: its certificate with the private key (<see cref="Leaf"/>) and the CA
/// certificates between it and a root (<see cref="Intermediates"/>, the rest of a <c>fullchain.pem</c>), sent with it because
/// many mail programs do not fetch a missing intermediate themselves and then refuse the certificate.
/// </summary>
public sealed record ServerCertificateChain(X509Certificate2 Leaf, X509Certificate2Collection Intermediates) : IDisposable
{
    /// <summary>A certificate sent alone: self-signed, or issued straight by a root.</summary>
    public static ServerCertificateChain Of(X509Certificate2 leaf) => new(leaf, []);

    /// <summary>The same certificates, in the same order (a file written again unchanged).</summary>
    public bool SameAs(ServerCertificateChain other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (!Same(Leaf, other.Leaf) || Intermediates.Count != other.Intermediates.Count) return false;
        for (var i = 0; i < Intermediates.Count; i++)
            if (!Same(Intermediates[i], other.Intermediates[i])) return false;
        return true;
    }

    private static bool Same(X509Certificate2 a, X509Certificate2 b) =>
        ReferenceEquals(a, b) || a.RawDataMemory.Span.SequenceEqual(b.RawDataMemory.Span);

    public void Dispose()
    {
        Leaf.Dispose();
        foreach (var c in Intermediates) c.Dispose();
    }
}
