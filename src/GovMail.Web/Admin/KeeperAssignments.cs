using GovMail.Core;
using GovMail.Core.Security;
using GovMail.Storage.Directory;
using GovMail.Storage.Security;

namespace GovMail.Web.Admin;

/// <summary>
/// The keepers of a unit's collective mailbox (người quản lý hộp thư đơn vị) for the portal and the API: the same
/// <see cref="MailboxKeepers"/> calls (and audit entries) as <c>govmail account keeper add|remove|list</c>, with the scope of
/// the mailbox checked first. A new keeper must also be someone the administrator can see, so another agency's people are
/// neither listed nor confirmed to exist.
/// </summary>
public sealed class KeeperAssignments(MailboxKeepers keepers, AdminAccess access)
{
    /// <summary>The keepers of <paramref name="mailbox"/> (or, for a person, the mailboxes they keep) within the scope.</summary>
    public async Task<Result<IReadOnlyList<KeeperView>>> ListAsync(AdminScope scope, string mailbox, CancellationToken ct)
    {
        if (await access.CheckAccountAsync(scope, Permission.ReadDirectory, mailbox, ct) is { } outside) return outside;
        var listed = await keepers.ListAsync(mailbox, ct);
        if (!listed.IsOk) return listed.Problem!;
        var rows = new List<KeeperView>();
        foreach (var row in listed.Value!)
            if (await access.CheckAccountAsync(scope, Permission.ReadDirectory, row.Mailbox, ct) is null) rows.Add(row);
        return rows;
    }

    public async Task<Result<KeeperView>> AssignAsync(AdminScope scope, string mailbox, string keeper, CancellationToken ct)
    {
        if (await access.CheckAccountAsync(scope, Permission.ManageAccounts, mailbox, ct) is { } outside) return outside;
        if (string.IsNullOrWhiteSpace(keeper)) return Problem.Of("WebAdminKeeperRequired");
        if (await access.CheckAccountAsync(scope, Permission.ReadDirectory, keeper, ct) is { } person) return person;
        return await keepers.AssignAsync(mailbox, keeper, scope.Actor, ct);
    }

    public async Task<Result<string>> RemoveAsync(AdminScope scope, string mailbox, string keeper, CancellationToken ct)
    {
        if (await access.CheckAccountAsync(scope, Permission.ManageAccounts, mailbox, ct) is { } outside) return outside;
        if (string.IsNullOrWhiteSpace(keeper)) return Problem.Of("WebAdminKeeperRequired");
        return await keepers.RemoveAsync(mailbox, keeper, scope.Actor, ct);
    }
}
