using GovMail.Core.Accounts;
using GovMail.Core.Security;

namespace GovMail.Core.Tests.Security;

/// <summary>Issue 6, item 4: roles scoped to a subtree of units.</summary>
public sealed class AdminScopeTests
{
    private static readonly Guid Culture = Guid.NewGuid(), Art = Guid.NewGuid(), Tourism = Guid.NewGuid(), TourismOffice = Guid.NewGuid();

    private static readonly Dictionary<Guid, Guid?> Parents = new()
    {
        [Culture] = null, [Art] = Culture, [Tourism] = null, [TourismOffice] = Tourism,
    };

    private static AdminScope Scope(params (AdminRole, Guid?)[] grants) => new("x@tphcm.gov.vn", grants, id => Parents[id]);

    [Fact]
    public void An_agency_administrator_manages_accounts_in_their_agency_and_its_departments_only()
    {
        var scope = Scope((AdminRole.AgencyAdministrator, Culture));

        Assert.True(scope.Allows(Permission.ManageAccounts, Culture));
        Assert.True(scope.Allows(Permission.ManageAccounts, Art));
        Assert.False(scope.Allows(Permission.ManageAccounts, Tourism));
        Assert.False(scope.Allows(Permission.ReadDirectory, TourismOffice));
        Assert.False(scope.Allows(Permission.ManageAccounts, null));
        Assert.False(scope.Allows(Permission.ReadAudit, Art));
        Assert.False(scope.Allows(Permission.ManageRoles, Art));
        Assert.Equal([Culture], scope.Roots(Permission.ReadDirectory));
    }

    [Fact]
    public void A_department_grant_does_not_reach_up_to_its_agency()
    {
        var scope = Scope((AdminRole.AgencyAdministrator, Art));

        Assert.True(scope.Allows(Permission.ManageAccounts, Art));
        Assert.False(scope.Allows(Permission.ManageAccounts, Culture));
    }

    [Fact]
    public void An_hr_reviewer_reads_and_decides_but_changes_no_account()
    {
        var scope = Scope((AdminRole.HrReviewer, Culture));

        Assert.True(scope.Allows(Permission.ReadReports, Art));
        Assert.True(scope.Allows(Permission.DecideGovernance, Art));
        Assert.False(scope.Allows(Permission.ManageAccounts, Art));
        Assert.False(scope.Allows(Permission.ManageUnits, Art));
    }

    [Fact]
    public void An_auditor_reads_the_audit_log_and_nothing_is_writable()
    {
        var scope = Scope((AdminRole.Auditor, null));

        Assert.True(scope.AllowsEverywhere(Permission.ReadAudit));
        Assert.True(scope.Allows(Permission.ReadDirectory, TourismOffice));
        foreach (var p in new[] { Permission.ManageAccounts, Permission.ManageUnits, Permission.DecideGovernance, Permission.ManageRoles, Permission.ManagePolicy })
            Assert.False(scope.Allows(p, Art));
    }

    [Fact]
    public void A_city_operator_may_do_everything_everywhere_and_grants_add_up()
    {
        Assert.True(Scope((AdminRole.CityOperator, null)).AllowsEverywhere(Permission.ManagePolicy));
        var two = Scope((AdminRole.AgencyAdministrator, Culture), (AdminRole.HrReviewer, Tourism));
        Assert.True(two.Allows(Permission.ManageAccounts, Art));
        Assert.True(two.Allows(Permission.DecideGovernance, TourismOffice));
        Assert.False(two.Allows(Permission.ManageAccounts, TourismOffice));
        Assert.Null(Scope((AdminRole.CityOperator, null)).Roots(Permission.ReadDirectory));
        Assert.False(Scope().IsAdministrator);
    }
}
