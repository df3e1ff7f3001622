using System.CommandLine;
using GovMail.Hosting;

namespace GovMail.Cli;

/// <summary><c>govmail serve [--demo] [--bind ADDRESS] [--smtp N] … [--https N]</c>: the one process that serves everything.</summary>
public static class ServeCommand
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var demo = new Option<bool>("--demo") { Description = "Seed the demo tenant (tphcm.gov.vn) into an empty data folder / Nạp dữ liệu mẫu" };
        var bind = new Option<string?>("--bind") { Description = "Address to listen on (default: all) / Địa chỉ lắng nghe" };
        var domain = new Option<string?>("--domain") { Description = "Mail domain for the tenant created on first start / Tên miền khi khởi tạo" };
        var ports = new (string Name, string Key, string Text)[]
        {
            ("--smtp", "Smtp", "SMTP MX port (25) / Cổng SMTP nhận thư"),
            ("--submission", "Submission", "SMTP submission port (587) / Cổng gửi thư"),
            ("--submissions", "Submissions", "SMTP implicit TLS port (465) / Cổng gửi thư TLS"),
            ("--imap", "Imap", "IMAP port (143) / Cổng IMAP"),
            ("--imaps", "Imaps", "IMAP implicit TLS port (993) / Cổng IMAP TLS"),
            ("--http", "Http", "HTTP port (80) / Cổng HTTP"),
            ("--https", "Https", "HTTPS port (443) / Cổng HTTPS"),
        };
        var portOptions = ports.Select(p => (Option: new Option<int?>(p.Name)
        {
            Description = p.Text + "; 0 = off / 0 = tắt",
            CustomParser = r => ParsePort(r, p.Name),
        }, p.Key)).ToList();
        var cmd = new Command("serve", "Run the mail server / Chạy máy chủ thư") { demo, bind, domain };
        foreach (var (o, _) in portOptions) cmd.Options.Add(o);
        cmd.SetAction(async (pr, ct) =>
        {
            var overrides = new Dictionary<string, string?> { ["Listeners:Bind"] = pr.GetValue(bind), ["Tenant:Domain"] = pr.GetValue(domain) };
            foreach (var (o, key) in portOptions)
                if (pr.GetValue(o) is { } port)
                {
                    if (port is < 0 or > 65535) throw new CliException(Core.Problem.Of("InvalidPort", o.Name, port), 2);
                    overrides["Listeners:" + key] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            var ctx = context(pr, overrides);
            return await ServeHost.RunAsync(ctx, pr.GetValue(demo), ct);
        });
        return cmd;
    }

    /// <summary>A port, or the plain-words refusal; the parser's own message would name the .NET type (<c>System.Nullable`1[System.Int32]</c>).</summary>
    private static int? ParsePort(System.CommandLine.Parsing.ArgumentResult result, string option)
    {
        if (result.Tokens.Count == 0) return null;
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535)
            return port;
        result.AddError(Core.Messages.Format("InvalidPort", null, [option, text]));
        return null;
    }
}
