using System.Text;
using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;
using Microsoft.Extensions.Time.Testing;

namespace GovMail.Smtp.Tests.Outbound;

/// <summary><c>govmail queue list|show|retry|drop</c> on a data folder with two waiting messages.</summary>
public sealed class QueueCommandTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _clock = new(RelayTestBed.Start.ToUniversalTime());
    private readonly CliRunner _cli;
    private OutboundMessage _letter = null!;
    private OutboundMessage _report = null!;

    public QueueCommandTests() => _cli = new CliRunner(_clock);

    public async Task InitializeAsync()
    {
        await _cli.InitAsync();
        var database = new GovMailDatabase(DatabaseSettings.SqliteIn(_cli.DataDirectory));
        var blobs = new FileBlobStore(Path.Combine(_cli.DataDirectory, "blobs"));
        var queue = new OutboundQueue(database, _clock);
        async Task<OutboundMessage> Enqueue(string[] recipients)
        {
            var (key, size) = await blobs.PutAsync((s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(RelayTestBed.Letter), ct).AsTask(), default);
            return await queue.EnqueueAsync(key, size, RelayTestBed.Sender, null, recipients.Select(r => (r, (string?)null, (string?)null)).ToList(), null, null);
        }
        _letter = await Enqueue([RelayTestBed.Recipient]);
        _clock.Advance(TimeSpan.FromMinutes(1));
        _report = await Enqueue(["a@danang.gov.vn", "b@danang.gov.vn"]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task List_shows_waiting_messages_as_a_table_and_as_json()
    {
        var table = await _cli.OkAsync("queue", "list");
        Assert.Contains("Người gửi", table);
        Assert.Contains(_letter.Id.ToString("N")[..12], table);
        Assert.Contains(RelayTestBed.Recipient, table);
        Assert.Contains("2/2", table);
        Assert.Contains("21/05/2026 08:00", table);

        var json = await _cli.JsonAsync("queue", "list");
        Assert.Equal(2, json.GetArrayLength());
        var first = json[0];
        Assert.Equal(_letter.Id.ToString("N"), first.GetProperty("id").GetString());
        Assert.Equal("queued", first.GetProperty("state").GetString());
        Assert.Equal(RelayTestBed.Sender, first.GetProperty("mailFrom").GetString());
        Assert.Equal(RelayTestBed.Recipient, first.GetProperty("recipients")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task Show_accepts_the_short_id_and_lists_each_recipient()
    {
        var text = await _cli.OkAsync("queue", "show", _report.Id.ToString("N")[..12]);
        Assert.Contains(_report.Id.ToString("N"), text);
        Assert.Contains("a@danang.gov.vn", text);
        Assert.Contains("b@danang.gov.vn", text);
        Assert.Contains("đang chờ gửi", text);

        var json = await _cli.JsonAsync("queue", "show", _report.Id.ToString());
        Assert.Equal(2, json.GetProperty("recipients").GetArrayLength());
    }

    [Fact]
    public async Task Retry_makes_a_message_due_now()
    {
        var database = new GovMailDatabase(DatabaseSettings.SqliteIn(_cli.DataDirectory));
        await using (var db = database.Open())
        {
            var row = await db.Outbound.FindAsync(_letter.Id);
            row!.NextAttemptAt = _clock.GetUtcNow() + TimeSpan.FromHours(4);
            await db.SaveChangesAsync();
        }

        var json = await _cli.JsonAsync("queue", "retry", _letter.Id.ToString("N"));

        Assert.Equal(_clock.GetUtcNow(), json.GetProperty("nextAttemptAt").GetDateTimeOffset());
        var claimed = await new OutboundQueue(database, _clock).ClaimDueAsync(10, TimeSpan.FromMinutes(30));
        Assert.Contains(claimed, m => m.Id == _letter.Id);
        Assert.Contains("sẽ được gửi lại ngay", await _cli.OkAsync("queue", "retry", _report.Id.ToString("N")[..8]));
    }

    [Fact]
    public async Task Drop_gives_up_the_message_and_removes_its_body()
    {
        var blobs = new FileBlobStore(Path.Combine(_cli.DataDirectory, "blobs"));
        Assert.True(blobs.Exists(_report.BlobKey));

        var text = await _cli.OkAsync("queue", "drop", _report.Id.ToString("N"));

        Assert.Contains("Đã hủy thư", text);
        Assert.False(blobs.Exists(_report.BlobKey));
        Assert.True(blobs.Exists(_letter.BlobKey));
        var waiting = await _cli.JsonAsync("queue", "list");
        Assert.Equal(1, waiting.GetArrayLength());
        var all = await _cli.JsonAsync("queue", "list", "--all");
        Assert.Equal(2, all.GetArrayLength());
        Assert.Equal("dropped", all[1].GetProperty("state").GetString());
        Assert.Contains("không còn chờ gửi", await _cli.RefusedAsync(1, "queue", "drop", _report.Id.ToString("N")));
    }

    [Theory]
    [InlineData("show")]
    [InlineData("retry")]
    [InlineData("drop")]
    public async Task Unknown_id_is_one_plain_line(string command)
    {
        var line = await _cli.RefusedAsync(1, "queue", command, "0123456789abcdef");
        Assert.Equal("govmail: Không có thư 0123456789abcdef trong hàng đợi gửi đi.", line);
    }

    [Fact]
    public async Task Empty_queue_says_so()
    {
        await _cli.OkAsync("queue", "drop", _letter.Id.ToString("N"));
        await _cli.OkAsync("queue", "drop", _report.Id.ToString("N"));
        Assert.Equal("Hàng đợi gửi đi đang trống.", (await _cli.OkAsync("queue", "list")).Trim());
    }
}
