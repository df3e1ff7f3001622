using GovMail.Web.Tests.Support;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Admin;

/// <summary>
/// The admin portal's forms (issue a mailbox, lock, transfer, retire, cancel, keepers, API tokens, the outbound queue, the
/// quarter's decisions, profile approvals) given hostile values in every field by the city operator: each answer is a page
/// or a redirect, never an error, and no markup comes back unescaped.
/// </summary>
public sealed class AdminHostileFormTests
{
    [Fact]
    public async Task Hostile_values_in_every_field_of_the_portals_forms_give_a_page()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var admin = await world.SignInAsync(Operator);
        var problems = new List<string>();
        async Task PostAsync(string page, string[] fields, string? action = null) =>
            problems.AddRange(await HostileForms.PostEveryFieldAsync(admin, page, fields, Default, action));

        await PostAsync("/quan-tri/tai-khoan/moi", ["Address", "DisplayName", "JobTitle", "Unit", "Phone", "Kind", "FirstLoginDeadline", "OverrideReason"]);
        var account = "/quan-tri/tai-khoan/" + An;
        await PostAsync(account, ["Reason"], account + "?handler=Lock");
        await PostAsync(account, ["TargetUnit", "Reason"], account + "?handler=Transfer");
        await PostAsync(account, ["Keeper"], account + "?handler=AddKeeper");
        await PostAsync(account, ["Keeper"], account + "?handler=RemoveKeeper");
        await PostAsync(account, ["Effective", "ForwardTo", "ForwardDays", "Reason"], account + "?handler=Retire");
        await PostAsync(account, ["Effective", "Reason"], account + "?handler=Cancel");
        await PostAsync("/quan-tri/ma-truy-cap", ["Name", "Owner"], "/quan-tri/ma-truy-cap?handler=Create");
        await PostAsync("/quan-tri/ma-truy-cap", ["Id"], "/quan-tri/ma-truy-cap?handler=Revoke");
        await PostAsync("/quan-tri/hang-doi", ["Id", "Reason"], "/quan-tri/hang-doi?handler=Drop");
        await PostAsync("/quan-tri/hang-doi", ["Id"], "/quan-tri/hang-doi?handler=Retry");
        await PostAsync("/quan-tri/danh-sach-quy", ["Address", "List", "Decision", "Reason"], "/quan-tri/danh-sach-quy?handler=Decide&quy=2026-Q3");
        await PostAsync("/quan-tri/ho-so-cho-duyet", ["Id", "quyet-dinh", "ly-do"]);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The forms were really handled by a signed-in operator (not turned away to the sign-in page): An was acted on, and
        // the one mailbox the valid values issue exists.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync("/quan-tri")).Status);
        Assert.NotEqual(Core.Accounts.AccountState.Active, await world.StateAsync(An));
        Assert.True((await site.Accounts.FindAsync("moi.cap@tphcm.gov.vn")).IsOk);
    }

    /// <summary>What the other fields hold while one is hostile: values of the right kind (a future date would act, an empty one is refused).</summary>
    private static string Default(string field) => field switch
    {
        "Address" => "moi.cap@tphcm.gov.vn",
        "DisplayName" => "Cán bộ Mới",
        "Unit" or "TargetUnit" => TaiChinh,
        "Reason" or "ly-do" => "kiểm tra",
        "Keeper" => Hoa,
        "List" => "persons",
        "Decision" => "apply",
        "quyet-dinh" => "duyet",
        "Name" => "thử",
        _ => "",
    };
}
