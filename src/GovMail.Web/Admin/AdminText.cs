using GovMail.Core.Accounts;
using GovMail.Web.Localization;

namespace GovMail.Web.Admin;

/// <summary>Names of account states and lock causes on the admin pages, in the reader's language.</summary>
public static class AdminText
{
    /// <summary>The states an administrator filters by, in that order (pending first login first: they need attention).</summary>
    public static readonly AccountState[] States =
        [AccountState.PendingFirstLogin, AccountState.Active, AccountState.Locked, AccountState.Disabled, AccountState.Closed];

    public static string State(AccountState state) => WebText.T("WebAccountState" + state);

    public static string LockCause(LockReason reason) => WebText.T("WebLockReason" + reason);

    /// <summary>A lifecycle workflow as the account page's buttons name it.</summary>
    public static string Change(Core.Lifecycle.LifecycleKind kind) => WebText.T(kind switch
    {
        Core.Lifecycle.LifecycleKind.Transfer => "WebAdminTransfer",
        Core.Lifecycle.LifecycleKind.Retirement => "WebAdminRetire",
        Core.Lifecycle.LifecycleKind.Resignation => "WebAdminResign",
        _ => "WebAdminCancelAccount",
    });

    /// <summary>A day as the city writes it (dd/MM/yyyy), or ISO (yyyy-MM-dd); null when it is neither.</summary>
    public static DateOnly? ParseDay(string text) =>
        DateOnly.TryParseExact(text.Trim(), ["dd/MM/yyyy", "yyyy-MM-dd"], System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var day) ? day : null;

    /// <summary>The CSS class of a state's badge.</summary>
    public static string StateClass(AccountState state) => "state state-" + AccountLifecycle.Describe(state);
}
