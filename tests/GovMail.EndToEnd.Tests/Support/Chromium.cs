using Microsoft.Playwright;

namespace GovMail.EndToEnd.Tests.Support;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by <c>scripts/test</c>) driven by Playwright; Playwright's own
/// browser download is not used. Screenshots go to <c>docs/screenshots/</c> in the repository.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ExternalProgram.Require("chromium", "chromium");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser profile (cookies of its own) at a desktop or phone size, speaking Vietnamese.</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1366, int height = 860, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = phone ? 2 : 1,
            IsMobile = phone,
            HasTouch = phone,
            Locale = "vi-VN",
            TimezoneId = "Asia/Ho_Chi_Minh",
        });
        // Generous: on a busy 2-core CI machine a sign-in once took over Playwright's default 30 s; this bounds a hang,
        // it does not measure speed.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return context;
    }

    /// <summary>A new page of <paramref name="context"/> signed in to the webmail at <paramref name="site"/> with a password.</summary>
    public static async Task<IPage> SignedInAsync(IBrowserContext context, string site, string address, string password)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(site + "/");
        await page.FillAsync("#Address", address);
        await page.FillAsync("#Password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/thu"));
        return page;
    }

    public static string ScreenshotPath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "GovMail.slnx"))) continue;
            var folder = Path.Combine(dir.FullName, "docs", "screenshots");
            Directory.CreateDirectory(folder);
            return Path.Combine(folder, name);
        }
        return Path.Combine(Path.GetTempPath(), name);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
