using GovMail.Core.Usage;
using GovMail.Reports.Demo;
using GovMail.Reports.Tests.Support;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Reports.Tests.Storage;

/// <summary>The demo history gives every report content: regular and low users, the never activated, and one person low twice.</summary>
public sealed class DemoUsageHistoryTests() : UsageTest(DatabaseProvider.Sqlite)
{
    [Fact]
    public async Task Two_quarters_of_history_fill_the_reports_and_the_lists()
    {
        await UnitAsync("Sở Văn hóa và Thể thao");
        await UnitAsync("Phòng Nghệ thuật", "Sở Văn hóa và Thể thao");
        await PersonAsync("truongphong@tphcm.gov.vn", "Nguyễn Văn Trưởng", "Phòng Nghệ thuật", "Trưởng phòng");
        Ok(await Units.SetHeadAsync("Phòng Nghệ thuật", "truongphong@tphcm.gov.vn", Admin));
        for (var i = 0; i < 30; i++) await PersonAsync($"cb{i:D2}@tphcm.gov.vn", $"Cán bộ {i:D2}", "Phòng Nghệ thuật", "Chuyên viên");
        await PersonAsync("moi@tphcm.gov.vn", "Người Mới", "Phòng Nghệ thuật", activated: false);

        var seeded = await DemoUsageHistory.SeedAsync(Database, Test.Clock);
        Assert.True(seeded.Events > 1000);
        Assert.Equal(new DateOnly(2024, 1, 1), seeded.From);
        Assert.Equal(new DateOnly(2024, 7, 9), seeded.To);
        Assert.Equal("cb00@tphcm.gov.vn", seeded.TwoQuartersLow);

        var q2 = await ReportAsync(UsagePeriod.Quarter(2024, 2));
        var classes = q2.Lines.GroupBy(l => l.Class).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(classes[UsageClass.Regular] > classes.GetValueOrDefault(UsageClass.Low));
        Assert.Equal(1, classes[UsageClass.NotActivated]);
        var g = Ok(await Reports.GovernanceAsync(UsagePeriod.Quarter(2024, 2)));
        Assert.Contains(g.CancellationProposals, l => l.Account.Address == "cb00@tphcm.gov.vn");
        Assert.Contains(g.PersonsGradedDown, l => l.Account.Address == "cb00@tphcm.gov.vn" && l.Reasons.Any(r => r.Code == "person.reminded"));
        Assert.Contains(g.HeadsGradedDown, l => l.Account.Address == "truongphong@tphcm.gov.vn");
        Assert.NotEmpty((await ReportAsync(UsagePeriod.Month(2024, 7))).Lines);

        // Seeding again adds nothing.
        Assert.Equal(0, (await DemoUsageHistory.SeedAsync(Database, Test.Clock)).Events);
        await using var db = Database.Open();
        Assert.Equal(seeded.Events, await db.UsageEvents.CountAsync());
    }
}
