using System.Net;
using System.Net.Http.Json;
using GovMail.Core.Accounts;
using GovMail.Web.Tests.Admin;
using GovMail.Web.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static GovMail.Web.Tests.Admin.AdminWorld;
using static GovMail.Web.Tests.Support.WebTestSite;

namespace GovMail.Web.Tests;

/// <summary>
/// Issue 7, "every page and API call": the site's own route table (its <see cref="EndpointDataSource"/>) against the list below,
/// which names for each route who may use it and the tests that drive it; then, route by route, a form posted without the
/// antiforgery token or with another browser's token is refused, anonymous visitors are sent to sign in, an official without an
/// administrator role is refused every admin page, and the API refuses anonymous callers, a signed-in browser's cookie and
/// another agency's token.
/// </summary>
public sealed class RouteTableTests
{
    private enum Access
    {
        /// <summary>Anyone (sign-in, client discovery, the language switch).</summary>
        Public,
        /// <summary>A signed-in account, also one that must still change its password.</summary>
        SignedIn,
        /// <summary>A signed-in, active account (webmail, profile, phone setup).</summary>
        Mail,
        /// <summary>An administrator past the second factor, within the role's scope.</summary>
        Admin,
        /// <summary>An administrator's bearer token.</summary>
        Api,
    }

    /// <summary>A route: PAGE for a Razor page (GET and its POST handlers), else the HTTP method; the tests that drive it.</summary>
    private sealed record Route(string Method, string Pattern, Access Access, string Tests);

    private const string Collective = "vanphong.noivu@tphcm.gov.vn";

