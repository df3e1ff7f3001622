using GovMail.Core.Mail;
using GovMail.Core.Usage;
using GovMail.Storage.Mail;
using GovMail.Web.Localization;
using GovMail.Web.Mail;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Mail;

/// <summary>
/// Compose, reply, reply all, forward and drafts (soạn thư, trả lời, trả lời tất cả, chuyển tiếp, thư nháp): the message
/// goes through the SMTP pipeline with a copy kept in Sent; a forward carries the original's attachments; the draft is
/// saved to Thư nháp (by the page's script while typing, or the Lưu nháp button) and removed once the message is sent.
/// </summary>
public sealed class ComposeModel(MessageReading reading, IMailSubmission submission, DraftStore drafts, TimeProvider clock) : MailPageModel
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

    /// <summary>The draft this form replaces when saved or sent (its UID in Thư nháp).</summary>
    [BindProperty] public uint? DraftUid { get; set; }

    /// <summary>The message (<c>folder/uid</c>) whose attachments this one carries: the forwarded original or the reopened draft.</summary>
    [BindProperty] public string? AttachFrom { get; set; }

    /// <summary>Which of those attachments are kept (their part numbers).</summary>
    [BindProperty] public List<int> Keep { get; set; } = [];

    [FromQuery(Name = "tra-loi")]
    public string? ReplyTo { get; set; }

    [FromQuery(Name = "tra-loi-tat-ca")]
    public string? ReplyAllTo { get; set; }

    [FromQuery(Name = "chuyen-tiep")]
    public string? ForwardOf { get; set; }

    [FromQuery(Name = "nhap")]
    public uint? OpenDraft { get; set; }

    public List<string> Errors { get; } = [];

    /// <summary>The attachments carried over from <see cref="AttachFrom"/>, shown with a box to drop each.</summary>
    public IReadOnlyList<MessagePart> CarriedAttachments { get; private set; } = [];

    public string TitleKey => ForwardOf is not null ? "WebForward" : ReplyAllTo is not null ? "WebReplyAll" : ReplyTo is not null ? "WebReply"
        : OpenDraft is not null ? "WebDraft" : "WebCompose";

    public async Task<IActionResult> OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        if (OpenDraft is { } draftUid)
        {
            if (await drafts.FolderAsync(Mailbox, ct) is not { } folder
                || await reading.OpenAsync(Mailbox, folder.Id, draftUid, ct) is not { } saved) return NotFound();
            Fill(MessageComposer.FromDraft(saved.Message));
            DraftUid = draftUid;
            AttachFrom = $"{folder.Id}/{draftUid}";
            CarriedAttachments = [.. saved.Attachments];
            Keep = [.. CarriedAttachments.Select(a => a.Index)];
            return Page();
        }
        var source = ForwardOf ?? ReplyAllTo ?? ReplyTo;
        if (source is null) return Page();
        if (await OpenReferenceAsync(source) is not { } opened) return NotFound();
        var from = opened.Message.From.Mailboxes.FirstOrDefault();
        var date = opened.Message.Date == DateTimeOffset.MinValue ? opened.Row.InternalDate : opened.Message.Date;
        if (ForwardOf is not null)
        {
            var m = opened.Message;
            Fill(MessageComposer.Forward(m, [
                (WebText.T("WebFrom"), MessageComposer.List(m.From.Mailboxes)),
                (WebText.T("WebDate"), WebText.FullDate(date)),
                (WebText.T("WebSubject"), m.Subject ?? ""),
                (WebText.T("WebTo"), MessageComposer.List(m.To.Mailboxes)),
                (WebText.T("WebCc"), MessageComposer.List(m.Cc.Mailboxes)),
            ], WebText.T("WebForwardedMessage")));
            AttachFrom = source;
            CarriedAttachments = [.. opened.Attachments];
            Keep = [.. CarriedAttachments.Select(a => a.Index)];
            return Page();
        }
        Fill(MessageComposer.Reply(opened.Message, WebText.T("WebReplyWrote", WebText.FullDate(date), from?.Name is { Length: > 0 } n ? n : from?.Address),
            all: ReplyAllTo is not null, self: Mailbox.Address));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var ct = HttpContext.RequestAborted;
        var (to, badTo) = MessageComposer.ParseAddresses(To);
        var (cc, badCc) = MessageComposer.ParseAddresses(Cc);
        var bad = badTo ?? badCc;
        if (bad is not null) Errors.Add(WebText.T("WebInvalidAddress", bad));
        else if (to.Count + cc.Count == 0) Errors.Add(WebText.T("WebNoRecipient"));
        var carried = await CarriedAsync();
        if (carried is null) Errors.Add(WebText.T("WebOriginalGone"));
        if (Errors.Count > 0) return Page();

        var files = new List<DraftAttachment>();
        try
        {
            if (!await CollectAttachmentsAsync(carried!, files)) return Page();
            var message = MessageComposer.Compose(Mailbox, to, cc, Current, files, clock.GetUtcNow());
            var recipients = to.Concat(cc).Select(a => a.Address.ToLowerInvariant()).Distinct().ToList();
            var result = await submission.SubmitAsync(new MailSubmission(Mailbox.AccountId, Mailbox.Address, recipients, message,
                UsageProtocol.Web, HttpContext.Connection.RemoteIpAddress?.ToString()) { Keeper = Mailbox.Keeper?.Address }, ct);
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
        if (DraftUid is { } draft) await drafts.DeleteAsync(Mailbox, draft, ct);
        var inbox = Folder(MailboxRole.Inbox);
        return Redirect($"/thu/{inbox?.Mailbox.Id}?da-gui=true");
    }

    /// <summary>
    /// Saves the form as a draft, replacing the previous version. The page's script gets JSON (the new UID and the
    /// attachments the draft now carries); the Lưu nháp button without script comes back to the reopened draft.
    /// </summary>
    public async Task<IActionResult> OnPostDraftAsync()
    {
        var ct = HttpContext.RequestAborted;
        var script = Request.Headers["X-GovMail-Autosave"] == "1";
        var carried = await CarriedAsync();
        if (carried is null) Errors.Add(WebText.T("WebOriginalGone"));
        var files = new List<DraftAttachment>();
        DraftSaved? saved = null;
        try
        {
            if (Errors.Count == 0 && await CollectAttachmentsAsync(carried!, files))
                saved = await drafts.SaveAsync(Mailbox, MessageComposer.ComposeDraft(Mailbox, Current, files, clock.GetUtcNow()), DraftUid, ct);
        }
        finally
        {
            foreach (var f in files) await f.Content.DisposeAsync();
        }
        if (saved is { Outcome: not MailboxOutcome.Done }) Errors.Add(WebText.T(saved.Outcome == MailboxOutcome.OverQuota ? "WebDraftOverQuota" : "WebDraftNotSaved"));
        if (Errors.Count > 0 || saved is null)
            return script ? new JsonResult(new { saved = false, error = string.Join(" ", Errors) }) { StatusCode = 422 } : Page();
        if (!script) return Redirect($"/soan-thu?nhap={saved.Uid}&da-luu=true");
        var kept = files.Count;
        return new JsonResult(new
        {
            saved = true,
            uid = saved.Uid,
            attachFrom = $"{saved.MailboxId}/{saved.Uid}",
            // The draft's parts are its text (0) then its attachments in order: what was kept is now 1…n.
            keep = Enumerable.Range(1, kept).ToArray(),
            at = WebText.FullDate(clock.GetUtcNow())[^5..],
        });
    }

    [FromQuery(Name = "da-luu")]
    public bool JustSaved { get; set; }

    private Draft Current => new(To, Cc, Subject, Body, InReplyTo, References);

    private void Fill(Draft draft) =>
        (To, Cc, Subject, Body, InReplyTo, References) = (draft.To, draft.Cc, draft.Subject, draft.Body, draft.InReplyTo, draft.References);

    /// <summary><c>folder/uid</c> of one of the user's messages, opened; null when malformed or not theirs.</summary>
    private async Task<OpenedMessage?> OpenReferenceAsync(string reference)
    {
        var parts = reference.Split('/');
        if (parts.Length != 2 || !long.TryParse(parts[0], out var mailboxId) || !uint.TryParse(parts[1], out var uid)) return null;
        return await reading.OpenAsync(Mailbox, mailboxId, uid, HttpContext.RequestAborted);
    }

    /// <summary>The attachments kept from <see cref="AttachFrom"/> (none without it); null when that message is gone or not the user's.</summary>
    private async Task<IReadOnlyList<MessagePart>?> CarriedAsync()
    {
        if (string.IsNullOrEmpty(AttachFrom)) return [];
        if (await OpenReferenceAsync(AttachFrom) is not { } source) return null;
        var all = source.Attachments.ToList();
        CarriedAttachments = all;
        return [.. all.Where(a => Keep.Contains(a.Index))];
    }

    /// <summary>The kept attachments and the uploaded files, within the size limit (false with the error when over it).</summary>
    private async Task<bool> CollectAttachmentsAsync(IReadOnlyList<MessagePart> carried, List<DraftAttachment> files)
    {
        var ct = HttpContext.RequestAborted;
        foreach (var part in carried)
        {
            var content = new MemoryStream();
            if (part.Part.Content is not null) await part.Part.Content.DecodeToAsync(content, ct);
            content.Position = 0;
            files.Add(new DraftAttachment(part.FileName, part.Part.ContentType.MimeType, content));
        }
        foreach (var file in Attachments.Where(f => f.Length > 0))
            files.Add(new DraftAttachment(file.FileName, file.ContentType, file.OpenReadStream()));
        if (files.Sum(f => f.Content.Length) <= MaxAttachmentBytes) return true;
        Errors.Add(WebText.T("WebAttachmentsTooLarge", MaxAttachmentBytes / (1024 * 1024)));
        return false;
    }
}
