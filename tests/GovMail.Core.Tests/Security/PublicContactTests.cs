using GovMail.Core.Security;

namespace GovMail.Core.Tests.Security;

/// <summary>Seed 004: "trên một số văn bản … vẫn còn ghi địa chỉ liên hệ qua thư điện tử công cộng: gmail, yahoo mail".</summary>
public class PublicContactTests
{
    private static IReadOnlyList<string> Find(string text, params string[] except) =>
        OfficialUse.PublicContactsIn(text, OfficialUse.PublicMailDomains, except);

    [Fact]
    public void A_signature_giving_a_gmail_or_yahoo_address_is_found()
    {
        const string body = "Kính gửi các đơn vị,\nĐề nghị gửi báo cáo trước ngày 20/5.\n--\nNguyễn Văn Long\nĐiện thoại 0918.595.098\n"
            + "Email: NVLong.PhuGiao@Gmail.com; dự phòng: nvlong_pg@yahoo.com.vn.\n";

        Assert.Equal(["nvlong.phugiao@gmail.com", "nvlong_pg@yahoo.com.vn"], Find(body));
    }

    [Fact]
    public void Official_addresses_and_look_alike_domains_are_not_public_webmail()
    {
        const string body = "Liên hệ vhttpgiao@binhduong.gov.vn hoặc hotro@notgmail.com, hay info@gmail.com.vn.evil.org";

        Assert.Empty(Find(body));
    }

    [Fact]
    public void Quoted_text_and_what_follows_a_reply_header_are_not_the_authors()
    {
        const string body = "Đã nhận, cảm ơn anh.\n> Gửi lại cho tôi qua ban.a@gmail.com\n"
            + "Vào 10:15 01/12/2026, Trần Văn B <tranb@hotmail.com> đã viết:\nliên hệ tranb@hotmail.com";
        const string folded = "da nhan.\nvao 10:15 01/12/2026, tran van b da viet:\nlien he tranb@hotmail.com";
        const string outlook = "Chuyển anh xem.\n-----Original Message-----\nFrom: x@y.vn\nEmail: c@outlook.com";

        Assert.Empty(Find(body));
        Assert.Empty(Find(folded));
        Assert.Empty(Find(outlook));
    }

    [Fact]
    public void In_a_run_together_html_text_the_signature_before_the_reply_header_counts_and_the_quote_does_not()
    {
        const string html = "Trân trọng, Nguyễn Văn Long – nvlong.pg@gmail.com On Mon, Dec 1, 2026 at 10:15 AM Dân <dan.c@gmail.com> wrote: "
            + "liên hệ lại qua e.f@gmail.com";

        Assert.Equal(["nvlong.pg@gmail.com"], Find(html));
    }

    [Fact]
    public void The_messages_own_correspondents_are_left_out()
    {
        const string body = "Trả lời ông dan.c@gmail.com về hồ sơ. Liên hệ cán bộ: canbo.d@gmail.com";

        Assert.Equal(["canbo.d@gmail.com"], Find(body, "Dan.C@gmail.com"));
    }

    [Fact]
    public void A_long_line_without_an_address_is_scanned_in_linear_time()
    {
        var line = new string('a', 300_000) + "@" + new string('b', 1000);

        Assert.Empty(Find(line));
    }
}
