using System.Net;
using GovMail.Core.Mail;
using Microsoft.EntityFrameworkCore;
using GovMail.Web.Tests.Support;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests.Mail;

/// <summary>
/// The forms an official uses every day (sign-in, compose and draft, profile, password change, actions on a list) given
/// hostile values in every field: empty, 100,000 characters, NUL, a header injection, markup, SQL, broken encoded words,
/// a lone surrogate, impossible numbers, two thousand recipients. Each answer is a page (or a redirect), never an error;
/// no header injection reaches a recipient, and no value is shown back unescaped.
/// </summary>
public sealed class HostileFormTests
{
    [Fact]
    public async Task Hostile_values_in_every_field_of_the_everyday_forms_give_a_page_and_inject_nothing()
    {
        await using var site = await StartAsync();
        var inbox = (await site.MailboxAsync(An, MailboxRole.Inbox)).Id;
        var uid = await site.ReceiveAsync(An, new MimeKit.MimeMessage(
            [new MimeKit.MailboxAddress("Chi", Chi)], [new MimeKit.MailboxAddress("An", An)], "Thử", new MimeKit.TextPart("plain") { Text = "x" }));
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);

        var answers = new List<string>();
        async Task PostAsync(string page, string[] fields, string? action = null) =>
            answers.AddRange(await HostileForms.PostEveryFieldAsync(an, page, fields, Default, action));

        await PostAsync("/soan-thu", ["To", "Cc", "Subject", "Body", "InReplyTo", "References", "DraftUid", "AttachFrom", "Keep"]);
        await PostAsync("/soan-thu", ["To", "Subject", "Body", "DraftUid"], "/soan-thu?handler=Draft");
        await PostAsync("/ho-so", ["DisplayName", "JobTitle", "Phone"]);
        await PostAsync("/doi-mat-khau", ["Current", "New", "Confirm"]);
        await PostAsync($"/thu/{inbox}", ["thao-tac", "uid", "den", "tro-ve"]);
        await PostAsync($"/thu/{inbox}/{uid}", ["thao-tac", "den"], $"/thu/{inbox}/{uid}?handler=Action");

        // Sign-in: a few only, as failed sign-ins from one address are slowed down on purpose (each waits longer).
        using var anonymous = site.Browser();
        foreach (var value in new[] { HostileForms.Values[2], HostileForms.Values[3], HostileForms.Values[9] })
        {
            var response = await anonymous.SubmitAsync("/dang-nhap", [new("Address", value), new("Password", value)]);
            if ((int)response.StatusCode >= 500) answers.Add($"/dang-nhap {HostileForms.Show(value)} → {(int)response.StatusCode}");
        }

        Assert.True(answers.Count == 0, string.Join("\n", answers));
        // The header injection reached no one: nobody at example.org was mailed through a Bcc line someone typed.
        await using var db = site.Database.Database.Open();
        Assert.False(await db.OutboundRecipients.AnyAsync(r => r.Address == "evil@example.org"));
        // The account still signs in with its password (the password form changed nothing with those values).
        using var again = site.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync(An, AnPassword)).StatusCode);
    }

    /// <summary>What the other fields hold while one is hostile: a form that would otherwise go through.</summary>
    private static string Default(string field) => field switch
    {
        "To" => Chi,
        "Subject" => "Công văn",
        "Body" => "Nội dung",
        "DisplayName" => "Nguyễn Văn An",
        "Current" => AnPassword,
        "thao-tac" => "Read",
        "tro-ve" => "/thu",
        _ => "",
    };
}
