using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using GovMail.Bench.Web;
using GovMail.Core.Mail;
using GovMail.Core.Security;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Directory;
using GovMail.Storage.Mail;
using GovMail.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using MimeKit;
using Npgsql;

// Webmail at scale (issue 7): one official's INBOX of 100,000 messages, then the server time of the pages a browser asks
// for: the list (first page, a page further down, the unread, sorted by subject), a message (the page and its body
// frame), and search (a rare number, a common phrase, a sender's name, all typed without diacritics). The web room runs
// on Kestrel over loopback exactly as `govmail serve` wires it; the client is signed in with the session cookie.
//
//   dotnet run -c Release --project bench/GovMail.Bench.Web [-- --messages 100000 --db sqlite|postgres|both --samples 300 --doc]
//
// PostgreSQL: the server named by GOVMAIL_BENCH_POSTGRES, else GOVMAIL_TEST_POSTGRES (a role that may CREATE DATABASE).
// Figures go to docs/performance.md only with --doc (between <!-- web-bench:start --> and <!-- web-bench:end -->).

var options = WebBenchOptions.Parse(args);
var results = new List<WebBenchResult>();
foreach (var provider in options.Providers)
{
    Console.WriteLine($"== {provider}: {options.Messages:N0} messages in one INBOX");
    results.Add(await WebBench.RunAsync(provider, options));
}
if (options.WriteDoc && !options.FillOnly) PerformanceDoc.Write(options, results);
return 0;

