using System.CommandLine;
using GovMail.Core;
using GovMail.Migration;
using GovMail.Storage.Blobs;
using GovMail.Storage.Mail;

namespace GovMail.Cli;

/// <summary>
/// <c>govmail migrate imap|mbox|maildir</c>: moves existing mailboxes into GovMail from the mail system an agency runs
/// today (Zimbra, Exchange, MDaemon, Dovecot… over IMAP) or from exported mbox files and Maildir folders.
/// </summary>
public static class MigrateCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var migrate = new Command("migrate", "Move mailboxes in from another mail system / Chuyển hộp thư từ hệ thống cũ sang");
        migrate.Subcommands.Add(Imap(context));
        migrate.Subcommands.Add(Files(context, "maildir", "DIR",
            "Import a Maildir (Maildir++) folder tree: the root is INBOX, .Name folders below / Nhập thư từ thư mục Maildir",
            (path, _) => Directory.Exists(path) ? FileMailImport.Maildir(path) : throw new CliException(Problem.Of("FileNotFound", path))));
        var folder = new Option<string>("--folder") { Description = "GovMail folder to file the messages in (default INBOX) / Thư mục nhận", DefaultValueFactory = _ => "INBOX" };
        migrate.Subcommands.Add(Files(context, "mbox", "FILE",
            "Import an mbox file into one folder / Nhập thư từ tệp mbox",
            (path, pr) => File.Exists(path) ? [FileMailImport.Mbox(path, pr.GetValue(folder)!)] : throw new CliException(Problem.Of("FileNotFound", path)),
            folder));
        return migrate;
    }

    /// <summary><c>migrate maildir|mbox PATH --account ADDRESS</c>: an export on disk into one account.</summary>
    private static Command Files(Func<ParseResult, IDictionary<string, string?>?, CliContext> context, string name, string pathName, string description,
        Func<string, ParseResult, IReadOnlyList<FileFolder>> folders, params Option[] more)
    {
        var path = new Argument<string>(pathName) { Description = "Where the export is / Đường dẫn" };
        var account = new Option<string>("--account") { Description = "The GovMail mailbox that receives the mail / Hộp thư nhận", Required = true };
        var cmd = new Command(name, description) { path, account };
        foreach (var option in more) cmd.Options.Add(option);
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var full = Path.GetFullPath(pr.GetValue(path)!);
            var found = folders(full, pr);
            var import = new FileMailImport(new MailImport(ctx.Database, ctx.Blobs, ctx.Clock), ctx.Accounts);
            var result = await CliProgress.RunAsync(ctx.Output, progress => import.ImportAsync(pr.GetValue(account)!, $"{name}:{full}", found, progress, ct));
            Report(ctx, [result], false);
            return result.Error is null ? 0 : 1;
        });
        return cmd;
    }

    private static Command Imap(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var from = new Option<string>("--from")
        {
            Description = "The old server, imaps://host[:993] or imap://host[:143] / Máy chủ cũ",
            Required = true,
        };
        var accountsFile = new Option<string>("--accounts")
        {
            Description = "Accounts file: address[,remote login[,password]] a line / Tệp danh sách hộp thư cần chuyển",
            Required = true,
        };
        var masterUser = new Option<string?>("--master-user") { Description = "Log in to every account with this admin/master login (SASL PLAIN authorization) / Đăng nhập bằng tài khoản quản trị máy chủ cũ" };
        var masterPasswordFile = new Option<string?>("--master-password-file") { Description = "File whose first line is the master password / Tệp chứa mật khẩu quản trị" };
        var insecure = new Option<bool>("--insecure") { Description = "Accept the old server's certificate without checking it (self-signed) / Không kiểm tra chứng chỉ máy chủ cũ" };
        var limit = new Option<long?>("--limit") { Description = "Copy at most N messages in this run; the next run goes on / Chỉ chép tối đa N thư lần này" };
        var cmd = new Command("imap", "Copy folders, messages, flags and dates from an IMAP server; a second run copies only what is new / Sao chép thư từ máy chủ IMAP cũ")
        {
            from, accountsFile, masterUser, masterPasswordFile, insecure, limit,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var master = pr.GetValue(masterUser);
            string? masterPassword = null;
            if (master is not null)
            {
                var file = pr.GetValue(masterPasswordFile) ?? throw new CliException(Problem.Of("MigrateMasterPasswordMissing"), 2);
                if (!File.Exists(file)) throw new CliException(Problem.Of("FileNotFound", file));
                masterPassword = File.ReadLines(file).FirstOrDefault() ?? "";
            }
            if (pr.GetValue(limit) is < 1) throw new CliException(Problem.Of("MigrateBadLimit"), 2);
            var source = ImapSource.Parse(pr.GetValue(from)!, pr.GetValue(insecure), master, masterPassword).OrFail();
            var path = pr.GetValue(accountsFile)!;
            if (!File.Exists(path)) throw new CliException(Problem.Of("FileNotFound", path));
            var read = MigrationAccountsFile.Parse(File.ReadLines(path), master is not null);
            if (read.Problems.Count > 0)
            {
                foreach (var (line, problem) in read.Problems)
                    ctx.Output.Error.WriteLine(Messages.Format("MigrateBadLine", null, [line, problem.Message()]));
                throw new CliException(Problem.Of("MigrateAccountsFileRefused", path, read.Problems.Count));
            }

            var migration = new ImapMigration(new MailImport(ctx.Database, ctx.Blobs, ctx.Clock), ctx.Accounts)
            {
                Limit = pr.GetValue(limit),
            };
            var results = await CliProgress.RunAsync(ctx.Output, async progress =>
            {
                var done = new List<AccountMigrationResult>();
                foreach (var account in read.Accounts)
                {
                    if (migration.LimitReached) break;
                    done.Add(await migration.MigrateAsync(source, account, progress, ct));
                }
                return done;
            });
            Report(ctx, results, migration.LimitReached);
            return results.Any(r => r.Error is not null) ? 1 : 0;
        });
        return cmd;
    }

    internal static void Report(CliContext ctx, IReadOnlyList<AccountMigrationResult> results, bool limitReached)
    {
        var o = ctx.Output;
        if (o.Json)
        {
            o.WriteJson(new
            {
                limitReached,
                accounts = results.Select(r => new
                {
                    address = r.Address,
                    folders = r.Folders,
                    copied = r.Copied,
                    bytes = r.Bytes,
                    alreadyCopied = r.AlreadyThere,
                    warnings = r.Warnings,
                    error = r.Error is { } e ? new { code = e.Code, message = e.Message() } : null,
                }),
            });
            return;
        }
        o.Table(
            [Messages.Get("ColumnAddress"), Messages.Get("MigrateColumnFolders"), Messages.Get("MigrateColumnCopied"),
             Messages.Get("MigrateColumnAlready"), Messages.Get("MigrateColumnSize"), Messages.Get("MigrateColumnResult")],
            results.Select(r => (IReadOnlyList<string?>)
            [
                r.Address,
                r.Folders.ToString(Messages.UserCulture),
                r.Copied.ToString("N0", Messages.UserCulture),
                r.AlreadyThere.ToString("N0", Messages.UserCulture),
                (r.Bytes / 1024.0 / 1024.0).ToString("N1", Messages.UserCulture) + " MB",
                r.Error is { } e ? e.Message() : Messages.Get("MigrateResultOk"),
            ]));
        foreach (var r in results)
            foreach (var w in r.Warnings)
                o.Line($"{r.Address}: {w}");
        if (limitReached) o.Line(Messages.Get("MigrateLimitReached"));
    }
}
