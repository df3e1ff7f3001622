using System.CommandLine;
using GovMail.Core;
using GovMail.Operations;

namespace GovMail.Cli;

/// <summary><c>govmail backup -o DIR_OR_ARCHIVE</c> and <c>govmail restore SOURCE</c> (docs/cli.md, Operations).</summary>
public static class BackupCommands
{
    public static IEnumerable<Command> Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var output = new Option<string>("-o", "--output")
        {
            Description = "Backup folder (incremental when reused) or .tar.gz archive / Thư mục sao lưu hoặc tệp .tar.gz",
            Required = true,
        };
        var backup = new Command("backup", "A consistent online backup of the data folder (database and mail) while the server runs / Sao lưu trực tuyến") { output };
        backup.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var job = new DataBackup(ctx.Options.DataDirectory, ctx.Database, ctx.Blobs);
            var manifest = await CliProgress.RunAsync(ctx.Output, progress => job.BackupAsync(pr.GetValue(output)!, progress, ctx.Clock, ct));
            if (ctx.Output.Json) ctx.Output.WriteJson(manifest);
            else
            {
                ctx.Output.Line(Messages.Format("BackupDone", null, [Path.GetFullPath(pr.GetValue(output)!), manifest.Blobs, manifest.BlobBytes / 1024.0 / 1024.0, manifest.BlobsCopied]));
                if (manifest.DroppedMessages > 0) ctx.Output.Line(Messages.Format("BackupDroppedDuring", null, [manifest.DroppedMessages]));
            }
            return 0;
        });

        var source = new Argument<string>("SOURCE") { Description = "A backup folder or archive / Bản sao lưu" };
        var restore = new Command("restore", "Rebuild the data folder named by --data (empty or absent) from a backup / Khôi phục từ bản sao lưu") { source };
        restore.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            var job = new DataBackup(ctx.Options.DataDirectory, ctx.Database);
            // The bodies go where the restored configuration (govmail.json of the backup, then the environment) says.
            var (manifest, messages) = await CliProgress.RunAsync(ctx.Output, progress => job.RestoreAsync(pr.GetValue(source)!, () => context(pr, null).Blobs, progress, ct));
            if (ctx.Output.Json) ctx.Output.WriteJson(new { manifest.CreatedAt, messages, blobs = manifest.Blobs, dataDirectory = ctx.Options.DataDirectory });
            else ctx.Output.Line(Messages.Format("RestoreDone", null, [ctx.Options.DataDirectory, messages, Messages.Format("DateTime", null, [manifest.CreatedAt])]));
            return 0;
        });
        return [backup, restore];
    }
}
