using System.Net;
using GovMail.Core.Mail;
using GovMail.Testing;
using MimeKit;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Mail;

/// <summary>
/// The webmail reads the messages built to break parsers (<see cref="HostileMessages"/>) as it reads any other: the list,
/// each message's page, its sandboxed body, the conversation view and a search all answer 200, never an error page.
/// </summary>
public sealed class HostileMessageReadingTests
{
    [Fact]
    public async Task Messages_built_to_break_parsers_are_listed_read_and_searched_without_an_error()
    {
        await using var site = await StartAsync();
        var uids = new List<(string Name, uint Uid)>();
        foreach (var (name, bytes) in HostileMessages.All())
            uids.Add((name, await site.ReceiveAsync(An, MimeMessage.Load(new MemoryStream(bytes)))));
        var inbox = (await site.MailboxAsync(An, MailboxRole.Inbox)).Id;
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        foreach (var list in new[] { $"/thu/{inbox}", $"/thu/{inbox}?hoi-thoai=true", $"/thu/{inbox}?tim=cong+van", $"/thu/{inbox}?sap-xep=nguoi-gui" })
            Assert.Equal(HttpStatusCode.OK, (await an.GetAsync(list)).Status);
        foreach (var (name, uid) in uids)
        {
            var (page, _, _) = await an.GetAsync($"/thu/{inbox}/{uid}");
            var (body, _, _) = await an.GetAsync($"/thu/{inbox}/{uid}/noi-dung");
            var (conversation, _, _) = await an.GetAsync($"/thu/{inbox}/hoi-thoai/{uid}");
            Assert.True(page == HttpStatusCode.OK && body == HttpStatusCode.OK && conversation == HttpStatusCode.OK,
                $"{name}: page {page}, body {body}, conversation {conversation}");
        }
    }
}