    private static readonly Route[] Routes =
    [
        new("PAGE", "/dang-nhap", Access.Public, "SignInTests, AdminSignInTests"),
        new("PAGE", "/dang-nhap/ma-xac-thuc", Access.Public, "AdminSignInTests, TotpEnrolmentTests"),
        new("PAGE", "/dang-xuat", Access.Public, "SignInTests"),
        new("PAGE", "/doi-mat-khau", Access.SignedIn, "ChangePasswordTests, CrossProtocolLockoutTests"),
        new("PAGE", "/thu/{mailboxId:long?}", Access.Mail, "WebmailTests, WebmailListAndActionsTests, WebmailListPagingTests"),
        new("PAGE", "/thu/{mailboxId:long}/{uid:long}", Access.Mail, "WebmailTests, WebmailListAndActionsTests"),
        new("PAGE", "/thu/{mailboxId:long}/hoi-thoai/{uid:long}", Access.Mail, "WebmailConversationTests"),
        new("PAGE", "/thu/hop-thu", Access.Mail, "KeeperWebmailTests"),
        new("PAGE", "/soan-thu", Access.Mail, "WebmailComposeTests, KeeperWebmailTests"),
        new("PAGE", "/ho-so", Access.Mail, "ProfileTests, ProfileApprovalTests"),
        new("PAGE", "/ho-so/ma-xac-thuc", Access.Mail, "TotpEnrolmentTests"),
        new("PAGE", "/cai-dat-dien-thoai", Access.Mail, "ClientSetupTests, AppleProfileTests"),
        new("PAGE", "/quan-tri", Access.Admin, "AdminPortalTests, AdminSignInTests"),
        new("PAGE", "/quan-tri/tai-khoan", Access.Admin, "AdminPortalTests"),
        new("PAGE", "/quan-tri/tai-khoan/{address}", Access.Admin, "AdminPortalTests, AdminIssueAndKeeperTests"),
        new("PAGE", "/quan-tri/tai-khoan/moi", Access.Admin, "AdminIssueAndKeeperTests"),
        new("PAGE", "/quan-tri/nhap-danh-sach", Access.Admin, "AdminPortalTests"),
        new("PAGE", "/quan-tri/bien-dong-nhan-su", Access.Admin, "AdminHrChangesTests"),
        new("PAGE", "/quan-tri/don-vi", Access.Admin, "AdminPortalTests"),
        new("PAGE", "/quan-tri/nhat-ky", Access.Admin, "AdminPortalTests"),
        new("PAGE", "/quan-tri/bao-cao", Access.Admin, "AdminPortalTests"),
        new("PAGE", "/quan-tri/danh-sach-quy", Access.Admin, "AdminPortalTests"),
        new("PAGE", "/quan-tri/su-dung-cong-vu", Access.Admin, "OfficialUseReportTests"),
        new("PAGE", "/quan-tri/ma-truy-cap", Access.Admin, "AdminPortalTests"),
        new("PAGE", "/quan-tri/hang-doi", Access.Admin, "AdminQueueAndPolicyTests"),
        new("PAGE", "/quan-tri/chinh-sach", Access.Admin, "AdminQueueAndPolicyTests"),
        new("PAGE", "/quan-tri/lich-lam-viec", Access.Admin, "WorkingCalendarPageTests"),
        new("PAGE", "/quan-tri/ho-so-cho-duyet", Access.Admin, "ProfileApprovalTests"),
        new("GET", "/", Access.Public, "SignInTests"),
        new("GET", "/ngon-ngu/{lang}", Access.Public, "SignInTests"),
        new("GET", "/thu/{mailboxId:long}/{uid:long}/noi-dung", Access.Mail, "WebmailTests, KeeperWebmailTests"),
        new("GET", "/thu/{mailboxId:long}/{uid:long}/tep/{index:int}", Access.Mail, "WebmailTests"),
        new("GET", "/thu/su-kien", Access.Mail, "WebmailComposeTests"),
        new("GET", "/danh-ba/tim", Access.Mail, "WebmailComposeTests"),
        new("GET", "/.well-known/autoconfig/mail/config-v1.1.xml", Access.Public, "ClientSetupTests"),
        new("GET", "/mail/config-v1.1.xml", Access.Public, "ClientSetupTests"),
        new("POST", "/autodiscover/autodiscover.xml", Access.Public, "ClientSetupTests"),
        new("GET", "/cai-dat-dien-thoai/qr.png", Access.Mail, "ClientSetupTests"),
        new("GET", "/cai-dat-dien-thoai/hop-thu.mobileconfig", Access.Mail, "AppleProfileTests"),
        new("GET", "/api/{documentName}/openapi.json", Access.Public, "AdminApiTests, AdminQueueAndPolicyTests"),
        new("GET", "/api/v1/me", Access.Api, "RouteTableTests"),
        new("GET", "/api/v1/units", Access.Api, "AdminApiTests"),
        new("GET", "/api/v1/accounts", Access.Api, "AdminApiTests, AdminIssueAndKeeperTests"),
        new("POST", "/api/v1/accounts", Access.Api, "AdminIssueAndKeeperTests"),
        new("GET", "/api/v1/accounts/{address}", Access.Api, "AdminApiTests"),
        new("POST", "/api/v1/accounts/{address}/lock", Access.Api, "AdminApiTests"),
        new("POST", "/api/v1/accounts/{address}/unlock", Access.Api, "AdminApiTests"),
        new("POST", "/api/v1/accounts/{address}/disable", Access.Api, "AdminApiTests"),
        new("POST", "/api/v1/accounts/{address}/reactivate", Access.Api, "RouteTableTests"),
        new("POST", "/api/v1/accounts/{address}/close", Access.Api, "RouteTableTests"),
        new("POST", "/api/v1/accounts/{address}/reset-password", Access.Api, "AdminApiTests"),
        new("POST", "/api/v1/accounts/{address}/transfer", Access.Api, "AdminApiTests"),
        new("POST", "/api/v1/accounts/{address}/retire", Access.Api, "AdminApiTests"),
        new("POST", "/api/v1/accounts/{address}/resign", Access.Api, "ResignationTests"),
        new("POST", "/api/v1/accounts/{address}/cancel", Access.Api, "CancellationTests"),
        new("GET", "/api/v1/accounts/{address}/keepers", Access.Api, "AdminIssueAndKeeperTests"),
        new("POST", "/api/v1/accounts/{address}/keepers", Access.Api, "AdminIssueAndKeeperTests"),
        new("DELETE", "/api/v1/accounts/{address}/keepers/{keeper}", Access.Api, "AdminIssueAndKeeperTests"),
        new("POST", "/api/v1/accounts/import", Access.Api, "AdminApiTests"),
        new("GET", "/api/v1/reports/usage", Access.Api, "AdminApiTests"),
        new("GET", "/api/v1/reports/governance", Access.Api, "AdminApiTests"),
        new("POST", "/api/v1/reports/governance/decisions", Access.Api, "RouteTableTests"),
        new("GET", "/api/v1/reports/registrations", Access.Api, "OfficialUseReportTests"),
        new("GET", "/api/v1/reports/public-webmail", Access.Api, "OfficialUseReportTests"),
        new("GET", "/api/v1/audit", Access.Api, "AdminApiTests"),
        new("GET", "/api/v1/queue", Access.Api, "AdminQueueAndPolicyTests"),
        new("POST", "/api/v1/queue/{id}/retry", Access.Api, "AdminQueueAndPolicyTests"),
        new("POST", "/api/v1/queue/{id}/drop", Access.Api, "AdminQueueAndPolicyTests"),
        new("GET", "/api/v1/policies", Access.Api, "AdminQueueAndPolicyTests"),
        new("PUT", "/api/v1/policies", Access.Api, "AdminQueueAndPolicyTests"),
    ];

