using GovMail.Core.Mail;
using GovMail.Storage.Database;
using GovMail.Storage.Tests.Database;

namespace GovMail.Smtp.Tests.Outbound;

/// <summary>Several relays (threads or nodes) on one database: each message is claimed by one of them and sent once.</summary>
public sealed class ConcurrentRelayTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_relays_on_one_database_deliver_each_message_exactly_once(DatabaseProvider provider)
    {
        await using var postgres = provider == DatabaseProvider.Postgres ? await TestDatabase.CreateAsync(provider, migrate: false) : null;
        await using var bed = await RelayTestBed.CreateAsync(postgres?.Database.Settings);
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
            ids.Add((await bed.EnqueueAsync(RelayTestBed.Letter.Replace("cv-123.2026", $"cv-{i}.2026", StringComparison.Ordinal),
                RelayTestBed.Sender, [(RelayTestBed.Recipient, null)])).Id);
        bed.Options.BatchSize = 5;
        var first = bed.NewRelay();
        var second = bed.NewRelay();

        var passes = 0;
        while (true)
        {
            var taken = await Task.WhenAll(Task.Run(() => first.RunOnceAsync()), Task.Run(() => second.RunOnceAsync()));
            if (taken.Sum() == 0) break;
            Assert.True(++passes < 20, "the relays kept finding work");
        }

        foreach (var id in ids) Assert.Equal(OutboundState.Delivered, (await bed.ReloadAsync(id)).State);
        var received = bed.Sink.Messages.Select(m => MimeKit.MimeMessage.Load(new MemoryStream(m.Data)).MessageId).ToList();
        Assert.Equal(12, received.Count);
        Assert.Equal(12, received.Distinct().Count());
    }
}
