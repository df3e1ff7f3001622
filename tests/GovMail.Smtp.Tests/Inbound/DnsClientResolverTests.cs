using System.Net;
using System.Net.Sockets;
using DnsClient;
using GovMail.Smtp.Inbound;

namespace GovMail.Smtp.Tests.Inbound;

/// <summary>
/// The DnsClient resolver against a name server on loopback that misbehaves: one that never answers and one that answers
/// SERVFAIL or NXDOMAIN. The checks must get Failed (temperror) or NotFound, and never wait past the timeout.
/// </summary>
public sealed class DnsClientResolverTests
{
    /// <summary>A UDP "name server" that answers each query with the given response code, or not at all when null.</summary>
    private sealed class LoopbackNameServer : IDisposable
    {
        private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly CancellationTokenSource _stop = new();

        public LoopbackNameServer(byte? responseCode)
        {
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    UdpReceiveResult query;
                    try { query = await _socket.ReceiveAsync(_stop.Token); }
                    catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
                    Queries++;
                    if (responseCode is not { } code) continue;
                    var reply = query.Buffer.ToArray();
                    reply[2] = (byte)(0x80 | (reply[2] & 0x01)); // QR, keep RD
                    reply[3] = (byte)(0x80 | code);              // RA, RCODE
                    await _socket.SendAsync(reply, query.RemoteEndPoint);
                }
            });
        }

        public int Queries { get; private set; }

        public DnsClientResolver Resolver() =>
            new(new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, ((IPEndPoint)_socket.Client.LocalEndPoint!).Port))
            {
                UseCache = false,
                Retries = 0,
                Timeout = TimeSpan.FromMilliseconds(300),
                ThrowDnsErrors = false,
                UseTcpFallback = false,
            }), TimeSpan.FromSeconds(2));

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Dispose();
        }
    }

    [Fact]
    public async Task A_name_server_that_never_answers_gives_failed_for_every_question()
    {
        using var server = new LoopbackNameServer(responseCode: null);
        var resolver = server.Resolver();

        Assert.Equal(DnsLookupStatus.Failed, (await resolver.TxtAsync("example.com", CancellationToken.None)).Status);
        Assert.Equal(DnsLookupStatus.Failed, (await resolver.AddressesAsync("example.com", AddressFamily.InterNetwork, CancellationToken.None)).Status);
        Assert.Equal(DnsLookupStatus.Failed, (await resolver.MxAsync("example.com", CancellationToken.None)).Status);
        Assert.True(server.Queries >= 3);
    }

    [Fact]
    public async Task Servfail_is_failed_and_nxdomain_is_not_found()
    {
        using (var servfail = new LoopbackNameServer(responseCode: 2))
            Assert.Equal(DnsLookupStatus.Failed, (await servfail.Resolver().TxtAsync("example.com", CancellationToken.None)).Status);
        using (var nxdomain = new LoopbackNameServer(responseCode: 3))
            Assert.Equal(DnsLookupStatus.NotFound, (await nxdomain.Resolver().TxtAsync("nothing.example.com", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Spf_over_a_silent_name_server_is_temperror()
    {
        using var server = new LoopbackNameServer(responseCode: null);
        var check = await new SpfEvaluator(server.Resolver()).CheckHostAsync(IPAddress.Loopback, "example.com", "a@example.com", "mx.example.com", CancellationToken.None);
        Assert.Equal(SpfResult.TempError, check.Result);
    }
}
