using GovMail.Core.Usage;
using GovMail.Storage.Mail;
using GovMail.Web.Localization;
using GovMail.Web.Mail;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Mail;

/// <summary>Compose and reply (soạn thư, trả lời): the message goes through the SMTP pipeline, with a copy kept in Sent.</summary>
public sealed class ComposeModel(MessageReading reading, IMailSubmission submission, TimeProvider clock) : MailPageModel
{
    /// <summary>Largest total of attachments one message may carry from the web.</summary>
    public const long MaxAttachmentBytes = 25L * 1024 * 1024;

    [BindProperty] public string To { get; set; } = "";
    [BindProperty] public string? Cc { get; set; }
    [BindProperty] public string? Subject { get; set; }
    [BindProperty] public string? Body { get; set; }
    [BindProperty] public string? InReplyTo { get; set; }
    [BindProperty] public string? References { get; set; }
    [BindProperty] public List<IFormFile> Attachments { get; set; } = [];

    [FromQuery(Name = "tra-loi")]
    public string? ReplyTo { get; set; }

    public List<string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (ReplyTo is null) return Page();
        var parts = ReplyTo.Split('/');
        if (parts.Length != 2 || !long.TryParse(parts[0], out var mailboxId) || !uint.TryParse(parts[1], out var uid)) return NotFound();
        if (await reading.OpenAsync(CurrentUser, mailboxId, uid, HttpContext.RequestAborted) is not { } opened) return NotFound();
        var from = opened.Message.From.Mailboxes.FirstOrDefault();
        var date = opened.Message.Date == DateTimeOffset.MinValue ? opened.Row.InternalDate : opened.Message.Date;
        var draft = MessageComposer.Reply(opened.Message, WebText.T("WebReplyWrote", WebText.FullDate(date), from?.Name is { Length: > 0 } n ? n : from?.Address));
        (To, Cc, Subject, Body, InReplyTo, References) = (draft.To, draft.Cc, draft.Subject, draft.Body, draft.InReplyTo, draft.References);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var (to, badTo) = MessageComposer.ParseAddresses(To);
        var (cc, badCc) = MessageComposer.ParseAddresses(Cc);
        var bad = badTo ?? badCc;
        if (bad is not null) Errors.Add(WebText.T("WebInvalidAddress", bad));
        else if (to.Count + cc.Count == 0) Errors.Add(WebText.T("WebNoRecipient"));
        if (Attachments.Sum(a => a.Length) > MaxAttachmentBytes) Errors.Add(WebText.T("WebAttachmentsTooLarge", MaxAttachmentBytes / (1024 * 1024)));
        if (Errors.Count > 0) return Page();

        var files = new List<DraftAttachment>();
        try
        {
            foreach (var file in Attachments.Where(f => f.Length > 0))
                files.Add(new DraftAttachment(file.FileName, file.ContentType, file.OpenReadStream()));
            var message = MessageComposer.Compose(CurrentUser, to, cc, new Draft(To, Cc, Subject, Body, InReplyTo, References), files, clock.GetUtcNow());
            var recipients = to.Concat(cc).Select(a => a.Address.ToLowerInvariant()).Distinct().ToList();
            var result = await submission.SubmitAsync(new MailSubmission(CurrentUser.AccountId, CurrentUser.Address, recipients, message,
                UsageProtocol.Web, HttpContext.Connection.RemoteIpAddress?.ToString()), HttpContext.RequestAborted);
            if (!result.Sent)
            {
                Errors.AddRange(result.Refusals.Select(r => r.Address is null ? r.Text : $"{r.Address}: {r.Text}"));
                return Page();
            }
        }
        finally
        {
            foreach (var f in files) await f.Content.DisposeAsync();
        }
        var inbox = Folder(Core.Mail.MailboxRole.Inbox);
        return Redirect($"/thu/{inbox?.Mailbox.Id}?da-gui=true");
    }
}
