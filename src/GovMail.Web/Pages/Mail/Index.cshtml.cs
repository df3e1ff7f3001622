using GovMail.Core.Mail;
using GovMail.Storage.Mail;
using GovMail.Web.Mail;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Mail;

/// <summary>
/// A folder's message list (danh sách thư): newest first by default, sortable by date, sender, subject or size, filtered to
/// the unread or the flagged, searched with diacritics folded, a page at a time; the selected messages can be marked,
/// flagged, moved or deleted at once.
/// </summary>
public sealed class IndexModel(TimeProvider clock, MessageList list, MessageActions actions) : MailPageModel
{
    public const int PageSize = 25;

    /// <summary>Longest search text taken (longer is cut).</summary>
    public const int MaxSearchLength = 200;

    private static readonly Dictionary<string, MessageSort> SortNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ngay"] = MessageSort.Date, ["nguoi-gui"] = MessageSort.Sender, ["tieu-de"] = MessageSort.Subject, ["kich-thuoc"] = MessageSort.Size,
    };

    [FromRoute]
    public long? MailboxId { get; set; }

    [FromQuery(Name = "trang")]
    public int PageNumber { get; set; } = 1;

    [FromQuery(Name = "chua-doc")]
    public bool UnreadOnly { get; set; }

    [FromQuery(Name = "co")]
    public bool FlaggedOnly { get; set; }

    [FromQuery(Name = "sap-xep")]
    public string? SortName { get; set; }

    [FromQuery(Name = "tang")]
    public bool Ascending { get; set; }

    [FromQuery(Name = "tim")]
    public string? Search { get; set; }

    [FromQuery(Name = "da-gui")]
    public bool JustSent { get; set; }

    [FromQuery(Name = "doi-mat-khau")]
    public bool PasswordChanged { get; set; }

    public FolderEntry Current { get; private set; } = null!;
    public MessagePage Messages { get; private set; } = new(0, []);
    public int PageCount => Math.Max(1, (Messages.Total + PageSize - 1) / PageSize);
    public DateTimeOffset Now => clock.GetUtcNow();
    public MessageSort Sort => SortName is not null && SortNames.TryGetValue(SortName, out var sort) ? sort : MessageSort.Date;
    public bool Searching => !string.IsNullOrWhiteSpace(Search);

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Load()) return NotFound();
        PageNumber = Math.Max(1, PageNumber);
        if (Search is { Length: > MaxSearchLength }) Search = Search[..MaxSearchLength];
        Messages = await list.ListAsync(Current.Mailbox.Id,
            new MessageListRequest(Sort, Ascending, UnreadOnly, FlaggedOnly, Search, (PageNumber - 1) * PageSize, PageSize), HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>An action on the selected messages (checkboxes <c>uid</c>); back to the same list afterwards.</summary>
    public async Task<IActionResult> OnPostAsync([FromForm(Name = "thao-tac")] string? actionName, [FromForm(Name = "uid")] List<uint>? uids,
        [FromForm(Name = "den")] long? target, [FromForm(Name = "tro-ve")] string? back)
    {
        if (!Load()) return NotFound();
        if (MessageActions.Parse(actionName) is not { } action) return BadRequest();
        if (!await actions.ApplyAsync(Mailbox, Current.Mailbox.Id, uids ?? [], action, target, HttpContext)) return NotFound();
        return Redirect(MessageActions.LocalUrl(back) ?? $"/thu/{Current.Mailbox.Id}");
    }

    private bool Load()
    {
        var folder = MailboxId is { } id ? Folders.FirstOrDefault(f => f.Mailbox.Id == id) : Folder(MailboxRole.Inbox);
        if (folder is null) return false;
        Current = folder;
        CurrentFolderId = folder.Mailbox.Id;
        return true;
    }

    /// <summary>This list's address with some of its settings changed (the page goes back to 1 unless given).</summary>
    public string ListUrl(int page = 1, bool? unread = null, bool? flagged = null, MessageSort? sort = null, bool? ascending = null, string? search = null)
    {
        var query = new List<string>();
        var sortValue = sort ?? Sort;
        if (sortValue != MessageSort.Date) query.Add("sap-xep=" + SortNames.First(p => p.Value == sortValue).Key);
        if (ascending ?? Ascending) query.Add("tang=true");
        if (unread ?? UnreadOnly) query.Add("chua-doc=true");
        if (flagged ?? FlaggedOnly) query.Add("co=true");
        if ((search ?? Search) is { Length: > 0 } s && !string.IsNullOrWhiteSpace(s)) query.Add("tim=" + Uri.EscapeDataString(s.Trim()));
        if (page > 1) query.Add($"trang={page}");
        return $"/thu/{Current.Mailbox.Id}" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }

    /// <summary>The address of this very list (for coming back to it after an action or from a message).</summary>
    public string Here => ListUrl(PageNumber);

    public string PageUrl(int page, bool unread) => ListUrl(page, unread);

    /// <summary>A message of this list; the list's own settings ride along (<c>tu</c>) when they are not the default, to come back to them.</summary>
    public string MessageUrl(uint uid)
    {
        var plain = $"/thu/{Current.Mailbox.Id}";
        var here = Here;
        return $"{plain}/{uid}" + (here == plain ? "" : "?tu=" + Uri.EscapeDataString(here));
    }

    /// <summary>The sort name of the address for a sort.</summary>
    public static string SortKey(MessageSort sort) => SortNames.First(p => p.Value == sort).Key;

    /// <summary>The person shown in a row: the recipient in Sent and Drafts would be nicer, the sender for now.</summary>
    public static string Sender(MessageListItem m) =>
        string.IsNullOrWhiteSpace(m.FromName) ? m.FromAddress ?? "" : m.FromName;
}
