using GovMail.Core.Mail.Threading;

namespace GovMail.Core.Tests.Mail;

/// <summary>Base subject extraction (RFC 5256 section 2.1), which SORT SUBJECT and THREAD group by.</summary>
public sealed class BaseSubjectTests
{
    [Theory]
    [InlineData("Kế hoạch năm 2024", "Kế hoạch năm 2024", false)]
    [InlineData("Re: Kế hoạch năm 2024", "Kế hoạch năm 2024", true)]
    [InlineData("RE:  re: Fwd:Kế hoạch", "Kế hoạch", true)]
    [InlineData("Fw: [Sở Nội vụ] Re : Lịch họp", "Lịch họp", true)]
    [InlineData("[Sở Nội vụ] Re: Lịch họp", "Lịch họp", true)]
    [InlineData("[Sở Nội vụ] Lịch họp", "Lịch họp", false)]
    [InlineData("[Sở Nội vụ]", "[Sở Nội vụ]", false)]
    [InlineData("Báo cáo quý I (fwd) (FWD)", "Báo cáo quý I", true)]
    [InlineData("[fwd: Re: Báo cáo]", "Báo cáo", true)]
    [InlineData("Lịch\t họp\r\n  tuần", "Lịch họp tuần", false)]
    [InlineData("Reply to all", "Reply to all", false)]
    [InlineData("", "", false)]
    [InlineData(null, "", false)]
    public void Leaders_blobs_and_trailers_are_removed(string? subject, string expected, bool isReply)
    {
        Assert.Equal((expected, isReply), BaseSubject.Extract(subject));
    }
}