    /// <summary>A URL of the route: its parameters filled with values of the test site (the collective mailbox for an address).</summary>
    private static string Url(Route route) => route.Pattern
        .Replace("/{mailboxId:long?}", "", StringComparison.Ordinal)
        .Replace("{mailboxId:long}", "1", StringComparison.Ordinal)
        .Replace("{uid:long}", "1", StringComparison.Ordinal)
        .Replace("{index:int}", "0", StringComparison.Ordinal)
        .Replace("{address}", Collective, StringComparison.Ordinal)
        .Replace("{keeper}", Hoa, StringComparison.Ordinal)
        .Replace("{id}", "khong-co", StringComparison.Ordinal)
        .Replace("{lang}", "en", StringComparison.Ordinal)
        .Replace("{documentName}", "v1", StringComparison.Ordinal);

    private static IEnumerable<Route> Pages(params Access[] access) => Routes.Where(r => r.Method == "PAGE" && access.Contains(r.Access));

    private static HttpRequestMessage Request(string method, string url, HttpContent? content = null) =>
        new(new HttpMethod(method == "PAGE" ? "GET" : method), url) { Content = content };

    private static FormUrlEncodedContent Form(string? token = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Reason", "giả mạo") };
        if (token is not null) fields.Add(new("__xsrf", token));
        return new FormUrlEncodedContent(fields);
    }

