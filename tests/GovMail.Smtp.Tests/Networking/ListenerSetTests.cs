using System.Net;
using System.Net.Sockets;
using GovMail.Smtp.Tests.Support;

namespace GovMail.Smtp.Tests.Networking;

/// <summary>The listener set both servers use: every listener bound or none, and one start only.</summary>
public sealed class ListenerSetTests
{
    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Fact]
    public async Task When_one_port_is_taken_no_listener_stays_open_and_the_others_port_is_free_again()
    {
        var mxPort = FreePort();
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
            var failure = await Record.ExceptionAsync(() => TestSmtpServer.StartAsync(o => o.Listeners =
            [
                new(new IPEndPoint(IPAddress.Loopback, mxPort), SmtpListenerKind.Mx),
                new(new IPEndPoint(IPAddress.Loopback, takenPort), SmtpListenerKind.Submission),
            ]));

            Assert.NotNull(failure);
            var again = new TcpListener(IPAddress.Loopback, mxPort);
            again.Start();
            again.Stop();
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public async Task A_started_server_cannot_be_started_twice()
    {
        await using var server = await TestSmtpServer.StartAsync();
        var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => server.Server.StartAsync(CancellationToken.None));
        Assert.Equal("The SMTP server is already started.", twice.Message);
        Assert.Equal(3, server.Server.EndPoints.Count);
    }
}
