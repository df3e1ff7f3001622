using System.Net;
using GovMail.Net;

namespace GovMail.Smtp.Tests.Networking;

public sealed class ConnectionLimiterTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");

    [Fact]
    public void One_address_cannot_take_more_than_its_share()
    {
        var limiter = new ConnectionLimiter(maxConnections: 10, maxConnectionsPerAddress: 2);
        Assert.True(limiter.TryAcquire(A, out _));
        Assert.True(limiter.TryAcquire(A.MapToIPv6(), out _));
        Assert.False(limiter.TryAcquire(A, out var refusal));
        Assert.Equal(ConnectionRefusal.TooManyConnectionsFromAddress, refusal);
        Assert.True(limiter.TryAcquire(B, out _));
        limiter.Release(A);
        Assert.True(limiter.TryAcquire(A, out _));
    }

    [Fact]
    public void The_server_wide_limit_applies_to_all_addresses()
    {
        var limiter = new ConnectionLimiter(maxConnections: 2, maxConnectionsPerAddress: 2);
        Assert.True(limiter.TryAcquire(A, out _));
        Assert.True(limiter.TryAcquire(B, out _));
        Assert.False(limiter.TryAcquire(IPAddress.Parse("192.0.2.3"), out var refusal));
        Assert.Equal(ConnectionRefusal.TooManyConnections, refusal);
        limiter.Release(B);
        limiter.Release(A);
        Assert.Equal(0, limiter.Count);
    }
}