    /// <summary>What a caller would send: a staff list file to the import, JSON to the others.</summary>
    private static HttpContent Body(Route route)
    {
        if (!route.Pattern.EndsWith("/import", StringComparison.Ordinal)) return JsonContent.Create(new { reason = "giả mạo", unit = TaiChinh });
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent("Họ và tên,Đơn vị\nNguyễn Văn Giả,Sở Nội vụ\n"u8.ToArray()), "file", "danh-sach.csv");
        return form;
    }

    private static bool SentToSignIn(HttpResponseMessage r) =>
        r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location?.OriginalString.Contains("/dang-nhap", StringComparison.Ordinal) == true;

    private static bool NotFoundOrForbidden(HttpResponseMessage r) => r.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden;

    /// <summary>One request a test sends, named for the report of those let through.</summary>
    private sealed record Probe(string Name, Func<Task<HttpResponseMessage>> Send);

    /// <summary>Sends the probes one after another; names each whose answer is not <paramref name="refused"/>, with its status.</summary>
    private static async Task<List<string>> LetThroughAsync(IEnumerable<Probe> probes, Func<HttpResponseMessage, bool> refused)
    {
        var let = new List<string>();
        foreach (var probe in probes)
        {
            using var response = await probe.Send();
            if (!refused(response)) let.Add($"{probe.Name}: {(int)response.StatusCode}");
        }
        return let;
    }

    [Fact]
    public async Task The_table_lists_every_route_the_site_maps()
    {
        await using var site = await StartAsync();

        var mapped = site.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? string.Join(",", methods) : "PAGE")
                         + " /" + e.RoutePattern.RawText!.TrimStart('/'))
            .Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Routes.Select(r => r.Method + " " + r.Pattern).Order(StringComparer.Ordinal), mapped);
    }

    [Fact]
    public async Task Every_page_refuses_a_form_posted_without_the_antiforgery_token_or_with_another_browsers()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        using var admin = await world.SignInAsync(Operator);
        using var anonymous = site.Browser();
        // A token the attacker's own browser was given: valid, but for other cookies.
        using var attacker = site.Browser();
        var foreign = BrowserClient.Token((await attacker.GetAsync("/dang-nhap")).Html)!;

        BrowserClient[] Clients(Route route) => route.Access switch
        {
            Access.Admin => [admin],
            Access.Public => [an, anonymous],
            _ => [an],
        };
        var accepted = await LetThroughAsync(
            from route in Routes.Where(r => r.Method == "PAGE")
            from client in Clients(route)
            from token in new string?[] { null, foreign }
            select new Probe($"{route.Pattern} ({(token is null ? "no token" : "another browser's token")})",
                () => client.Http.PostAsync(Url(route), Form(token))),
            r => r.StatusCode == HttpStatusCode.BadRequest);

        Assert.Empty(accepted);
        // Nothing was changed on the way: An is still signed in and active.
        Assert.Equal(HttpStatusCode.OK, (await an.GetAsync("/thu")).Status);
        Assert.Equal(AccountState.Active, await world.StateAsync(Collective));
    }

    [Fact]
    public async Task Every_page_and_call_for_signed_in_accounts_sends_an_anonymous_visitor_to_sign_in()
    {
        await using var site = await StartAsync();
        using var anonymous = site.Browser();

        var let = await LetThroughAsync(Routes.Where(r => r.Access is Access.SignedIn or Access.Mail or Access.Admin).SelectMany(route =>
            route.Method == "PAGE"
                ? new Probe[]
                {
                    new($"PAGE {route.Pattern}", () => anonymous.Http.SendAsync(Request(route.Method, Url(route)))),
                    new($"POST {route.Pattern}", () => anonymous.Http.PostAsync(Url(route), Form())),
                }
                : [new($"{route.Method} {route.Pattern}", () => anonymous.Http.SendAsync(Request(route.Method, Url(route))))]),
            SentToSignIn);

        Assert.Empty(let);
    }

    [Fact]
    public async Task Every_admin_page_refuses_an_official_without_an_administrator_role_reading_or_posting()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var an = site.Browser();
        await an.SignInAsync(An, AnPassword);
        var token = BrowserClient.Token((await an.GetAsync("/ho-so")).Html)!;

        var let = await LetThroughAsync(Pages(Access.Admin).SelectMany(route => new Probe[]
            {
                new($"GET {route.Pattern}", () => an.Http.GetAsync(Url(route))),
                new($"POST {route.Pattern}", () => an.Http.PostAsync(Url(route), Form(token))),
            }),
            r => r.StatusCode == HttpStatusCode.Forbidden);

        Assert.Empty(let);
        Assert.Equal(AccountState.Active, await world.StateAsync(Collective));
    }

    [Fact]
    public async Task An_agency_administrator_cannot_open_or_change_an_account_of_another_agency_on_the_account_page()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var other = await world.SignInAsync(TaiChinhAdmin);
        var token = BrowserClient.Token((await other.GetAsync("/quan-tri/tai-khoan")).Html)!;
        var page = "/quan-tri/tai-khoan/" + Collective;

        var read = await other.Http.GetAsync(page);
        var let = await LetThroughAsync(
            from handler in new[] { "lock", "disable", "close", "reset", "retire", "resign", "cancel" }
            select new Probe(handler, () => other.Http.PostAsync(page + "?handler=" + handler, Form(token))),
            NotFoundOrForbidden);

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Empty(let);
        Assert.Equal(AccountState.Active, await world.StateAsync(Collective));
    }

    [Fact]
    public async Task Every_api_call_refuses_no_token_an_unknown_token_and_a_signed_in_administrators_cookie()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var anonymous = site.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        using var forged = site.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "gm_khong-hop-le");
        using var browser = await world.SignInAsync(Operator);

        var let = await LetThroughAsync(
            from route in Routes.Where(r => r.Access == Access.Api)
            from caller in new (string Who, HttpClient Client)[] { ("no token", anonymous), ("unknown token", forged), ("cookie", browser.Http) }
            select new Probe($"{route.Method} {route.Pattern} ({caller.Who})", () => caller.Client.SendAsync(Request(route.Method, Url(route), Body(route)))),
            r => r.StatusCode == HttpStatusCode.Unauthorized);

        Assert.Empty(let);
        Assert.Equal(AccountState.Active, await world.StateAsync(Collective));
    }

    [Fact]
    public async Task Every_api_call_on_an_account_refuses_a_token_of_another_agency()
    {
        await using var site = await StartAsync();
        var world = await PrepareAsync(site);
        using var api = await world.ApiAsync(TaiChinhAdmin);

        var me = await api.GetAsync("/api/v1/me");
        var let = await LetThroughAsync(
            from route in Routes.Where(r => r.Access == Access.Api && r.Pattern.Contains("{address}", StringComparison.Ordinal))
            select new Probe($"{route.Method} {route.Pattern}", () => api.SendAsync(Request(route.Method, Url(route),
                JsonContent.Create(new { reason = "ngoài phạm vi", unit = TaiChinh, keeper = Hoa })))),
            NotFoundOrForbidden);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains(TaiChinhAdmin, await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(let);
        Assert.Equal(AccountState.Active, await world.StateAsync(Collective));
    }
}