namespace GovMail.Bench.Web
{
    internal sealed record WebBenchOptions(int Messages, IReadOnlyList<DatabaseProvider> Providers, int Samples, bool WriteDoc, bool Keep,
        bool FillOnly = false)
    {
        public static WebBenchOptions Parse(string[] args)
        {
            var messages = 100_000;
            var samples = 300;
            var db = "sqlite";
            var doc = false;
            var keep = false;
            var fillOnly = false;
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--messages": messages = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--samples": samples = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--db": db = args[++i]; break;
                    case "--doc": doc = true; break;
                    case "--keep": keep = true; break;
                    case "--fill-only": fillOnly = keep = true; break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
            DatabaseProvider[] providers = db switch
            {
                "sqlite" => [DatabaseProvider.Sqlite],
                "postgres" => [DatabaseProvider.Postgres],
                _ => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres],
            };
            return new WebBenchOptions(messages, providers, samples, doc, keep, fillOnly);
        }
    }

    /// <summary>The timings of one kind of request, in milliseconds.</summary>
    internal sealed record Timing(string Name, string Request, double TargetMs, List<double> Samples)
    {
        public double Percentile(double p)
        {
            var sorted = Samples.Order().ToList();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
        }
    }

    internal sealed record WebBenchResult(DatabaseProvider Provider, int Messages, TimeSpan Fill, long StoredBytes, IReadOnlyList<Timing> Timings,
        string Machine, string LoadBefore, string LoadAfter);

    internal static class WebBench
    {
        private const string Domain = "bench.gov.vn";
        private const string Unit = "Văn phòng UBND";
        private const string Holder = "chuyenvien@bench.gov.vn";
        private const string Password = "Sen-Hồng-Tháp-Mười-2026";

        public static async Task<WebBenchResult> RunAsync(DatabaseProvider provider, WebBenchOptions options)
        {
            var work = Path.Combine(Path.GetTempPath(), "govmail-web-bench-" + Guid.NewGuid().ToString("N")[..10]);
            Directory.CreateDirectory(work);
            var (database, drop) = await CreateDatabaseAsync(provider, work, options.Keep);
            try
            {
                var clock = TimeProvider.System;
                var hasher = new PasswordHasher(1024, 1);
                await database.MigrateAsync();
                Ok(await new TenantDirectory(database, clock, hasher).InitAsync(Domain, "Ủy ban nhân dân Thành phố (bench)", null));
                Ok(await new UnitDirectory(database, clock).AddAsync(Unit, null, null, "bench"));
                var accounts = new AccountDirectory(database, clock, hasher);
                Ok(await accounts.AddAsync(new NewAccount("Nguyễn Thị Chuyên Viên", Unit) { Address = Holder, Password = "Tạm-Thời-Bench-2026" }, "bench"));
                Ok(await accounts.ChangePasswordAsync(Holder, "Tạm-Thời-Bench-2026", Password));
                var account = (await accounts.FindAsync(Holder)).Value!.Account;
                var blobs = new FileBlobStore(Path.Combine(work, "blobs"));

                var watch = Stopwatch.StartNew();
                var inbox = await Folder.FillAsync(database, blobs, clock, account.Id, account.Address, options.Messages);
                watch.Stop();
                var stored = Directory.EnumerateFiles(blobs.Root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
                Console.WriteLine($"filled in {watch.Elapsed.TotalSeconds:F0} s ({stored / 1024.0 / 1024:F0} MB of messages)");
                // A folder of 100,000 messages grows over months, and PostgreSQL's autovacuum has long since visited it; just
                // filled, it has not, and its first pass (visibility map, statistics, the GIN pending list) would run during
                // the timing. So the bench does that pass itself before it measures.
                if (provider == DatabaseProvider.Postgres) await ExecuteAsync(database.Settings.ConnectionString, "VACUUM (ANALYZE)");

                if (options.FillOnly) return new WebBenchResult(provider, options.Messages, watch.Elapsed, stored, [], Describe(), "", "");
                var loadBefore = LoadAverage();
                var timings = await MeasureAsync(database, blobs, hasher, inbox, options, work);
                var result = new WebBenchResult(provider, options.Messages, watch.Elapsed, stored, timings, Describe(), loadBefore, LoadAverage());
                Print(result);
                return result;
            }
            finally
            {
                await drop();
                if (!options.Keep) Directory.Delete(work, true);
                else Console.WriteLine($"kept: {work}");
            }
        }

        private static async Task<List<Timing>> MeasureAsync(GovMailDatabase database, IBlobStore blobs, PasswordHasher hasher, Folder.Filled inbox,
            WebBenchOptions options, string work)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddGovMailWeb(new WebSiteOptions
            {
                Database = database,
                Clock = TimeProvider.System,
                Hasher = hasher,
                Blobs = blobs,
                Secrets = GovMail.Storage.Security.SecretProtector.For(work, null),
                Notifications = new MailboxNotifications(),
                Submission = new NoSubmission(),
            });
            await using var app = builder.Build();
            app.UseGovMailWeb();
            await app.StartAsync();
            var address = app.Urls.First();
            using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
            {
                BaseAddress = new Uri(address),
            };
            var signIn = await http.GetStringAsync("/dang-nhap");
            var token = Regex.Match(signIn, "name=\"__xsrf\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var signedIn = await http.PostAsync("/dang-nhap", new FormUrlEncodedContent([new("Address", Holder), new("Password", Password), new("__xsrf", token)]));
            if (signedIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {signedIn.StatusCode}");

            var random = new Random(7);
            var id = inbox.MailboxId;
            var pages = Math.Max(1, inbox.Uids.Count / 25);
            string AnyUid() => inbox.Uids[random.Next(inbox.Uids.Count)].ToString(CultureInfo.InvariantCulture);
            var kinds = new (string Name, string Shape, double Target, Func<string> Url)[]
            {
                ("list", "/thu/F", 50, () => $"/thu/{id}"),
                ("list, page 2–40", "/thu/F?trang=N", 50, () => $"/thu/{id}?trang={random.Next(2, Math.Min(pages, 40) + 1)}"),
                ("list, any page", "/thu/F?trang=N (N up to the last)", 50, () => $"/thu/{id}?trang={random.Next(1, pages + 1)}"),
                ("list, unread", "/thu/F?chua-doc=true", 50, () => $"/thu/{id}?chua-doc=true"),
                ("list, by subject", "/thu/F?sap-xep=tieu-de", 50, () => $"/thu/{id}?sap-xep=tieu-de"),
                ("open", "/thu/F/UID", 50, () => $"/thu/{id}/{AnyUid()}"),
                ("open, body frame", "/thu/F/UID/noi-dung", 50, () => $"/thu/{id}/{AnyUid()}/noi-dung"),
                ("search, rare number", "?tim=so NNNNN", 300, () => $"/thu/{id}?tim=" + Uri.EscapeDataString($"so {random.Next(1, inbox.Uids.Count + 1)}/")),
                ("search, common phrase", "?tim=ke hoach", 300, () => $"/thu/{id}?tim=ke+hoach"),
                ("search, sender", "?tim=<a sender, folded>", 300, () => $"/thu/{id}?tim=" + Uri.EscapeDataString(Folder.SenderFolded(random.Next(Folder.SenderCount)))),
            };
            var timings = kinds.Select(k => new Timing(k.Name, k.Shape, k.Target, [])).ToList();
            // Warm-up (JIT, caches, connection pools), not timed.
            for (var round = 0; round < 10; round++)
                foreach (var k in kinds) await TimeAsync(http, k.Url());
            for (var round = 0; round < options.Samples; round++)
                for (var i = 0; i < kinds.Length; i++) timings[i].Samples.Add(await TimeAsync(http, kinds[i].Url()));
            await app.StopAsync();
            return timings;
        }

        /// <summary>One request, from sending it to having read the whole answer.</summary>
        private static async Task<double> TimeAsync(HttpClient http, string url)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead);
            watch.Stop();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}");
            return watch.Elapsed.TotalMilliseconds;
        }

        private static void Print(WebBenchResult r)
        {
            Console.WriteLine($"{"request",-24} {"p50",8} {"p95",8} {"p99",8} {"max",8}  target p95");
            foreach (var t in r.Timings)
                Console.WriteLine($"{t.Name,-24} {t.Percentile(50),8:F1} {t.Percentile(95),8:F1} {t.Percentile(99),8:F1} {t.Samples.Max(),8:F1}  {t.TargetMs} ms {(t.Percentile(95) <= t.TargetMs ? "met" : "MISSED")}");
            Console.WriteLine($"load average before/after: {r.LoadBefore} / {r.LoadAfter}");
        }

        private static async Task<(GovMailDatabase Database, Func<Task> Drop)> CreateDatabaseAsync(DatabaseProvider provider, string work, bool keep)
        {
            if (provider == DatabaseProvider.Sqlite)
                return (new GovMailDatabase(DatabaseSettings.SqliteIn(work)), () => { SqliteConnection.ClearAllPools(); return Task.CompletedTask; });
            var server = Environment.GetEnvironmentVariable("GOVMAIL_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("GOVMAIL_TEST_POSTGRES")
                ?? throw new InvalidOperationException("set GOVMAIL_BENCH_POSTGRES (or GOVMAIL_TEST_POSTGRES) to a PostgreSQL connection string");
            var name = "govmail_web_bench_" + Guid.NewGuid().ToString("N")[..10];
            await ExecuteAsync(server, $"CREATE DATABASE {name}");
            var cs = new NpgsqlConnectionStringBuilder(server) { Database = name, CommandTimeout = 600 }.ConnectionString;
            return (new GovMailDatabase(new DatabaseSettings(DatabaseProvider.Postgres, cs)), async () =>
            {
                NpgsqlConnection.ClearAllPools();
                if (keep) Console.WriteLine($"kept database {name}");
                else await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            });
        }

        private static async Task ExecuteAsync(string cs, string sql)
        {
            await using var c = new NpgsqlConnection(cs);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, c);
            await cmd.ExecuteNonQueryAsync();
        }

        private static void Ok<T>(GovMail.Core.Result<T> result)
        {
            if (!result.IsOk) throw new InvalidOperationException(result.Problem!.Message(GovMail.Core.Messages.English));
        }

        public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

        private static string Describe()
        {
            var cpu = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                : null;
            var memKb = File.Exists("/proc/meminfo")
                ? File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
                    .Select(l => long.Parse(l[9..].Trim().Replace(" kB", ""), CultureInfo.InvariantCulture)).FirstOrDefault()
                : 0;
            return $"{cpu ?? "unknown CPU"}, {Environment.ProcessorCount} logical CPUs, {memKb / 1024.0 / 1024:F0} GB RAM";
        }
    }

    /// <summary>The bench sends nothing; the web room only needs something to hand mail to.</summary>
    internal sealed class NoSubmission : IMailSubmission
    {
        public Task<SubmissionResult> SubmitAsync(MailSubmission submission, CancellationToken ct) =>
            Task.FromResult(new SubmissionResult(false, [new SubmissionRefusal(null, "the benchmark sends no mail")]));
    }
}
