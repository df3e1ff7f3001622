using System.CommandLine;
using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Storage.Directory;
using GovMail.Storage.Import;

namespace GovMail.Cli;

/// <summary><c>govmail account export [-o FILE] [--format csv|xlsx]</c>: the directory as a staff list that <c>import</c> reads back.</summary>
public static class ExportCommand
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var output = new Option<string?>("-o", "--output") { Description = "File to write (default: standard output, CSV) / Tệp kết quả" };
        var format = new Option<string?>("--format") { Description = "csv (default) or xlsx / Định dạng" };
        var unit = new Option<string?>("--unit") { Description = "Only this unit and below / Chỉ đơn vị này" };
        var cmd = new Command("export", "Export accounts as a staff list / Xuất danh sách tài khoản") { output, format, unit };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Core.Security.Permission.ReadDirectory, pr.GetValue(unit), ct);
            var rows = (await ctx.Accounts.ListAsync(new AccountFilter { UnitReference = pr.GetValue(unit) }, ct)).OrFail();
            var path = pr.GetValue(output);
            var fmt = (pr.GetValue(format) ?? (path?.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) == true ? "xlsx" : "csv")).ToLowerInvariant();
            var table = StaffListWriter.Rows(rows.Select(v => new StaffListWriter.Entry(
                v.Account.DisplayName, v.Account.Title, v.UnitPath == v.AgencyName ? null : v.UnitName, v.AgencyName,
                v.Account.Phone, v.Account.Address, v.Account.StaffNumber, Messages.Get("AccountKind" + v.Account.Kind), v.Account.IssuedOn)).ToList());
            switch (fmt)
            {
                case "csv" when path is null:
                    StaffListWriter.WriteCsv(ctx.Output.Out, table);
                    break;
                case "csv":
                    await using (var w = new StreamWriter(path, false, new System.Text.UTF8Encoding(true))) StaffListWriter.WriteCsv(w, table);
                    break;
                case "xlsx" when path is not null:
                    StaffListWriter.WriteXlsx(path, table);
                    break;
                case "xlsx":
                    throw new CliException(Problem.Of("XlsxNeedsFile"), 2);
                default:
                    throw new CliException(Problem.Of("UnknownFormat", fmt), 2);
            }
            if (path is not null) ctx.Output.Error.WriteLine(Messages.Format("ExportDone", null, [rows.Count, path]));
            return 0;
        });
        return cmd;
    }
}
