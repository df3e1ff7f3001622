using System.Net;
using GovMail.Smtp.Inbound;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace GovMail.Smtp.Tests.Inbound;

/// <summary>The three checks together: which identity SPF checks, the Authentication-Results text, the DNS time budget.</summary>
public sealed class InboundCheckerTests
{
    private const string AuthServId = "mail.tphcm.gov.vn";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 5, 21, 1, 0, 0, TimeSpan.Zero));

    private static SmtpEnvelope Envelope(string? mailFrom, string helo = "mx.example.com") =>
        new(mailFrom, [new SmtpRecipient("tran.thi.binh@tphcm.gov.vn", null, null)], SmtpListenerKind.Mx, IPAddress.Parse("192.0.2.1"),
            helo, Tls: false, AuthenticatedAs: null, SmtpUtf8: false, EightBitMime: false, DsnReturn: null, DsnEnvelopeId: null);

    private static MimeMessage From(string address)
    {
        var message = new MimeMessage { Subject = "x" };
        message.From.Add(MailboxAddress.Parse(address));
        message.Body = new TextPart("plain") { Text = "x" };
        return message;
    }

    [Fact]
    public async Task Header_lists_spf_dkim_and_dmarc_under_our_authserv_id()
    {
        var zone = new TestDnsZone().Txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all").Txt("_dmarc.example.com", "v=DMARC1; p=quarantine");

        var verdict = await new InboundChecker(zone, AuthServId, _clock).CheckAsync(Envelope("a@example.com"), From("a@example.com"), CancellationToken.None);

        Assert.Equal(
            "Authentication-Results: mail.tphcm.gov.vn;\r\n\tspf=pass smtp.mailfrom=example.com;\r\n\tdkim=none;\r\n\tdmarc=pass (p=quarantine) header.from=example.com\r\n",
            verdict.Header);
        Assert.False(verdict.Reject || verdict.DmarcQuarantine || verdict.SpfFail);
    }

    [Fact]
    public async Task A_bounce_is_checked_by_its_helo_name()
    {
        var zone = new TestDnsZone().Txt("mx.example.com", "v=spf1 -all");

        var verdict = await new InboundChecker(zone, AuthServId, _clock).CheckAsync(Envelope(null), From("a@example.com"), CancellationToken.None);

        Assert.Equal(new SpfCheck(SpfResult.Fail, "mx.example.com"), verdict.Spf);
        Assert.Contains("\tspf=fail smtp.helo=mx.example.com;\r\n", verdict.Header);
    }

    [Fact]
    public async Task Two_from_fields_give_dmarc_permerror()
    {
        var message = From("a@example.com");
        message.Headers.Add(HeaderId.From, "b@example.org");

        var verdict = await new InboundChecker(new TestDnsZone(), AuthServId, _clock).CheckAsync(Envelope("a@example.com"), message, CancellationToken.None);

        Assert.Equal(DmarcResult.PermError, verdict.Dmarc.Result);
        Assert.EndsWith("\tdmarc=permerror\r\n", verdict.Header);
    }

    [Fact]
    public async Task Dns_that_never_answers_ends_in_temperror_once_the_messages_dns_budget_is_spent()
    {
        var zone = new TestDnsZone().Hang("example.com").Txt("_dmarc.example.com", "v=DMARC1; p=reject");
        var checker = new InboundChecker(zone, AuthServId, _clock, TimeSpan.FromSeconds(30));

        var checking = checker.CheckAsync(Envelope("a@example.com"), From("a@example.com"), CancellationToken.None);
        Assert.False(checking.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var verdict = await checking;

        Assert.Equal(SpfResult.TempError, verdict.Spf.Result);
        // Asked after the deadline: failed at once without a question.
        Assert.Equal(DmarcResult.TempError, verdict.Dmarc.Result);
        Assert.Equal(["TXT example.com"], zone.Questions);
    }
}
