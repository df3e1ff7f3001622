using System.CommandLine;
using GovMail.Core;
using GovMail.Core.Accounts;
using GovMail.Core.Security;

namespace GovMail.Cli;

/// <summary><c>govmail admin grant|revoke|list|totp|token</c>: administrator roles scoped to a subtree of units, their second factor and API tokens.</summary>
public static class AdminCommands
{
    public static Command Build(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var admin = new Command("admin", "Administrators and their roles / Quản trị viên và vai trò");
        admin.Subcommands.Add(Grant(context, "grant", "Give a role over a unit and the units below it / Cấp vai trò quản trị"));
        admin.Subcommands.Add(Grant(context, "revoke", "Take a role back / Thu hồi vai trò quản trị"));
        admin.Subcommands.Add(List(context));
        admin.Subcommands.Add(Totp(context));
        admin.Subcommands.Add(Token(context));
        return admin;
    }

    /// <summary><c>govmail admin token create|revoke|list</c>: an administrator's bearer tokens for the JSON API.</summary>
    private static Command Token(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var token = new Command("token", "Bearer tokens for the JSON API / Mã truy cập API của quản trị viên");

        var address = new Argument<string>("ADDRESS") { Description = "The administrator's address / Địa chỉ của quản trị viên" };
        var name = new Option<string>("--name") { Description = "What the token is for / Tên gợi nhớ của mã", Required = true };
        var create = new Command("create", "Create a token and print it once / Tạo mã truy cập (chỉ in một lần)") { address, name };
        create.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await RequireSelfOrRolesAsync(ctx, pr.GetValue(address)!, ct);
            var made = (await ctx.Tokens.CreateAsync(pr.GetValue(address)!, pr.GetValue(name)!, ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) { ctx.Output.WriteJson(new { id = made.View.Id, address = made.View.Address, name = made.View.Name, token = made.Token }); return 0; }
            ctx.Output.Line(Messages.Format("TokenCreated", null, [made.View.Id, made.View.Address]));
            ctx.Output.Line(made.Token);
            return 0;
        });

        var revokeAddress = new Argument<string>("ADDRESS") { Description = "The administrator's address / Địa chỉ của quản trị viên" };
        var id = new Argument<long>("ID") { Description = "The token's number (admin token list) / Số của mã" };
        var revoke = new Command("revoke", "Revoke a token / Thu hồi mã truy cập") { revokeAddress, id };
        revoke.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await RequireSelfOrRolesAsync(ctx, pr.GetValue(revokeAddress)!, ct);
            var view = (await ctx.Tokens.RevokeAsync(pr.GetValue(revokeAddress)!, pr.GetValue(id), ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(TokenJson(view));
            else ctx.Output.Line(Messages.Format("TokenRevoked", null, [view.Id, view.Address]));
            return 0;
        });

