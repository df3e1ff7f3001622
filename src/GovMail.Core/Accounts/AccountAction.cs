namespace GovMail.Core.Accounts;

/// <summary>Something that moves an account from one <see cref="AccountState"/> to another.</summary>
public enum AccountAction
{
    /// <summary>The holder logged in and set a password of their own.</summary>
    CompleteFirstLogin,
    Lock,
    Unlock,
    /// <summary>The holder left the agency (transfer out, resignation, retirement).</summary>
    Disable,
    /// <summary>A disabled account is taken back into use.</summary>
    Reactivate,
    /// <summary>Cancel the account (hủy tài khoản).</summary>
    Close,
    /// <summary>Delete a closed account's data after the retention period.</summary>
    Purge,
}
