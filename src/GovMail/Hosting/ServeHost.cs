using System.Net;
using System.Net.Sockets;
using GovMail.Cli;
using GovMail.Core;
using GovMail.Demo;
using GovMail.Net;
using GovMail.Storage.Blobs;
using GovMail.Storage.Security;
using GovMail.Storage.Mail;
using GovMail.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovMail.Hosting;

/// <summary>
/// <c>govmail serve</c>: prepares the data folder (database, blobs, TLS certificate, first administrator) and runs the listeners
/// until Ctrl-C or SIGTERM. SMTP, IMAP and the web (webmail and <c>/healthz</c> on the HTTP and HTTPS ports) share one
/// notification bus, and web-sent mail goes through the SMTP delivery pipeline.
/// </summary>
public static class ServeHost
{
    public static async Task<int> RunAsync(CliContext ctx, bool demo, CancellationToken ct)
    {
        var options = ctx.Options;
        System.IO.Directory.CreateDirectory(options.DataDirectory);
        if (ctx.Blobs is S3BlobStore bucket)
        {
            // A node that cannot reach its bucket would accept mail it cannot store: refuse to start, naming the store.
            try { await bucket.VerifyAsync(ct); }
            catch (IOException e) { throw new CliException(Problem.Of("BlobS3Unreachable", bucket.Bucket, e.Message)); }
        }
        else System.IO.Directory.CreateDirectory(options.BlobDirectory);
        await ctx.Database.MigrateAsync(ct);

        // Nodes starting together on a new PostgreSQL database: one sets up the tenant, the others then find it.
        Core.Directory.Tenant? tenant;
        await using (await ctx.Database.LockForStartAsync(ct))
        {
            tenant = await ctx.Tenants.FindAsync(ct);
            if (tenant is null)
            {
                if (demo)
                {
                    var seeded = await DemoTenant.SeedAsync(ctx, ct);
                    InitCommand.Report(ctx.Output, seeded.Init);
                    ctx.Output.Line(Messages.Format("DemoSeeded", null, [seeded.Accounts, seeded.Units, DemoTenant.Password]));
                }
                else
                {
                    var init = (await ctx.Tenants.InitAsync(options.Tenant.Domain, options.Tenant.Name, null, ct)).OrFail();
                    InitCommand.Report(ctx.Output, init);
                }
                tenant = await ctx.Tenants.FindAsync(ct);
            }
            else if (demo)
            {
                ctx.Output.Line(Messages.Get("DemoAlreadyPresent"));
            }
        }

        var hostNames = new List<string> { Dns.GetHostName() };
        hostNames.AddRange(tenant!.Domains.SelectMany(d => new[] { d.Name, "mail." + d.Name }));
        // One logger factory for the whole process, made before the application because the pipeline the web submits into is
        // made first: a session's scope (its correlation id, see TcpConnectionListener) then reaches every line written
        // during it, the delivery's and the login's included.
        using var loggers = LoggerFactory.Create(l =>
        {
            l.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.IncludeScopes = true;
            });
            l.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            l.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        });
        // GovMail's settings were read once by CliContext. The host's own appsettings.json reading must not watch files: with
        // reload on, ASP.NET watches the content root and everything under it with inotify, and when that was the data folder
        // every page the database wrote to its WAL and every blob saved woke a watcher thread (about 150 events per IMAP
        // append-and-expunge round, measured). The content root is the program's folder, which nothing writes to.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(sp => TlsCertificate.Open(options.Tls, options.TlsDirectory, hostNames, ctx.Clock,
            sp.GetRequiredService<ILogger<CertificateFiles>>()));
        builder.Services.AddSingleton(ctx.Database);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        var listeners = options.Listeners;
        var bind = string.IsNullOrWhiteSpace(listeners.Bind) ? IPAddress.Any : ParseBind(listeners.Bind);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            if (listeners.Http > 0) k.Listen(bind, listeners.Http);
            // The handshake options come from the same ServerCertificate the mail listeners use: the intermediates of the files are
            // sent too (a selector returning only the certificate would not send them) and a renewed certificate is used at once.
            if (listeners.Https > 0) k.Listen(bind, listeners.Https, l =>
            {
                var files = k.ApplicationServices.GetRequiredService<CertificateFiles>();
                var presented = new ServerCertificate(() => files.Current);
                l.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = _ => ValueTask.FromResult(presented.CreateAuthenticationOptions()) });
            });
        });

        var hostName = options.HostName ?? "mail." + tenant.PrimaryDomain.Name;
        var publicUrl = options.PublicUrl ?? $"https://{hostName}/";
        // Across nodes through LISTEN/NOTIFY on PostgreSQL (docs/scale-out.md), inside this process on SQLite.
        var notifications = await PostgresMailboxNotifications.ForAsync(ctx.Database, loggers.CreateLogger("GovMail.Notifications"), ct);
        await using var crossNode = notifications as PostgresMailboxNotifications;
        var relay = SmtpHost.CreateRelay(ctx, hostName, loggers);
        var delivery = SmtpHost.CreateDelivery(ctx, hostName, loggers, relay, notifications);
        builder.Services.AddGovMailWeb(new WebSiteOptions
        {
            Database = ctx.Database,
            Clock = ctx.Clock,
            Hasher = ctx.Hasher,
            Blobs = ctx.Blobs,
            Notifications = notifications,
            Submission = SmtpHost.CreateSubmission(ctx, delivery, notifications),
            HttpsPort = listeners.Https > 0 ? listeners.Https : null,
            Secrets = SecretProtector.For(options.DataDirectory, options.Security.SecretKey),
            OfficialUse = GovMail.Core.Security.OfficialUseDomains.From(options.Safeguards.PublicMailDomains, options.Safeguards.RegistrationSenderDomains),
            MailClients = new GovMail.Web.Setup.MailClientSettings(hostName, listeners.Imaps, listeners.Imap, listeners.Submissions,
                listeners.Submission, publicUrl) { ProfileSigner = services => services.GetRequiredService<CertificateFiles>().Current },
        });

        var app = builder.Build();
        // Read (or made) before anything listens, so a missing certificate file stops the start.
        var certificates = app.Services.GetRequiredService<CertificateFiles>();
        var certificate = certificates.Current.Leaf;
        // Nodes starting together on a new database make one cookie key between them (docs/scale-out.md).
        await using (await ctx.Database.LockForStartAsync(ct))
            GovMail.Web.Security.WebKeyRing.EnsureKey(app.Services);
        var log = loggers.CreateLogger("GovMail.Serve");
        MetricsEndpoints.Map(app, ctx.Database, ctx.Clock);
        app.UseGovMailWeb();
        var smtp = SmtpHost.Create(ctx, listeners, bind, hostName, publicUrl, () => certificates.Current, loggers, delivery);
        var imap = ImapHost.Create(ctx, listeners, bind, () => certificates.Current, loggers, publicUrl, notifications);
        using var stopping = new CancellationTokenSource();
        Task? relayRun = null;
        Task? jobsRun = null;
        Task? trimRun = null;
        var enabled = new Dictionary<string, int>
        {
            ["http"] = listeners.Http,
            ["https"] = listeners.Https,
        }.Where(kv => kv.Value > 0).ToDictionary();
        // Kestrel accepts on the first endpoint before it has bound the next; healthy means every listener is up (docs/cli.md).
        // The mail listeners start before the web, so "started" covers them too.
        app.MapGet("/healthz", () => app.Lifetime.ApplicationStarted.IsCancellationRequested
            ? Results.Json(new { status = "ok", tenant = tenant.PrimaryDomain.Name, listeners = enabled })
            : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable));

        try
        {
            if (smtp is not null)
            {
                await smtp.StartAsync(ct);
                foreach (var e in smtp.EndPoints) enabled[e.Kind.ToString().ToLowerInvariant()] = e.EndPoint.Port;
            }
            if (imap is not null)
            {
                await imap.StartAsync(ct);
                foreach (var e in imap.EndPoints) enabled[e.Kind.ToString().ToLowerInvariant()] = e.EndPoint.Port;
            }
            await app.StartAsync(ct);
            relayRun = Task.Run(() => relay.RunAsync(stopping.Token), CancellationToken.None);
            var jobs = Jobs.ServeJobs.Create(ctx, loggers.CreateLogger("GovMail.Jobs"), notifications);
            jobsRun = Task.Run(() => jobs.RunAsync(stopping.Token), CancellationToken.None);
            if (options.IdleMemoryTrim)
                trimRun = Task.Run(() => new IdleMemoryTrim(ctx.Clock, loggers.CreateLogger("GovMail.Memory")).RunAsync(stopping.Token), CancellationToken.None);
        }
        catch (IOException e) when (e.InnerException is SocketException or null || e is IOException)
        {
            throw new CliException(Problem.Of("CannotListen", e.InnerException?.Message ?? e.Message));
        }
        catch (SocketException e)
        {
            throw new CliException(Problem.Of("CannotListen", e.Message));
        }
        log.LogInformation("GovMail serving {Domain} from {Data} on {Bind} ({Listeners}); database {Provider}; TLS certificate {Thumbprint}{Created}",
            tenant.PrimaryDomain.Name, options.DataDirectory, bind, string.Join(", ", enabled.Select(kv => $"{kv.Key}:{kv.Value}")),
            ctx.Database.Settings.Provider, certificate.Thumbprint, certificates.Created ? " (self-signed, created now)" : "");

        try
        {
            await app.WaitForShutdownAsync(ct);
        }
        finally
        {
            log.LogInformation("GovMail stopping");
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await stopping.CancelAsync();
            if (relayRun is not null)
            {
                try { await relayRun.WaitAsync(stop.Token); }
                catch (OperationCanceledException) { }
            }
            if (jobsRun is not null)
            {
                try { await jobsRun.WaitAsync(stop.Token); }
                catch (OperationCanceledException) { }
            }
            if (trimRun is not null)
            {
                try { await trimRun.WaitAsync(stop.Token); }
                catch (OperationCanceledException) { }
            }
            if (imap is not null)
            {
                await imap.StopAsync(stop.Token);
                await imap.DisposeAsync();
            }
            if (smtp is not null)
            {
                await smtp.StopAsync(stop.Token);
                await smtp.DisposeAsync();
            }
            await app.StopAsync(stop.Token);
            await app.DisposeAsync();
        }
        return 0;
    }

    private static IPAddress ParseBind(string text) =>
        IPAddress.TryParse(text.Trim(), out var ip) ? ip : throw new CliException(Problem.Of("InvalidBindAddress", text), 2);
}
