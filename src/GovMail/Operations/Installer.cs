using System.Diagnostics;
using System.Text;

namespace GovMail.Operations;

/// <summary>What <c>govmail install</c> sets up: the paths it writes (under <see cref="Root"/>, "/" on a real machine).</summary>
public sealed record InstallPlan(string Root, string DataDirectory, string User, string HostName, string UnitDirectory)
{
    /// <summary>A path of the installed system as written under <see cref="Root"/>.</summary>
    public string Staged(string path) => Root == "/" ? path : Path.Combine(Root, path.TrimStart('/'));

    public string UnitFile => Path.Combine(UnitDirectory, "govmail.service");
    public string ConfigFile => Path.Combine(DataDirectory, "govmail.json");
}

/// <summary>What was done, and what is left to the operator (commands to run when not root, or when staged).</summary>
public sealed record InstallResult(IReadOnlyList<string> Written, IReadOnlyList<string> Kept, IReadOnlyList<string> ToRun);

/// <summary>
/// <c>govmail install</c>: a systemd unit that runs <c>govmail serve</c> as a dedicated system user with the least it needs
/// (ports below 1024 through CAP_NET_BIND_SERVICE, a read-only system, write access to the data folder only), and a
/// configuration file with every setting explained. An existing configuration is kept, never overwritten.
/// </summary>
public static class Installer
{
    public static InstallResult Install(InstallPlan plan)
    {
        var written = new List<string>();
        var kept = new List<string>();
        var toRun = new List<string>();
        Directory.CreateDirectory(plan.Staged(plan.DataDirectory));

        var config = plan.Staged(plan.ConfigFile);
        if (File.Exists(config)) kept.Add(config);
        else
        {
            File.WriteAllText(config, ConfigText(plan), new UTF8Encoding(false));
            written.Add(config);
        }

        var unit = plan.Staged(plan.UnitFile);
        Directory.CreateDirectory(Path.GetDirectoryName(unit)!);
        File.WriteAllText(unit, UnitText(plan), new UTF8Encoding(false));
        written.Add(unit);

        var live = plan.Root == "/" && Environment.UserName == "root";
        var userCommand = $"id -u {plan.User} >/dev/null 2>&1 || useradd --system --home-dir {plan.DataDirectory} --no-create-home --shell /usr/sbin/nologin {plan.User}";
        var ownCommand = $"chown -R {plan.User}:{plan.User} {plan.DataDirectory}";
        if (live && Run("sh", "-c", userCommand) && Run("sh", "-c", ownCommand)) { }
        else
        {
            toRun.Add(userCommand);
            toRun.Add(ownCommand);
        }
        toRun.Add("systemctl daemon-reload");
        toRun.Add("systemctl enable --now govmail");
        return new InstallResult(written, kept, toRun);
    }

    /// <summary>How this very program is started again: <c>dotnet …/govmail.dll</c>, or the apphost itself.</summary>
    public static string ProgramCommand()
    {
        var process = Environment.ProcessPath ?? "/usr/bin/dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? $"{process} {Path.Combine(AppContext.BaseDirectory, "govmail.dll")}"
            : process;
    }

    public static string UnitText(InstallPlan plan) => $"""
        # GovMail — hệ thống thư điện tử công vụ. Written by `govmail install`; edit the settings in {plan.ConfigFile}.
        [Unit]
        Description=GovMail official mail server (SMTP, IMAP, web)
        Documentation=https://{plan.HostName}/
        After=network-online.target postgresql.service
        Wants=network-online.target

        [Service]
        Type=simple
        User={plan.User}
        Group={plan.User}
        ExecStart={ProgramCommand()} serve --data {plan.DataDirectory}
        WorkingDirectory={plan.DataDirectory}
        Environment=DOTNET_CLI_TELEMETRY_OPTOUT=1
        # SIGTERM: stop accepting, finish the transactions in flight, then exit (at most 15 s).
        KillSignal=SIGTERM
        TimeoutStopSec=30
        Restart=on-failure
        RestartSec=5
        # Ports 25, 143, 443, 465, 587, 993 without running as root.
        AmbientCapabilities=CAP_NET_BIND_SERVICE
        CapabilityBoundingSet=CAP_NET_BIND_SERVICE
        NoNewPrivileges=true
        ProtectSystem=strict
        ProtectHome=true
        PrivateTmp=true
        PrivateDevices=true
        ProtectKernelTunables=true
        ProtectControlGroups=true
        ReadWritePaths={plan.DataDirectory}
        # Every phone in IDLE holds a connection.
        LimitNOFILE=1048576

        [Install]
        WantedBy=multi-user.target

        """;

    public static string ConfigText(InstallPlan plan) => $$"""
        // GovMail settings (govmail.json in the data folder). Environment variables GOVMAIL__SECTION__NAME and the command
        // line override them; a setting left out keeps its default. Comments are allowed. Restart after a change:
        //   systemctl restart govmail
        {
          // The name this server gives itself (SMTP greeting, Received: lines) and the address users open in a browser.
          "HostName": "{{plan.HostName}}",
          "PublicUrl": "https://{{plan.HostName}}/",

          // Metadata: SQLite in this folder (default, one server) or PostgreSQL (several nodes):
          //   "Database": { "Provider": "postgres", "ConnectionString": "Host=db;Database=govmail;Username=govmail;Password=…" },
          "Database": { "Provider": "sqlite" },

          // Ports; 0 turns a listener off. Bind: one address, or empty for every address.
          "Listeners": {
            "Bind": "",
            "Smtp": 25,           // MX: mail from the Internet for this city's domains
            "Submission": 587,    // mail clients sending (STARTTLS + login)
            "Submissions": 465,   // mail clients sending (TLS from the start)
            "Imap": 143,          // mail clients reading (STARTTLS)
            "Imaps": 993,         // mail clients reading (TLS from the start)
            "Http": 80,           // webmail (redirects to HTTPS) and /healthz
            "Https": 443          // webmail, self-service, administration
          },

          "Smtp": {
            "MaxMessageMegabytes": 50,   // largest message accepted
            "MaxRecipients": 100,        // recipients of one message
            "MaxConnectionsPerIp": 20,
            "InboundChecks": true        // SPF, DKIM and DMARC on mail from the Internet
          },

          // Mail to other domains goes to each domain's MX. A transport map sends some (or "*": all) through a relay:
          //   "Transports": { "*": "relay.example.vn:25" }
          "Outbound": { "MaxQueueTime": "5.00:00:00", "DelayNoticeAfter": "04:00:00" }
        }

        """;

    private static bool Run(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
