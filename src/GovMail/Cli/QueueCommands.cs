using System.CommandLine;
using GovMail.Core;
using GovMail.Core.Mail;
using GovMail.Storage.Blobs;
using GovMail.Storage.Mail;

namespace GovMail.Cli;

/// <summary><c>govmail queue list|show|retry|drop</c>: the outbound queue (hàng đợi gửi đi) of mail for other domains.</summary>
public static class QueueCommands
{
    /// <summary>Ids are shown this long in tables; any unambiguous prefix of at least 4 characters is accepted back.</summary>
    private const int ShortId = 12;

    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var queue = new Command("queue", "The outbound queue / Hàng đợi thư gửi đi");

        var all = new Option<bool>("--all") { Description = "Also messages already delivered, failed or dropped / Cả thư đã gửi xong, thất bại hoặc đã hủy" };
        var list = new Command("list", "Messages waiting to leave / Thư đang chờ gửi") { all };
        list.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var messages = (await new OutboundQueue(ctx.Database, ctx.Clock).ListAsync(ct))
                .Where(m => pr.GetValue(all) || m.State == OutboundState.Queued).ToList();
            if (ctx.Output.Json)
            {
                ctx.Output.WriteJson(messages.Select(Json).ToList());
                return 0;
            }
            if (messages.Count == 0)
            {
                ctx.Output.Line(Messages.Get("QueueEmpty"));
                return 0;
            }
            ctx.Output.Table(
                [Messages.Get("QueueColumnId"), Messages.Get("QueueColumnQueuedAt"), Messages.Get("QueueColumnSender"), Messages.Get("QueueColumnRecipients"),
                 Messages.Get("QueueColumnAttempts"), Messages.Get("QueueColumnNextAttempt"), Messages.Get("ColumnState")],
                messages.Select(m => (IReadOnlyList<string?>)
                [
                    m.Id.ToString("N")[..ShortId],
                    Messages.Format("DateTime", null, [m.CreatedAt]),
                    Sender(m),
                    Recipients(m),
                    m.Attempts.ToString(Messages.UserCulture),
                    m.State == OutboundState.Queued ? Messages.Format("DateTime", null, [m.NextAttemptAt]) : "—",
                    StateLabel(m.State),
                ]));
            return 0;
        });
        queue.Subcommands.Add(list);

        var showId = new Argument<string>("ID") { Description = "Message id (or its first characters) / Mã thư" };
        var show = new Command("show", "One queued message and its recipients / Chi tiết một thư trong hàng đợi") { showId };
        show.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var m = (await new OutboundQueue(ctx.Database, ctx.Clock).FindAsync(pr.GetValue(showId)!, ct)).OrFail();
            if (ctx.Output.Json)
            {
                ctx.Output.WriteJson(Json(m));
                return 0;
            }
            void Field(string code, object? value) => ctx.Output.Line($"{Messages.Get(code),-22} {value}");
            Field("QueueColumnId", m.Id.ToString("N"));
            Field("ColumnState", StateLabel(m.State));
            Field("QueueColumnSender", Sender(m));
            Field("QueueColumnSize", m.Size.ToString("N0", Messages.UserCulture) + " B");
            Field("QueueColumnQueuedAt", Messages.Format("DateTime", null, [m.CreatedAt]));
            Field("QueueColumnAttempts", m.Attempts);
            if (m.State == OutboundState.Queued) Field("QueueColumnNextAttempt", Messages.Format("DateTime", null, [m.NextAttemptAt]));
            if (m.DelayNotifiedAt is { } notified) Field("QueueColumnDelayNotified", Messages.Format("DateTime", null, [notified]));
            if (m.LastError is { } error) Field("QueueColumnLastReply", error);
            ctx.Output.Line();
            ctx.Output.Table([Messages.Get("QueueColumnRecipient"), Messages.Get("ColumnState"), Messages.Get("QueueColumnLastReply")],
                m.Recipients.OrderBy(r => r.Id).Select(r => (IReadOnlyList<string?>)[r.Address, StateLabel(r.State), r.LastReply ?? "—"]));
            return 0;
        });
        queue.Subcommands.Add(show);

        var retryId = new Argument<string>("ID") { Description = "Message id (or its first characters) / Mã thư" };
        var retry = new Command("retry", "Try a waiting message again now / Gửi lại ngay một thư đang chờ") { retryId };
        retry.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var m = (await new OutboundQueue(ctx.Database, ctx.Clock).RetryAsync(pr.GetValue(retryId)!, ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { id = m.Id.ToString("N"), state = m.State, nextAttemptAt = m.NextAttemptAt });
            else ctx.Output.Line(Messages.Format("QueueRetried", null, [m.Id.ToString("N")[..ShortId]]));
            return 0;
        });
        queue.Subcommands.Add(retry);

        var dropId = new Argument<string>("ID") { Description = "Message id (or its first characters) / Mã thư" };
        var drop = new Command("drop", "Give up a waiting message without telling the sender / Hủy một thư đang chờ, không báo người gửi") { dropId };
        drop.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ManagePolicy, null, ct);
            var outbound = new OutboundQueue(ctx.Database, ctx.Clock);
            var m = (await outbound.DropAsync(pr.GetValue(dropId)!, ctx.Actor, ct)).OrFail();
            var blobs = ctx.Blobs;
            if (!await outbound.IsBlobInUseAsync(m.BlobKey, m.Id, ct) && await blobs.ExistsAsync(m.BlobKey, ct)) await blobs.DeleteAsync(m.BlobKey, ct);
            var dropped = m.Recipients.Count(r => r.State == OutboundState.Dropped);
            if (ctx.Output.Json) ctx.Output.WriteJson(new { id = m.Id.ToString("N"), state = m.State, droppedRecipients = dropped });
            else ctx.Output.Line(Messages.Format("QueueDropped", null, [m.Id.ToString("N")[..ShortId], dropped]));
            return 0;
        });
        queue.Subcommands.Add(drop);
        return queue;
    }

    private static object Json(OutboundMessage m) => new
    {
        id = m.Id.ToString("N"),
        state = m.State,
        mailFrom = m.MailFrom,
        size = m.Size,
        createdAt = m.CreatedAt,
        nextAttemptAt = m.NextAttemptAt,
        attempts = m.Attempts,
        lastError = m.LastError,
        dsnReturn = m.DsnReturn,
        envelopeId = m.DsnEnvelopeId,
        delayNotifiedAt = m.DelayNotifiedAt,
        recipients = m.Recipients.OrderBy(r => r.Id).Select(r => new { address = r.Address, state = r.State, lastReply = r.LastReply, notify = r.DsnNotify }).ToList(),
    };

    private static string Sender(OutboundMessage m) => m.MailFrom.Length == 0 ? "<>" : m.MailFrom;

    /// <summary>"2/3": recipients still waiting out of all, or the one address when there is just one.</summary>
    private static string Recipients(OutboundMessage m) => m.Recipients.Count == 1
        ? m.Recipients[0].Address
        : $"{m.Recipients.Count(r => r.State == OutboundState.Queued)}/{m.Recipients.Count}";

    private static string StateLabel(OutboundState state) => Messages.Get("OutboundState" + state);
}
