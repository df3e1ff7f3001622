using GovMail.Core.Mail;
using GovMail.Core.Security;
using GovMail.Web.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Admin;

/// <summary>
/// The outbound queue (hàng đợi gửi đi): mail for other domains still waiting, with its recipients, attempts, next try and last
/// error; the city operator retries one now or drops it with a reason (audited), as <c>govmail queue retry|drop</c>. The queue
/// holds every agency's mail, so only tenant-wide roles read it.
/// </summary>
public sealed class QueueModel(OutboundQueueDesk desk) : AdminPageModel
{
    protected override Permission Needs => Permission.ReadDirectory;

    [BindProperty] public string? Id { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public IReadOnlyList<OutboundMessage> Waiting { get; private set; } = [];
    public bool CanChange => OutboundQueueDesk.MayChange(Scope);
    public string? Done { get; private set; }
    public string? Error { get; private set; }

    protected override IActionResult? Refuse(bool reading) =>
        !OutboundQueueDesk.MayRead(Scope) ? Denied("WebAdminTenantWideOnly")
        : !reading && !CanChange ? Denied("WebAdminRoleCannot")
        : null;

    public Task OnGetAsync() => LoadAsync();

    public async Task OnPostRetryAsync()
    {
        var retried = await desk.RetryAsync(Scope, Id ?? "", Aborted);
        if (retried.IsOk) Done = Localization.WebText.T("QueueRetried", Short(retried.Value!));
        else Fail(Say(retried.Problem!));
        await LoadAsync();
    }

    public async Task OnPostDropAsync()
    {
        var dropped = await desk.DropAsync(Scope, Id ?? "", Reason, Aborted);
        if (dropped.IsOk)
            Done = Localization.WebText.T("QueueDropped", Short(dropped.Value!), dropped.Value!.Recipients.Count(r => r.State == OutboundState.Dropped));
        else Fail(Say(dropped.Problem!));
        await LoadAsync();
    }

    /// <summary>The id as <c>govmail queue list</c> shows it.</summary>
    public static string Short(OutboundMessage m) => m.Id.ToString("N")[..12];

    private void Fail(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
    }

    private async Task LoadAsync() => Waiting = await desk.WaitingAsync(Aborted);
}
