using System.Net;
using System.Net.Sockets;

namespace GovMail.Smtp.Inbound;

/// <summary>
/// One deadline for all the DNS questions the checks of one message ask: each question gets the time that is left, and
/// once it is gone every further question is <see cref="DnsLookupStatus.Failed"/> at once. Per-question timeouts alone
/// would let a hostile record (ten includes, each with ten slow MX hosts) hold a session for many minutes.
/// </summary>
internal sealed class DnsBudget(IDnsResolver inner, DateTimeOffset deadline, TimeProvider clock) : IDnsResolver
{
    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct) => AskAsync(c => inner.TxtAsync(name, c), ct);

    public Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken ct) =>
        AskAsync(c => inner.AddressesAsync(name, family, c), ct);

    public Task<DnsAnswer<string>> MxAsync(string name, CancellationToken ct) => AskAsync(c => inner.MxAsync(name, c), ct);

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct) => AskAsync(c => inner.PtrAsync(address, c), ct);

    private async Task<DnsAnswer<T>> AskAsync<T>(Func<CancellationToken, Task<DnsAnswer<T>>> ask, CancellationToken ct)
    {
        var left = deadline - clock.GetUtcNow();
        if (left <= TimeSpan.Zero) return DnsAnswer<T>.Failed;
        using var limit = new CancellationTokenSource(left, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        try
        {
            return await ask(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DnsAnswer<T>.Failed;
        }
    }
}
