using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpNet;

namespace GovMail.EndToEnd.Tests.Support;

/// <summary>An agency administrator made with the CLI, and their sign-in to the portal in the browser: password, then the TOTP code.</summary>
internal static class AdminInBrowser
{
    /// <summary><c>account add</c> in the unit, <c>admin grant --role agency-administrator</c>, <c>admin totp enroll</c>; the TOTP key.</summary>
    public static async Task<string> MakeAgencyAdministratorAsync(TenantDataFolder data, string address, string name, string unit, string password)
    {
        (await data.RunAsync("account", "add", address, "--name", name, "--unit", unit, "--password", password, "--no-must-change")).Ok();
        (await data.RunAsync("admin", "grant", address, "--role", "agency-administrator")).Ok();
        return (await data.RunAsync("admin", "totp", "enroll", address, "--json")).Ok().Json.GetProperty("secret").GetString()!;
    }

    /// <summary>Signs in and lands on <paramref name="returnPath"/>; <paramref name="withCodeFilled"/> runs once the code is typed.</summary>
    public static async Task SignInAsync(IPage page, string site, string address, string password, string secret, string returnPath,
        Func<Task>? withCodeFilled = null)
    {
        await page.GotoAsync(site + "/dang-nhap?returnUrl=" + Uri.EscapeDataString(returnPath));
        await page.FillAsync("#Address", address);
        await page.FillAsync("#Password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Regex("/dang-nhap/ma-xac-thuc$"));
        await page.FillAsync("#Code", new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow));
        if (withCodeFilled is not null) await withCodeFilled();
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Regex(Regex.Escape(returnPath) + "$"));
    }
}
