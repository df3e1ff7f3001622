using System.Net;

namespace GovMail.Net;

/// <summary>
/// Counts open connections overall and per remote address, shared by all listeners of one server, so that one address
/// cannot take every slot.
/// </summary>
public sealed class ConnectionLimiter(int maxConnections, int maxConnectionsPerAddress)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private int _total;

    public int MaxConnections { get; } = maxConnections;
    public int MaxConnectionsPerAddress { get; } = maxConnectionsPerAddress;

    /// <summary>Connections currently counted.</summary>
    public int Count
    {
        get { lock (_lock) return _total; }
    }

    /// <summary>Takes a slot for <paramref name="address"/>, or says why none is free. A taken slot must be given back with <see cref="Release"/>.</summary>
    public bool TryAcquire(IPAddress address, out ConnectionRefusal refusal)
    {
        address = Normalize(address);
        lock (_lock)
        {
            if (_total >= MaxConnections)
            {
                refusal = ConnectionRefusal.TooManyConnections;
                return false;
            }
            _perAddress.TryGetValue(address, out var current);
            if (current >= MaxConnectionsPerAddress)
            {
                refusal = ConnectionRefusal.TooManyConnectionsFromAddress;
                return false;
            }
            _perAddress[address] = current + 1;
            _total++;
        }
        refusal = default;
        return true;
    }

    public void Release(IPAddress address)
    {
        address = Normalize(address);
        lock (_lock)
        {
            if (!_perAddress.TryGetValue(address, out var current)) return;
            if (current <= 1) _perAddress.Remove(address);
            else _perAddress[address] = current - 1;
            _total--;
        }
    }

    // A client on an IPv4 address reaching a dual-mode socket shows up as ::ffff:a.b.c.d; count it as the IPv4 address.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
