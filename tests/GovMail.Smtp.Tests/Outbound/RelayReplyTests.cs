using GovMail.Smtp.Outbound;

namespace GovMail.Smtp.Tests.Outbound;

public sealed class RelayReplyTests
{
    [Fact]
    public void Server_reply_keeps_its_enhanced_status_and_reads_back_from_storage()
    {
        var reply = RelayReply.FromServer("mx.hanoi.gov.vn", 550, "5.1.1 <a@hanoi.gov.vn>:\n User unknown");
        Assert.Equal("5.1.1", reply.Status);
        Assert.True(reply.IsPermanent);
        Assert.Equal("smtp; 550 5.1.1 <a@hanoi.gov.vn>: User unknown", reply.DiagnosticCode);
        Assert.Equal("mx.hanoi.gov.vn: 550 5.1.1 <a@hanoi.gov.vn>: User unknown", reply.ToString());
        Assert.Equal(reply, RelayReply.Parse(reply.ToString()));
    }

    [Fact]
    public void Reply_without_enhanced_status_gets_one_from_its_code()
    {
        Assert.Equal("4.0.0", RelayReply.FromServer("mx", 421, "Too busy").Status);
        // A 5.x.x status inside a 4xx reply does not count.
        Assert.Equal("4.0.0", RelayReply.FromServer("mx", 450, "see 5.1.1 docs").Status);
    }

    [Fact]
    public void Local_problem_has_no_diagnostic_code_and_reads_back()
    {
        var reply = RelayReply.Local("4.4.1", "no usable connection to mx.hanoi.gov.vn:25: Connection refused");
        Assert.False(reply.IsPermanent);
        Assert.Null(reply.DiagnosticCode);
        Assert.Equal(reply, RelayReply.Parse(reply.ToString()));
        Assert.True(RelayReply.Parse("5.1.10 x.vn accepts no mail (null MX)")!.IsPermanent);
    }
}
