using System.CommandLine;
using GovMail.Core;
using GovMail.Core.Audit;
using GovMail.Core.Security;
using GovMail.Migration;
using GovMail.Storage.Audit;
using GovMail.Storage.Mail;

namespace GovMail.Cli;

/// <summary>
/// <c>govmail mailbox export|import</c>: one account's mail out to a file (mbox, or a zip of mbox or <c>.eml</c> files) and back
/// in, byte for byte with flags, keywords and internal dates (<c>account export</c> is the staff list, not the mail).
/// </summary>
public static class MailboxCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var mailbox = new Command("mailbox", "One account's mail as files: export and import / Xuất, nhập thư của một hộp thư");
        mailbox.Subcommands.Add(Export(context));
        mailbox.Subcommands.Add(Import(context));
        return mailbox;
    }

    private static Command Export(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "The mailbox / Hộp thư" };
        var output = new Option<string>("-o", "--output") { Description = "FILE.mbox (one folder) or FILE.zip / Tệp kết quả", Required = true };
        var folder = new Option<string?>("--folder") { Description = "Only this folder (default: every folder) / Chỉ thư mục này" };
        var format = new Option<string?>("--format") { Description = "For a .zip: eml (default, a folder.json per folder) or mbox / Định dạng trong tệp zip" };
        var cmd = new Command("export", "Export every folder (or one) of a mailbox as mbox or .eml files / Xuất thư của hộp thư") { address, output, folder, format };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var who = pr.GetValue(address)!.Trim().ToLowerInvariant();
            await ctx.RequireAccountAsync(Permission.ManageAccounts, who, ct);
            var account = (await ctx.Accounts.FindAsync(who, ct)).OrFail().Account;
            var path = Path.GetFullPath(pr.GetValue(output)!);
            var kind = Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".mbox" when pr.GetValue(format) is null or "mbox" => MailboxExportFormat.Mbox,
                ".zip" => (pr.GetValue(format)?.ToLowerInvariant() ?? "eml") switch
                {
                    "eml" => MailboxExportFormat.EmlZip,
                    "mbox" => MailboxExportFormat.MboxZip,
                    var other => throw new CliException(Problem.Of("UnknownFormat", other), 2),
                },
                _ => throw new CliException(Problem.Of("MailboxExportBadFile", path), 2),
            };
            if (!Directory.Exists(Path.GetDirectoryName(path))) throw new CliException(Problem.Of("FileNotFound", Path.GetDirectoryName(path)));
            var mailboxes = await new MailboxQueries(ctx.Database).ListAsync(account.Id, ct);
            if (pr.GetValue(folder) is { } only)
                mailboxes = mailboxes.Where(m => m.Name == only || (m.Role == Core.Mail.MailboxRole.Inbox && string.Equals(only, "INBOX", StringComparison.OrdinalIgnoreCase))).ToList()
                    is [var one] ? [one] : throw new CliException(Problem.Of("MailboxExportNoFolder", who, only));
            else if (kind == MailboxExportFormat.Mbox) throw new CliException(Problem.Of("MailboxExportMboxOneFolder"), 2);

            var summary = await CliProgress.RunAsync(ctx.Output, progress =>
                new MailboxExport(ctx.Database, ctx.Blobs).ExportAsync(mailboxes, path, kind, progress, ct));
            await AuditAsync(ctx, "mailbox.export", who, $"{summary.Messages} messages, {summary.Folders} folders → {path}", ct);
            if (ctx.Output.Json)
                ctx.Output.WriteJson(new { address = who, file = path, format = kind, summary.Folders, summary.Messages, summary.Bytes });
            else ctx.Output.Line(Messages.Format("MailboxExportDone", null, [who, summary.Messages, summary.Folders, path]));
            return 0;
        });
        return cmd;
    }

    private static Command Import(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "The mailbox that receives the mail / Hộp thư nhận" };
        var file = new Argument<string>("FILE") { Description = "A .mbox file or a .zip that mailbox export wrote / Tệp .mbox hoặc .zip" };
        var folder = new Option<string?>("--folder") { Description = "For an .mbox: the folder to file it in (default INBOX) / Thư mục nhận" };
        var cmd = new Command("import", "Import an mbox file or an export zip into a mailbox; a rerun copies only what is new / Nhập thư vào hộp thư") { address, file, folder };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var who = pr.GetValue(address)!.Trim().ToLowerInvariant();
            await ctx.RequireAccountAsync(Permission.ManageAccounts, who, ct);
            var path = Path.GetFullPath(pr.GetValue(file)!);
            if (!File.Exists(path)) throw new CliException(Problem.Of("FileNotFound", path));
            using var archive = path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? FileMailImport.Zip(path) : null;
            var target = pr.GetValue(folder) ?? "INBOX";
            IReadOnlyList<FileFolder> folders = archive?.Folders ?? [FileMailImport.Mbox(path, target)];
            var import = new FileMailImport(new MailImport(ctx.Database, ctx.Blobs, ctx.Clock), ctx.Accounts);
            var result = await CliProgress.RunAsync(ctx.Output, progress => import.ImportAsync(who, "mailbox-import:" + path, folders, progress, ct));
            if (result.Copied > 0 || result.Error is not null)
                await AuditAsync(ctx, "mailbox.import", who, $"{result.Copied} messages, {result.Folders} folders ← {path}", ct);
            MigrateCommands.Report(ctx, [result], false);
            return result.Error is null ? 0 : 1;
        });
        return cmd;
    }

    private static Task AuditAsync(CliContext ctx, string action, string address, string detail, CancellationToken ct) =>
        new AuditLog(ctx.Database).AppendAsync(new AuditEntry { At = ctx.Clock.GetUtcNow(), Actor = ctx.Actor, Action = action, Target = address, Detail = detail }, ct);
}
