using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Lifecycle;
using GovMail.Core.Mail;

namespace GovMail.Core.Tests.Lifecycle;

/// <summary>Seed 003: transfer, resignation, retirement reported and the mailbox adjusted; RFC 3834 for the automatic reply.</summary>
public sealed class LifecycleRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 10, 9, 0, 0, TimeSpan.FromHours(7));

    private static Account Thinh(AccountState state = AccountState.Active) => new()
    {
        Address = "ldthinh@tphcm.gov.vn", DisplayName = "Lê Đức Thịnh", State = state,
    };

    [Fact]
    public void A_retirement_on_a_later_day_stops_login_at_the_start_of_that_day_in_Vietnam_and_closes_after_the_forwarding_period()
    {
        var plan = DeparturePlan.For(LifecycleKind.Retirement, Thinh(), new DateOnly(2026, 7, 1), 90, "vanphong@tphcm.gov.vn", Now);

        Assert.True(plan.IsOk);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.FromHours(7)), plan.Value!.DisableAt);
        Assert.Equal(new DateTimeOffset(2026, 9, 29, 0, 0, 0, TimeSpan.FromHours(7)), plan.Value.CloseAt);
    }

    [Fact]
    public void A_departure_dated_in_the_past_takes_effect_now()
    {
        var plan = DeparturePlan.For(LifecycleKind.Resignation, Thinh(), new DateOnly(2026, 6, 1), 30, "vanphong@tphcm.gov.vn", Now);

        Assert.Equal(Now, plan.Value!.DisableAt);
        Assert.Equal(Now.AddDays(30), plan.Value.CloseAt);
    }

    [Theory]
    [InlineData(AccountState.Disabled)]
    [InlineData(AccountState.Closed)]
    [InlineData(AccountState.Purged)]
    public void An_account_already_out_of_use_cannot_depart_again(AccountState state)
    {
        var plan = DeparturePlan.For(LifecycleKind.Retirement, Thinh(state), null, 90, "vanphong@tphcm.gov.vn", Now);

        Assert.Equal("IllegalTransition", plan.Problem!.Code);
    }

    [Fact]
    public void Forwarding_to_the_departing_address_itself_or_for_a_negative_period_is_refused()
    {
        Assert.Equal("ForwardToSelf", DeparturePlan.For(LifecycleKind.Retirement, Thinh(), null, 90, "LDTHINH@tphcm.gov.vn", Now).Problem!.Code);
        Assert.Equal("ForwardDaysOutOfRange", DeparturePlan.For(LifecycleKind.Retirement, Thinh(), null, -1, "vp@tphcm.gov.vn", Now).Problem!.Code);
    }

    [Fact]
    public void The_default_reply_names_the_person_the_day_and_the_unit_mailbox_in_Vietnamese_then_English()
    {
        var plan = DeparturePlan.For(LifecycleKind.Retirement, Thinh(), new DateOnly(2026, 7, 1), 90, "vanphong@tphcm.gov.vn", Now).Value!;

        var reply = plan.DefaultReply(Thinh());

        Assert.StartsWith("Ông/Bà Lê Đức Thịnh đã nghỉ hưu từ ngày 01/07/2026", reply, StringComparison.Ordinal);
        Assert.Contains("vanphong@tphcm.gov.vn", reply, StringComparison.Ordinal);
        Assert.Contains("Lê Đức Thịnh retired on 01/07/2026", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Chuyển công tác", LifecycleKind.Transfer)]
    [InlineData("chuyen cong tac", LifecycleKind.Transfer)]
    [InlineData("Nghỉ hưu", LifecycleKind.Retirement)]
    [InlineData("THÔI VIỆC", LifecycleKind.Resignation)]
    [InlineData("Nghỉ việc", LifecycleKind.Resignation)]
    [InlineData("Hủy", LifecycleKind.Cancellation)]
    [InlineData("huỷ tài khoản", LifecycleKind.Cancellation)]
    [InlineData("retire", LifecycleKind.Retirement)]
    public void HR_change_file_actions_are_read_in_Vietnamese_with_or_without_diacritics(string text, LifecycleKind expected) =>
        Assert.Equal(expected, LifecycleRules.Parse(text));

    [Theory]
    [InlineData("nghỉ phép")]
    [InlineData("")]
    public void An_unknown_action_is_not_guessed(string text) => Assert.Null(LifecycleRules.Parse(text));

    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("", null, null, false)]
    [InlineData("MAILER-DAEMON@example.com", null, null, false)]
    [InlineData("owner-list@example.com", null, null, false)]
    [InlineData("list-request@example.com", null, null, false)]
    [InlineData("a@example.com", "Auto-Submitted:auto-replied", null, false)]
    [InlineData("a@example.com", "Precedence:bulk", null, false)]
    [InlineData("a@example.com", "List-Id:<x.example.com>", null, false)]
    [InlineData("a@example.com", "Auto-Submitted:no", null, true)]
    [InlineData("van.thu@svhtt.hanoi.gov.vn", null, null, true)]
    public void An_automatic_reply_goes_only_to_a_person_writing_by_hand(string? returnPath, string? header, string? unused, bool expected)
    {
        _ = unused;
        string? Header(string name) => header is not null && header.Split(':')[0] == name ? header.Split(':', 2)[1] : null;
        Assert.Equal(expected, AutoReplyRule.MayReply(returnPath, Header));
    }
}
