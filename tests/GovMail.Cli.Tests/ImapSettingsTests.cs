using System.Net;
using GovMail.Cli;
using GovMail.Configuration;
using GovMail.Core;
using GovMail.Imap;

namespace GovMail.Cli.Tests;

/// <summary>The <c>Imap</c> configuration section: bound like <c>Smtp</c>, mapped onto the IMAP server, refused in one sentence when unusable.</summary>
public sealed class ImapSettingsTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("govmail-imap-settings-").FullName;

    private static readonly List<ImapListenerOptions> Listeners = [new(new IPEndPoint(IPAddress.Loopback, 143), ImapListenerKind.Imap)];

    private CliContext Context(Dictionary<string, string?> settings) =>
        CliContext.Create(_data, settings, new CliOutput(TextWriter.Null, TextWriter.Null, json: false));

    [Fact]
    public void The_imap_section_sets_the_server_limits()
    {
        var ctx = Context(new()
        {
            ["Imap:IdleTimeoutMinutes"] = "45",
            ["Imap:MaxConnectionsPerIp"] = "50",
            ["Imap:LoginTimeoutSeconds"] = "20",
            ["Imap:MaxLiteralKilobytes"] = "16",
            ["Imap:AppendLimitMegabytes"] = "20",
            ["Imap:NonSynchronizingLiterals"] = "LiteralMinus",
            ["Imap:ExpungeLogLimit"] = "500",
        });
        var options = ctx.Options.Imap.ToServerOptions(Listeners, "https://mail.tphcm.gov.vn/", ctx.Options.Smtp.MaxMessageMegabytes);
        Assert.Equal(TimeSpan.FromMinutes(45), options.IdleTimeout);
        Assert.Equal(50, options.MaxConnectionsPerIp);
        Assert.Equal(TimeSpan.FromSeconds(20), options.LoginTimeout);
        Assert.Equal(16 * 1024, options.MaxLiteralSize);
        Assert.Equal(20L * 1024 * 1024, options.MaxMessageSize);
        Assert.Equal(NonSynchronizingLiterals.LiteralMinus, options.NonSynchronizingLiterals);
        Assert.Equal(500, options.ExpungeLogLimit);
        Assert.Equal("https://mail.tphcm.gov.vn/", options.PasswordChangeUrl);
    }

    [Fact]
    public void Without_settings_the_server_defaults_hold_and_append_takes_what_smtp_takes()
    {
        var ctx = Context([]);
        var options = ctx.Options.Imap.ToServerOptions(Listeners, "https://localhost/", ctx.Options.Smtp.MaxMessageMegabytes);
        var defaults = new ImapServerOptions();
        Assert.Equal(defaults.IdleTimeout, options.IdleTimeout);
        Assert.Equal(defaults.MaxConnections, options.MaxConnections);
        Assert.Equal(defaults.MaxCommandSize, options.MaxCommandSize);
        Assert.Equal(defaults.CommandTimeout, options.CommandTimeout);
        Assert.Equal(NonSynchronizingLiterals.LiteralPlus, options.NonSynchronizingLiterals);
        Assert.Equal(ctx.Options.Smtp.MaxMessageMegabytes * 1024L * 1024, options.MaxMessageSize);
    }

    [Theory]
    [InlineData("Imap:IdleTimeoutMinutes", "5", "30 minutes")]
    [InlineData("Imap:MaxLiteralKilobytes", "128", "MaxLiteralSize")]
    [InlineData("Imap:ExpungeLogLimit", "10", "ExpungeLogLimit")]
    public void An_unusable_value_is_refused_with_a_plain_sentence(string key, string value, string says)
    {
        var ctx = Context(new() { [key] = value });
        var e = Assert.Throws<OptionsException>(() => ctx.Options.Imap.ToServerOptions(Listeners, "https://localhost/", 50));
        var vi = e.Problem.Message(Messages.Vietnamese);
        Assert.StartsWith("Cấu hình IMAP không dùng được: ", vi);
        Assert.Contains(says, vi);
        Assert.StartsWith("The IMAP settings cannot be used: ", e.Problem.Message(Messages.English));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
