using GovMail.Core.Mail;
using GovMail.Smtp.Outbound;

namespace GovMail.Smtp.Tests.Outbound;

/// <summary>
/// A smarthost that requires SMTP AUTH: the relay logs in with the configured account, only after STARTTLS, and a login
/// that cannot be used safely or is refused keeps the message queued instead of bouncing it.
/// </summary>
public sealed class SmarthostLoginTests : IAsyncLifetime
{
    private const string User = "govmail-relay";
    private const string Password = "Mật-khẩu#Relay2026";
    private RelayTestBed _bed = null!;

    public async Task InitializeAsync()
    {
        _bed = await RelayTestBed.CreateAsync();
        _bed.Sink.RequireLogin = (User, Password);
        // The sink has a self-signed test certificate.
        _bed.Options.Logins["127.0.0.1"] = new RelayLogin { User = User, Password = Password, VerifyCertificate = false };
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task The_relay_logs_in_after_starttls_and_the_message_goes_through()
    {
        _bed.Sink.OfferStartTls = true;
        var queued = await _bed.EnqueueLetterAsync();

        await _bed.NewRelay().RunOnceAsync();

        Assert.Equal(OutboundState.Delivered, (await _bed.ReloadAsync(queued.Id)).State);
        Assert.Equal([User], _bed.Sink.LoggedIn);
        var received = Assert.Single(_bed.Sink.Messages);
        Assert.True(received.Tls);
        var commands = _bed.Sink.Commands.ToList();
        Assert.True(commands.FindIndex(c => c == "STARTTLS") < commands.FindIndex(c => c.StartsWith("AUTH ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_refused_login_keeps_the_message_queued_for_the_next_attempt()
    {
        _bed.Sink.OfferStartTls = true;
        _bed.Options.Logins["127.0.0.1"].Password = "sai-mật-khẩu";
        var queued = await _bed.EnqueueLetterAsync();

        await _bed.NewRelay().RunOnceAsync();

        var waiting = await _bed.ReloadAsync(queued.Id);
        Assert.Equal(OutboundState.Queued, waiting.State);
        Assert.StartsWith("4.7.8 127.0.0.1 refused the login of govmail-relay", waiting.Recipients.Single().LastReply);
        Assert.Empty(_bed.Sink.Messages);
        Assert.Empty(await _bed.InboxAsync());
    }

    [Fact]
    public async Task A_smarthost_without_starttls_never_sees_the_password()
    {
        _bed.Sink.OfferStartTls = false;
        var queued = await _bed.EnqueueLetterAsync();

        await _bed.NewRelay().RunOnceAsync();

        var waiting = await _bed.ReloadAsync(queued.Id);
        Assert.Equal(OutboundState.Queued, waiting.State);
        Assert.StartsWith("4.7.10 127.0.0.1 does not offer STARTTLS", waiting.Recipients.Single().LastReply);
        Assert.DoesNotContain(_bed.Sink.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_certificate_that_does_not_verify_gets_no_password_unless_the_login_says_so()
    {
        _bed.Sink.OfferStartTls = true;
        _bed.Options.Logins["127.0.0.1"].VerifyCertificate = true;
        var queued = await _bed.EnqueueLetterAsync();

        await _bed.NewRelay().RunOnceAsync();

        var waiting = await _bed.ReloadAsync(queued.Id);
        Assert.Equal(OutboundState.Queued, waiting.State);
        Assert.StartsWith("4.7.10 TLS with 127.0.0.1 failed", waiting.Recipients.Single().LastReply);
        Assert.Empty(_bed.Sink.LoggedIn);
        Assert.DoesNotContain(_bed.Sink.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
    }

    [Fact]
    public void A_login_without_a_password_is_refused_at_start_naming_the_setting()
    {
        _bed.Options.Logins["127.0.0.1"].Password = "";
        var e = Assert.Throws<ArgumentException>(() => _bed.NewRelay());
        Assert.Equal("Outbound:Logins:127.0.0.1 needs both User and Password", e.Message);
    }
}
