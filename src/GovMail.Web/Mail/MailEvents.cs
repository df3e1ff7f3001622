using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using GovMail.Storage.Mail;
using GovMail.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace GovMail.Web.Mail;

/// <summary>
/// New mail without reloading (thư mới không cần tải lại): a Server-Sent Events stream that subscribes to the notification
/// bus for every folder of the signed-in account. Whatever changes a folder (delivery, IMAP, another web page) sends one
/// small event naming the folders that changed and the unread counts of all of them; the page then updates its counts and
/// reloads the list it shows. The bus crosses nodes when it is the PostgreSQL one, so does this. The stream ends after
/// <see cref="MaxLifetime"/> (the browser reconnects, checking the session again) and does not prolong the session.
/// </summary>
public static class MailEvents
{
    public const string Path = "/thu/su-kien";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(25);

    public static void Map(IEndpointRouteBuilder e) => e.MapGet(Path, StreamAsync).RequireAuthorization(WebSessions.MailPolicy);

    private static async Task StreamAsync(HttpContext http, MessageReading reading, MailboxQueries queries, MailboxNotifications bus,
        IHostApplicationLifetime host)
    {
        if (WebUser.MailboxFrom(http.User) is not { } user)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var ct = http.RequestAborted;
        var changes = Channel.CreateBounded<MailboxChange>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        var listener = new Listener(changes.Writer);
        var subscriptions = (await reading.MailboxesAsync(user, ct)).Select(m => bus.Subscribe(m.Id, listener)).ToList();
        try
        {
            http.Response.ContentType = "text/event-stream; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            await WriteAsync(http, "retry: 3000\n: ok\n\n", ct);
            // The server stopping ends the stream at once (an open stream would otherwise hold the shutdown until its timeout).
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(ct, host.ApplicationStopping);
            lifetime.CancelAfter(MaxLifetime);
            while (!lifetime.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
                wait.CancelAfter(Heartbeat);
                bool ready;
                try { ready = await changes.Reader.WaitToReadAsync(wait.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // The stream's time is up or the server stops: end it (the browser reconnects); otherwise a heartbeat.
                    if (lifetime.IsCancellationRequested) break;
                    await WriteAsync(http, ": heartbeat\n\n", ct);
                    continue;
                }
                if (!ready) break;
                var changed = new Dictionary<long, string>();
                while (changes.Reader.TryRead(out var change)) changed[change.MailboxId] = change.Kind.ToString();
                var unread = await queries.UnseenCountsAsync(user.AccountId, ct);
                var data = JsonSerializer.Serialize(new
                {
                    changed = changed.Select(c => new { mailbox = c.Key, kind = c.Value }),
                    unread = unread.ToDictionary(u => u.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), u => u.Value),
                });
                await WriteAsync(http, $"event: mailbox\ndata: {data}\n\n", ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away.
        }
        finally
        {
            foreach (var s in subscriptions) s.Dispose();
        }
    }

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken ct)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await http.Response.Body.FlushAsync(ct);
    }

    /// <summary>Takes note of a change on the publisher's thread and returns at once.</summary>
    private sealed class Listener(ChannelWriter<MailboxChange> writer) : IMailboxListener
    {
        public void OnMailboxChanged(in MailboxChange change) => writer.TryWrite(change);
    }
}
