using GovMail.Core.Mail;
using GovMail.Storage.Mail;
using GovMail.Web.Mail;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using static GovMail.Web.Localization.WebText;

namespace GovMail.Web.Pages.Mail;

/// <summary>
/// A folder's message list (danh sách thư): newest first by default, sortable by date, sender, subject or size, filtered to
/// the unread or the flagged, searched with diacritics folded, a page at a time; the selected messages can be marked,
/// flagged, moved or deleted at once. By conversation (<c>hoi-thoai=true</c>, remembered in a cookie) it shows one row per
/// conversation instead, and an action on a row acts on all its messages in the folder.
/// </summary>
public sealed class IndexModel(TimeProvider clock, MessageList list, ConversationList conversations, MessageActions actions) : MailPageModel
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

    /// <summary><c>hoi-thoai=true</c> or <c>false</c>: the conversation view turned on or off (and remembered); absent, the cookie says.</summary>
    [FromQuery(Name = "hoi-thoai")]
    public bool? ByConversationQuery { get; set; }

    /// <summary>The cookie that remembers the choice of the conversation view for a year.</summary>
    public const string ConversationCookie = "govmail-hoi-thoai";

    /// <summary>The list shows conversations (hội thoại) rather than messages.</summary>
    public bool ByConversation { get; private set; }

    public ConversationPage Conversations { get; private set; } = new(0, []);

    [FromQuery(Name = "da-gui")]
    public bool JustSent { get; set; }

    [FromQuery(Name = "doi-mat-khau")]
    public bool PasswordChanged { get; set; }

    public FolderEntry Current { get; private set; } = null!;
    public MessagePage Messages { get; private set; } = new(0, []);
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>How many rows the list has in all: messages, or conversations.</summary>
    public int Total => ByConversation ? Conversations.Total : Messages.Total;

    /// <summary>Sent and Drafts show whom a message went to rather than who wrote it.</summary>
    public bool ShowsRecipients => Current.Mailbox.Role is MailboxRole.Sent or MailboxRole.Drafts;
    public DateTimeOffset Now => clock.GetUtcNow();
    public MessageSort Sort => SortName is not null && SortNames.TryGetValue(SortName, out var sort) ? sort : MessageSort.Date;
    public bool Searching => !string.IsNullOrWhiteSpace(Search);

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Load()) return NotFound();
        PageNumber = Math.Max(1, PageNumber);
        if (Search is { Length: > MaxSearchLength }) Search = Search[..MaxSearchLength];
        RememberConversationChoice();
        var request = new MessageListRequest(Sort, Ascending, UnreadOnly, FlaggedOnly, Search, (PageNumber - 1) * PageSize, PageSize)
        {
            Recipients = ShowsRecipients,
        };
        if (ByConversation)
            Conversations = await conversations.ListAsync(Current.Mailbox.Id, Folder(MailboxRole.Sent)?.Mailbox.Id, request, HttpContext.RequestAborted);
        else Messages = await list.ListAsync(Current.Mailbox.Id, request, HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>The choice of the address, remembered in the cookie; without one in the address, the cookie's. Drafts are never threaded.</summary>
    private void RememberConversationChoice()
    {
        if (ByConversationQuery is { } asked)
            Response.Cookies.Append(ConversationCookie, asked ? "1" : "0", new CookieOptions
            {
                Expires = clock.GetUtcNow().AddYears(1), HttpOnly = true, Secure = true, SameSite = SameSiteMode.Lax, IsEssential = true,
            });
        ByConversation = (ByConversationQuery ?? Request.Cookies[ConversationCookie] == "1") && Current.Mailbox.Role != MailboxRole.Drafts;
    }

    /// <summary>
    /// An action on the selected messages (checkboxes <c>uid</c>) or conversations (checkboxes <c>hoi-thoai</c>, each the UID
    /// of one of its messages: all its messages in this folder are acted on); back to the same list afterwards.
    /// </summary>
    public async Task<IActionResult> OnPostAsync([FromForm(Name = "thao-tac")] string? actionName, [FromForm(Name = "uid")] List<uint>? uids,
        [FromForm(Name = "hoi-thoai")] List<uint>? conversationIds, [FromForm(Name = "den")] long? target, [FromForm(Name = "tro-ve")] string? back)
    {
        if (!Load()) return NotFound();
        if (MessageActions.Parse(actionName) is not { } action) return BadRequest();
        var selected = new HashSet<uint>(uids ?? []);
        foreach (var id in conversationIds ?? [])
        {
            if (await conversations.FindAsync(Current.Mailbox.Id, Folder(MailboxRole.Sent)?.Mailbox.Id, id, HttpContext.RequestAborted) is not { } c)
                continue;
            foreach (var m in c.InFolder) selected.Add(m.Uid);
        }
        if (!await actions.ApplyAsync(Mailbox, Current.Mailbox.Id, selected, action, target, HttpContext)) return NotFound();
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
    public string ListUrl(int page = 1, bool? unread = null, bool? flagged = null, MessageSort? sort = null, bool? ascending = null, string? search = null,
        bool? byConversation = null)
    {
        var query = new List<string>();
        // On, the view rides along; turned off, it says so, or the cookie would turn it back on.
        if (byConversation ?? ByConversation) query.Add("hoi-thoai=true");
        else if (byConversation == false) query.Add("hoi-thoai=false");
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

    /// <summary>A conversation of this list, read on one page; the list's settings ride along as for a message.</summary>
    public string ConversationUrl(Conversation c)
    {
        var plain = $"/thu/{Current.Mailbox.Id}";
        var here = Here;
        return $"{plain}/hoi-thoai/{c.Id}" + (here == plain ? "" : "?tu=" + Uri.EscapeDataString(here));
    }

    /// <summary>The sort name of the address for a sort.</summary>
    public static string SortKey(MessageSort sort) => SortNames.First(p => p.Value == sort).Key;

    /// <summary>The person shown in a row: the sender, or in Sent and Drafts whom it went to ("Đến: …").</summary>
    public string Person(MessageListItem m) =>
        ShowsRecipients ? T("WebListTo", m.Recipients is { Length: > 0 } to ? to : T("WebNoRecipients"))
        : string.IsNullOrWhiteSpace(m.FromName) ? m.FromAddress ?? "" : m.FromName;

    /// <summary>The people of a conversation row: the senders by given name, "tôi" for the owner.</summary>
    public string Participants(Conversation c) => string.Join(", ", c.Participants(Mailbox.Address, T("WebMe")));
}
