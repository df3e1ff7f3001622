using System.Net;

namespace GovMail.Net;

/// <summary>Where one listener accepts connections and whether they start with TLS.</summary>
public sealed record TcpListenerOptions(IPEndPoint EndPoint)
{
    /// <summary>A TLS handshake happens before the protocol sees the connection (SMTPS 465, IMAPS 993).</summary>
    public ServerCertificate? ImplicitTls { get; init; }

    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a refused connection may take to receive its refusal before it is closed anyway.</summary>
    public TimeSpan RefusalTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int Backlog { get; init; } = 512;

    /// <summary>The listener's name in metrics and logs (<c>smtp</c>, <c>imaps</c>…).</summary>
    public string Name { get; init; } = "tcp";
}
