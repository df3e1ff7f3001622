using GovMail.Core.Accounts;
using GovMail.Core.Usage;
using GovMail.Reports.Exemptions;
using GovMail.Reports.Tests.Support;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace GovMail.Reports.Tests.Storage;

/// <summary>The tenant option to lock accounts idle for a span, with the reason "non-use", which the lists then count.</summary>
public sealed class NonUseLockTests() : UsageTest(DatabaseProvider.Sqlite)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await UnitAsync("Phòng Nội vụ");
        await PersonAsync("idle@tphcm.gov.vn", "Người Vắng", "Phòng Nội vụ");
        await PersonAsync("busy@tphcm.gov.vn", "Người Bận", "Phòng Nội vụ");
        await PersonAsync("leave@tphcm.gov.vn", "Người Nghỉ", "Phòng Nội vụ");
        await PersonAsync("pending@tphcm.gov.vn", "Người Mới", "Phòng Nội vụ", activated: false);
        // The clock is at 10/07/2024: idle was last active on 2/4, busy on 5/7.
        await ActiveOnAsync("idle@tphcm.gov.vn", 2024, 4, 2);
        await ActiveOnAsync("busy@tphcm.gov.vn", 2024, 7, 5);
        Ok(await new UsageExemptions(Database, Test.Clock).AddAsync("leave@tphcm.gov.vn", new DateOnly(2024, 6, 1), new DateOnly(2024, 12, 31),
            ExemptionKind.LongLeave, "Nghỉ ốm dài ngày", Admin));
    }

    private NonUseLocks Locks => new(Database, Test.Clock, Test.Hasher);

    [Fact]
    public async Task Idle_accounts_are_found_and_locked_for_non_use_then_graded_down()
    {
        Refused(await Locks.IdleAsync(), "NonUseLockOff");
        Ok(await new UsagePolicies(Database, Test.Clock).UpdateAsync(p => p.NonUseLockDays = 60, Admin));

        var idle = Ok(await Locks.LockAsync(Admin, dryRun: true));
        var only = Assert.Single(idle);
        Assert.Equal(("idle@tphcm.gov.vn", new DateOnly(2024, 4, 2), 99), (only.Address, only.LastActiveOn, only.IdleDays));
        Assert.Equal(AccountState.Active, (await Accounts.FindAsync("idle@tphcm.gov.vn")).Value!.Account.State);

        Assert.Single(Ok(await Locks.LockAsync(Admin)));
        var locked = (await Accounts.FindAsync("idle@tphcm.gov.vn")).Value!.Account;
        Assert.Equal((AccountState.Locked, LockReason.NonUse), (locked.State, locked.LockReason));

        var q3 = Ok(await Reports.GovernanceAsync(UsagePeriod.Quarter(2024, 3)));
        Assert.Contains(q3.PersonsGradedDown, l => l.Account.Address == "idle@tphcm.gov.vn" && l.Reasons.Any(r => r.Code == "person.locked-non-use"));
        Assert.Empty(Ok(await Locks.IdleAsync()));
        await using var db = Database.Open();
        Assert.Equal(1, await db.AccountHistory.CountAsync(h => h.Event == "lock"));
    }
}
