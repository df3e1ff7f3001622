using System.Collections.Concurrent;
using System.Net;
using GovMail.Smtp.Protocol;

namespace GovMail.Smtp.Tests.Support;

/// <summary>
/// Stand-ins for the directory-backed services the host provides: one local domain with a few mailboxes, one account
/// that can log in, and a sink that keeps what it was given.
/// </summary>
internal static class TestDirectory
{
    public const string Domain = "govmail.test";
    public const string User = "an@govmail.test";
    public const string Password = "Mật-khẩu-2024";

    public static readonly string[] Mailboxes = ["an@govmail.test", "binh@govmail.test", "chi@govmail.test", "đông@govmail.test", "đông@bộ-nội-vụ.govmail.test"];
}

internal sealed class TestAuthenticator : ISmtpAuthenticator
{
    public ConcurrentQueue<(string User, bool Succeeded)> Attempts { get; } = new();

    public Task<SmtpAuthResult> AuthenticateAsync(string user, string password, IPAddress remote, SmtpListenerKind listener, CancellationToken ct)
    {
        var ok = string.Equals(user, TestDirectory.User, StringComparison.OrdinalIgnoreCase) && password == TestDirectory.Password;
        Attempts.Enqueue((user, ok));
        return Task.FromResult(ok ? new SmtpAuthResult(true, TestDirectory.User, null) : new SmtpAuthResult(false, null, null));
    }
}

internal sealed class TestPolicy : ISmtpPolicy
{
    public Task<SmtpReply?> CheckSenderAsync(string? mailFrom, SmtpListenerKind listener, string? authenticatedAs, long declaredSize, CancellationToken ct)
    {
        if (listener != SmtpListenerKind.Mx && !string.Equals(mailFrom, authenticatedAs, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult<SmtpReply?>(SmtpReplies.SenderNotAllowed);
        return Task.FromResult<SmtpReply?>(null);
    }

    public Task<SmtpReply?> CheckRecipientAsync(string recipient, SmtpListenerKind listener, string? authenticatedAs, long declaredSize, CancellationToken ct)
    {
        if (listener != SmtpListenerKind.Mx) return Task.FromResult<SmtpReply?>(null);
        var at = recipient.LastIndexOf('@');
        var domain = at < 0 ? "" : recipient[(at + 1)..];
        if (!domain.EndsWith(TestDirectory.Domain, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult<SmtpReply?>(SmtpReplies.RelayDenied);
        return Task.FromResult<SmtpReply?>(Array.Exists(TestDirectory.Mailboxes, m => string.Equals(m, recipient, StringComparison.OrdinalIgnoreCase))
            ? null
            : SmtpReplies.NoSuchUser);
    }
}

/// <summary>A message the sink was given: its envelope and the exact bytes of the spool file.</summary>
internal sealed record DeliveredMessage(SmtpEnvelope Envelope, byte[] Content, long Size);

internal sealed class RecordingSink : IMessageSink
{
    public ConcurrentQueue<DeliveredMessage> Messages { get; } = new();

    /// <summary>What the sink answers; the session must send exactly this.</summary>
    public SmtpReply Reply { get; set; } = SmtpReplies.Delivered;

    /// <summary>When set, the sink fails with it, as a broken database would.</summary>
    public Exception? Failure { get; set; }

    public async Task<SmtpReply> DeliverAsync(SmtpEnvelope envelope, string messageFile, long size, CancellationToken ct)
    {
        if (Failure is not null) throw Failure;
        var content = await File.ReadAllBytesAsync(messageFile, ct);
        Messages.Enqueue(new DeliveredMessage(envelope, content, size));
        return Reply;
    }

    public DeliveredMessage Single()
    {
        Assert.Single(Messages);
        Messages.TryPeek(out var message);
        return message!;
    }
}