        var listAddress = new Argument<string?>("ADDRESS") { Description = "Only this administrator's tokens / Chỉ mã của quản trị viên này", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "Tokens, never their text / Danh sách mã truy cập") { listAddress };
        list.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var who = pr.GetValue(listAddress);
            if (who is null) await ctx.RequireAsync(Permission.ManageRoles, null, ct);
            else await RequireSelfOrRolesAsync(ctx, who, ct);
            var tokens = await ctx.Tokens.ListAsync(who, ct);
            if (ctx.Output.Json) { ctx.Output.WriteJson(tokens.Select(TokenJson)); return 0; }
            ctx.Output.Table([Messages.Get("ColumnRow"), Messages.Get("ColumnAddress"), Messages.Get("ColumnTokenName"), Messages.Get("ColumnTokenPrefix"),
                    Messages.Get("ColumnState")],
                tokens.Select(t => (IReadOnlyList<string?>)[t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Address, t.Name, t.Prefix + "…",
                    Messages.Get(t.Active ? "TokenActive" : "TokenRevokedState")]));
            return 0;
        });

        token.Subcommands.Add(create);
        token.Subcommands.Add(revoke);
        token.Subcommands.Add(list);
        return token;
    }

    /// <summary>An administrator manages their own tokens; someone else's takes the right to manage roles.</summary>
    private static async Task RequireSelfOrRolesAsync(CliContext ctx, string address, CancellationToken ct)
    {
        if (ctx.AsAddress != address.Trim().ToLowerInvariant()) await ctx.RequireAsync(Permission.ManageRoles, null, ct);
    }

    private static object TokenJson(Storage.Security.AdminTokenView t) => new
    {
        id = t.Id, address = t.Address, name = t.Name, prefix = t.Prefix, createdBy = t.CreatedBy, createdAt = t.CreatedAt,
        lastUsedAt = t.LastUsedAt, revokedAt = t.RevokedAt, active = t.Active,
    };

    private static Command Totp(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var totp = new Command("totp", "Two-factor login for administrators / Xác thực hai lớp cho quản trị viên");
        var address = new Argument<string>("ADDRESS") { Description = "The administrator's address / Địa chỉ của quản trị viên" };
        var noQr = new Option<bool>("--no-qr") { Description = "Do not draw the QR code / Không in mã QR" };
        var enroll = new Command("enroll", "Create the TOTP key and print the otpauth:// URI and a QR code / Tạo khóa TOTP") { address, noQr };
        enroll.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            var tenant = await ctx.OpenTenantAsync(ct);
            var who = pr.GetValue(address)!;
            // An administrator enrols themself; enrolling someone else takes the right to manage roles.
            await RequireSelfOrRolesAsync(ctx, who, ct);
            var setup = (await ctx.AdminTotp.EnrollAsync(who, tenant.Name, ctx.Actor, ct)).OrFail();
            if (ctx.Output.Json) { ctx.Output.WriteJson(new { address = setup.Address, secret = setup.Secret, uri = setup.Uri }); return 0; }
            ctx.Output.Line(Messages.Format("TotpEnrolled", null, [setup.Address, setup.Secret]));
            ctx.Output.Line(setup.Uri);
            if (!pr.GetValue(noQr)) ctx.Output.Line(QrText(setup.Uri));
            return 0;
        });
        var code = new Argument<string>("CODE") { Description = "The 6-digit code / Mã 6 chữ số" };
        var verifyAddress = new Argument<string>("ADDRESS") { Description = "The administrator's address / Địa chỉ của quản trị viên" };
        var verify = new Command("verify", "Check a code (as the web sign-in does) / Kiểm tra một mã") { verifyAddress, code };
        verify.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var at = (await ctx.AdminTotp.VerifyAsync(pr.GetValue(verifyAddress)!, pr.GetValue(code)!, ct)).OrFail();
            if (ctx.Output.Json) ctx.Output.WriteJson(new { accepted = true, at });
            else ctx.Output.Line(Messages.Get("TotpAccepted"));
            return 0;
        });
        totp.Subcommands.Add(enroll);
        totp.Subcommands.Add(verify);
        return totp;
    }

    /// <summary>The URI as a QR code drawn with half-block characters, two modules per character row, for a terminal.</summary>
    private static string QrText(string uri)
    {
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCoder.QRCodeGenerator.ECCLevel.M);
        return new QRCoder.AsciiQRCode(data).GetGraphicSmall();
    }

    private static Command Grant(Func<ParseResult, IDictionary<string, string?>?, CliContext> context, string name, string description)
    {
        var address = new Argument<string>("ADDRESS") { Description = "The administrator's address / Địa chỉ của quản trị viên" };
        var role = new Option<string>("--role")
        {
            Description = "city-operator|agency-administrator|hr-reviewer|auditor / Vai trò", Required = true,
        };
        var unit = new Option<string?>("--unit")
        {
            Description = name == "grant"
                ? "The unit whose subtree the role covers (default: the person's agency; none for city-operator) / Phạm vi đơn vị"
                : "Only the grant over this unit (default: every grant of the role) / Chỉ phạm vi đơn vị này",
        };
        var cmd = new Command(name, description) { address, role, unit };
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            var r = RolePermissions.Parse(pr.GetValue(role)!) is { } parsed && parsed != AdminRole.None
                ? parsed : throw new CliException(Problem.Of("UnknownRole", pr.GetValue(role)), 2);
            await ctx.RequireAsync(Permission.ManageRoles, null, ct);
            if (name == "grant")
            {
                var view = (await ctx.Access.GrantAsync(pr.GetValue(address)!, r, pr.GetValue(unit), ctx.Actor, ct)).OrFail();
                if (ctx.Output.Json) ctx.Output.WriteJson(Json(view));
                else ctx.Output.Line(Messages.Format("RoleGranted", null, [view.Address, view.Role, view.Scope ?? Messages.Get("WholeTenant")]));
            }
            else
            {
                var count = (await ctx.Access.RevokeAsync(pr.GetValue(address)!, r, pr.GetValue(unit), ctx.Actor, ct)).OrFail();
                if (ctx.Output.Json) ctx.Output.WriteJson(new { address = pr.GetValue(address)!.Trim().ToLowerInvariant(), role = RolePermissions.Name(r), revoked = count });
                else ctx.Output.Line(Messages.Format("RoleRevoked", null, [pr.GetValue(address), RolePermissions.Name(r), count]));
            }
            return 0;
        });
        return cmd;
    }

    private static Command List(Func<ParseResult, IDictionary<string, string?>?, CliContext> context)
    {
        var cmd = new Command("list", "Every administrator, role and scope / Danh sách quản trị viên");
        cmd.SetAction(async (pr, ct) =>
        {
            var ctx = context(pr, null);
            await ctx.OpenTenantAsync(ct);
            await ctx.RequireAsync(Permission.ManageRoles, null, ct);
            var grants = await ctx.Access.ListAsync(ct);
            if (ctx.Output.Json) { ctx.Output.WriteJson(grants.Select(Json)); return 0; }
            ctx.Output.Table([Messages.Get("ColumnAddress"), Messages.Get("ColumnRole"), Messages.Get("ColumnScope"), Messages.Get("ColumnGrantedBy")],
                grants.Select(g => (IReadOnlyList<string?>)[g.Address, g.Role, g.Scope ?? Messages.Get("WholeTenant"), g.GrantedBy]));
            return 0;
        });
        return cmd;
    }

    private static object Json(Storage.Security.AdminGrantView v) =>
        new { address = v.Address, role = v.Role, scope = v.Scope, grantedBy = v.GrantedBy, grantedAt = v.GrantedAt, fromAccountRole = v.FromAccountRole };
}
