using GovMail.Core;
using GovMail.Core.Mail;
using GovMail.Core.Security;
using GovMail.Storage.Blobs;
using GovMail.Storage.Mail;

namespace GovMail.Web.Admin;

/// <summary>
/// The outbound queue (hàng đợi gửi đi) for the portal and the API, over <see cref="OutboundQueue"/> as <c>govmail queue
/// list|retry|drop</c>: the messages still waiting (queued, or deferred after failed attempts), a retry now, and a drop with a
/// reason (audited), after which the message's file is removed unless another queued message shares it. Reading needs a
/// tenant-wide role (the queue holds every agency's mail); retry and drop need the city operator's tenant-wide settings.
/// </summary>
public sealed class OutboundQueueDesk(OutboundQueue queue, IBlobStore blobs)
{
    public static bool MayRead(AdminScope scope) => scope.AllowsEverywhere(Permission.ReadDirectory);

    public static bool MayChange(AdminScope scope) => scope.AllowsEverywhere(Permission.ManagePolicy);

    public async Task<IReadOnlyList<OutboundMessage>> WaitingAsync(CancellationToken ct) =>
        (await queue.ListAsync(ct)).Where(m => m.State == OutboundState.Queued).OrderBy(m => m.NextAttemptAt).ToList();

    public Task<Result<OutboundMessage>> RetryAsync(AdminScope scope, string id, CancellationToken ct) => queue.RetryAsync(id, scope.Actor, ct);

    public async Task<Result<OutboundMessage>> DropAsync(AdminScope scope, string id, string? reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Problem.Of("WebAdminQueueDropReasonRequired");
        var dropped = await queue.DropAsync(id, scope.Actor, ct, reason.Trim());
        if (!dropped.IsOk) return dropped;
        var m = dropped.Value!;
        if (!await queue.IsBlobInUseAsync(m.BlobKey, m.Id, ct) && await blobs.ExistsAsync(m.BlobKey, ct)) await blobs.DeleteAsync(m.BlobKey, ct);
        return m;
    }

    /// <summary>"<>" for a bounce's empty sender, as the CLI shows it.</summary>
    public static string Sender(OutboundMessage m) => m.MailFrom.Length == 0 ? "<>" : m.MailFrom;
}
