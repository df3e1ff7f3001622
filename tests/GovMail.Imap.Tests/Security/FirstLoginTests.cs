using GovMail.Imap.Tests.Support;
using GovMail.Storage.Directory;

namespace GovMail.Imap.Tests.Security;

/// <summary>Issue 6: a pending account is refused by IMAP with where to change its password, then let in once it has.</summary>
public sealed class FirstLoginTests : IAsyncLifetime
{
    private ImapTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ImapTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Pending_account_is_refused_with_an_alert_and_logs_in_after_changing_its_password_through_the_service()
    {
        const string own = "Bến-Nhà-Rồng-1911!";
        await using (var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true))
        {
            await client.ReadLineAsync();
            await client.SendAsync($"a1 LOGIN {ImapTestServer.Binh} \"{ImapTestServer.BinhTemporary}\"\r\n");
            await client.ExpectAsync(
                $"a1 NO [ALERT] Đổi mật khẩu tạm thời tại {ImapTestServer.PasswordChangeUrl} trước khi dùng chương trình thư. / " +
                $"Change your temporary password at {ImapTestServer.PasswordChangeUrl} before using a mail program.");
        }

        var accounts = new AccountDirectory(_server.Database.Database, TimeProvider.System, _server.Database.Hasher);
        var changed = await accounts.ChangePasswordAsync(ImapTestServer.Binh, ImapTestServer.BinhTemporary, own);
        Assert.True(changed.IsOk, changed.Problem?.Code);

        await using var again = await RawImapClient.ConnectAsync(_server.Imaps, tls: true);
        await again.ReadLineAsync();
        await again.SendAsync($"a1 LOGIN {ImapTestServer.Binh} \"{own}\"\r\n");
        Assert.StartsWith("a1 OK [CAPABILITY", await again.ReadLineAsync());
        await again.SendAsync("a2 SELECT INBOX\r\n");
        Assert.StartsWith("a2 OK", (await again.ReadUntilTaggedAsync("a2"))[^1]);
    }
}
