// The end-to-end classes run side by side, each in a collection of its own (xUnit's default): a class's tests share its
// fixtures (a served data folder, a browser) and run one after another; no two classes share a server, a port or a folder
// (every server, Dovecot, s3rver and dnsmasq is started on free ports in a new temporary folder). At most two at a time:
// the machine has two cores, and much of a test's time is spent waiting on a process it started.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]

namespace GovMail.EndToEnd.Tests.Support;

/// <summary>The cluster tests: three nodes and a PostgreSQL database each, the heaviest tests, kept in a collection of their own.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "govmail cluster";
}
