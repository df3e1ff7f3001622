using GovMail.Web.Mail;
using GovMail.Web.Setup;
using Microsoft.AspNetCore.Mvc;

namespace GovMail.Web.Pages.Setup;

/// <summary>The mobile setup page (cài đặt trên điện thoại): the server settings for IMAP and SMTP and a QR code to open it on a phone.</summary>
public sealed class MobileModel(WebSiteOptions options) : MailPageModel
{
    public MailClientSettings? Settings => options.MailClients;

    public IActionResult OnGet() => Page();
}
