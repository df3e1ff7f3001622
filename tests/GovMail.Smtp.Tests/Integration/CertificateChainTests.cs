using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using GovMail.Smtp.Tests.Support;
using MailKit.Security;

namespace GovMail.Smtp.Tests.Integration;

/// <summary>
/// A CA-issued certificate is presented with its intermediate, on 465 and after STARTTLS: a mail program that trusts the
/// root and does not fetch intermediates accepts the server.
/// </summary>
public sealed class CertificateChainTests
{
    [Fact]
    public async Task Submissions_on_implicit_tls_sends_the_intermediate_so_a_client_trusting_only_the_root_accepts_the_server()
    {
        using var issued = TestCertificateChain.Create();
        await using var server = await TestSmtpServer.StartAsync(certificate: issued.ServerChain());

        var seen = await issued.HandshakeAsync(server.Submissions);

        Assert.Equal(issued.Leaf.Thumbprint, seen.Presented?.Thumbprint);
        Assert.Contains(seen.Sent, c => c.Thumbprint == issued.Intermediate.Thumbprint);
        Assert.Equal(SslPolicyErrors.None, seen.Errors);
    }

    [Fact]
    public async Task Mailkit_after_starttls_on_submission_gets_the_intermediate_and_builds_the_chain_to_the_root()
    {
        using var issued = TestCertificateChain.Create();
        await using var server = await TestSmtpServer.StartAsync(certificate: issued.ServerChain());
        using var client = new MailKit.Net.Smtp.SmtpClient { CheckCertificateRevocation = false };
        var builds = false;
        X509Certificate2Collection sent = [];
        client.ServerCertificateValidationCallback = (_, certificate, chain, _) =>
        {
            if (chain is not null) sent.AddRange(chain.ChainPolicy.ExtraStore);
            builds = certificate is not null && issued.BuildsToRoot(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), sent);
            return true;
        };

        await client.ConnectAsync("localhost", server.Submission.Port, SecureSocketOptions.StartTls);
        await client.DisconnectAsync(true);

        Assert.Contains(sent, c => c.Thumbprint == issued.Intermediate.Thumbprint);
        Assert.True(builds);
    }
}
