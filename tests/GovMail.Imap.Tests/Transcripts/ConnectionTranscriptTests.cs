using GovMail.Imap.Tests.Support;

namespace GovMail.Imap.Tests.Transcripts;

/// <summary>Greeting, STARTTLS, login and the refusals around them, pinned by the exact lines exchanged.</summary>
public sealed class ConnectionTranscriptTests : IAsyncLifetime
{
    private const string Capabilities143 =
        "IMAP4rev1 IMAP4rev2 STARTTLS LOGINDISABLED SASL-IR LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE CREATE-SPECIAL-USE LIST-EXTENDED " +
        "LIST-STATUS STATUS=SIZE CONDSTORE QRESYNC BINARY ESEARCH SEARCHRES SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES QUOTA QUOTA=RES-STORAGE UTF8=ACCEPT APPENDLIMIT=52428800";
    private const string CapabilitiesTls =
        "IMAP4rev1 IMAP4rev2 AUTH=PLAIN SASL-IR LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE CREATE-SPECIAL-USE LIST-EXTENDED " +
        "LIST-STATUS STATUS=SIZE CONDSTORE QRESYNC BINARY ESEARCH SEARCHRES SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES QUOTA QUOTA=RES-STORAGE UTF8=ACCEPT APPENDLIMIT=52428800";
    private const string CapabilitiesLoggedIn =
        "IMAP4rev1 IMAP4rev2 UNAUTHENTICATE SASL-IR LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE CREATE-SPECIAL-USE LIST-EXTENDED " +
        "LIST-STATUS STATUS=SIZE CONDSTORE QRESYNC BINARY ESEARCH SEARCHRES SORT SORT=DISPLAY THREAD=ORDEREDSUBJECT THREAD=REFERENCES QUOTA QUOTA=RES-STORAGE UTF8=ACCEPT APPENDLIMIT=52428800";

    private ImapTestServer _server = null!;

    public async Task InitializeAsync() => _server = await ImapTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Port_143_offers_starttls_and_refuses_login_until_tls()
    {
        await using var client = await RawImapClient.ConnectAsync(_server.Imap);
        await client.ExpectAsync($"* OK [CAPABILITY {Capabilities143}] GovMail IMAP ready.");

        await client.SendAsync($"a1 LOGIN {ImapTestServer.An} \"{ImapTestServer.AnPassword}\"\r\n");
        await client.ExpectAsync("a1 NO [PRIVACYREQUIRED] Use STARTTLS first; logging in without TLS is not allowed.");
        await client.SendAsync("a2 AUTHENTICATE PLAIN AGFuAHB3\r\n");
        await client.ExpectAsync("a2 NO [PRIVACYREQUIRED] Use STARTTLS first; logging in without TLS is not allowed.");

        await client.SendAsync("a3 STARTTLS\r\n");
        await client.ExpectAsync("a3 OK Begin TLS negotiation now.");
        await client.HandshakeAsync();
        await client.SendAsync("a4 CAPABILITY\r\n");
        await client.ExpectAsync($"* CAPABILITY {CapabilitiesTls}", "a4 OK CAPABILITY completed.");
        await client.SendAsync($"a5 LOGIN {ImapTestServer.An} \"{ImapTestServer.AnPassword}\"\r\n");
        await client.ExpectAsync($"a5 OK [CAPABILITY {CapabilitiesLoggedIn}] Logged in.");
        await client.SendAsync("a6 STARTTLS\r\n");
        await client.ExpectAsync("a6 BAD Already logged in.");
    }

    [Fact]
    public async Task Commands_pipelined_after_starttls_are_dropped_not_run()
    {
        await using var client = await RawImapClient.ConnectAsync(_server.Imap);
        await client.ReadLineAsync();
        await client.SendAsync($"a1 STARTTLS\r\na2 LOGIN {ImapTestServer.An} \"{ImapTestServer.AnPassword}\"\r\n");
        await client.ExpectAsync("a1 OK Begin TLS negotiation now.");
        // The plaintext LOGIN is gone with the plaintext reader; nothing answers it, and the handshake still works.
        await client.HandshakeAsync();
        await client.SendAsync("a3 NOOP\r\n");
        await client.ExpectAsync("a3 OK NOOP completed.");
    }

    [Fact]
    public async Task Port_993_starts_with_tls_and_offers_auth_plain()
    {
        await using var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true);
        await client.ExpectAsync($"* OK [CAPABILITY {CapabilitiesTls}] GovMail IMAP ready.");
        await client.SendAsync("a1 NOOP\r\na2 LOGOUT\r\n");
        await client.ExpectAsync("a1 OK NOOP completed.", "* BYE GovMail logging out.", "a2 OK LOGOUT completed.");
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Authenticate_plain_works_with_an_initial_response_and_after_a_continuation()
    {
        var credentials = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"\0{ImapTestServer.An}\0{ImapTestServer.AnPassword}"));
        await using (var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true))
        {
            await client.ReadLineAsync();
            await client.SendAsync($"a1 AUTHENTICATE PLAIN {credentials}\r\n");
            await client.ExpectAsync($"a1 OK [CAPABILITY {CapabilitiesLoggedIn}] Logged in.");
        }
        await using (var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true))
        {
            await client.ReadLineAsync();
            await client.SendAsync("a1 AUTHENTICATE PLAIN\r\n");
            await client.ExpectAsync("+ ");
            await client.SendAsync(credentials + "\r\n");
            await client.ExpectAsync($"a1 OK [CAPABILITY {CapabilitiesLoggedIn}] Logged in.");
        }
        await using (var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true))
        {
            await client.ReadLineAsync();
            await client.SendAsync("a1 AUTHENTICATE PLAIN\r\n");
            await client.ExpectAsync("+ ");
            await client.SendAsync("*\r\n");
            await client.ExpectAsync("a1 BAD Authentication cancelled.");
            await client.SendAsync("a2 AUTHENTICATE PLAIN !!!\r\n");
            await client.ExpectAsync("a2 BAD Invalid base64 in the authentication response.");
            await client.SendAsync("a3 AUTHENTICATE CRAM-MD5\r\n");
            await client.ExpectAsync("a3 NO [CANNOT] Unsupported authentication mechanism.");
        }
    }

    [Fact]
    public async Task Pending_account_is_refused_by_imap_until_password_changed()
    {
        await using var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true);
        await client.ReadLineAsync();
        await client.SendAsync($"a1 LOGIN {ImapTestServer.Binh} \"{ImapTestServer.BinhTemporary}\"\r\n");
        await client.ExpectAsync(
            $"a1 NO [ALERT] Đổi mật khẩu tạm thời tại {ImapTestServer.PasswordChangeUrl} trước khi dùng chương trình thư. / " +
            $"Change your temporary password at {ImapTestServer.PasswordChangeUrl} before using a mail program.");
        await client.SendAsync("a2 SELECT INBOX\r\n");
        await client.ExpectAsync("a2 BAD Log in first.");
    }

    [Fact]
    public async Task Locked_accounts_and_wrong_passwords_are_refused_with_the_reason()
    {
        await using var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true);
        await client.ReadLineAsync();
        await client.SendAsync($"a1 LOGIN {ImapTestServer.Chi} \"{ImapTestServer.ChiPassword}\"\r\n");
        await client.ExpectAsync("a1 NO [CONTACTADMIN] Tài khoản đang bị khóa, vui lòng liên hệ quản trị viên. / Account locked; contact your administrator.");
        await client.SendAsync($"a2 LOGIN {ImapTestServer.An} \"sai-mat-khau\"\r\n");
        await client.ExpectAsync("a2 NO [AUTHENTICATIONFAILED] Invalid user name or password.");
        // A bare user name is taken on the primary domain.
        await client.SendAsync($"a3 LOGIN an \"{ImapTestServer.AnPassword}\"\r\n");
        Assert.StartsWith("a3 OK [CAPABILITY", await client.ReadLineAsync());
    }

    [Fact]
    public async Task Logins_are_recorded_as_usage_events_with_the_address()
    {
        await using (var client = await RawImapClient.LoginAsync(_server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword))
        {
        }
        await using var db = _server.Database.Database.Open();
        var events = db.UsageEvents.Where(e => e.Protocol == Core.Usage.UsageProtocol.Imap).ToList();
        var login = Assert.Single(events);
        Assert.Equal((Core.Usage.UsageKind.Login, ImapTestServer.An, "127.0.0.1"), (login.Kind, login.Address, login.RemoteAddress));
    }

    [Fact]
    public async Task Unknown_commands_bad_syntax_and_wrong_state_get_bad_and_the_connection_stays()
    {
        await using var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true);
        await client.ReadLineAsync();
        await client.SendAsync("a1 FROBNICATE\r\n");
        await client.ExpectAsync("a1 BAD Unknown command.");
        await client.SendAsync("a2 LOGIN\r\n");
        await client.ExpectAsync("a2 BAD Missing arguments.");
        await client.SendAsync("+++\r\n");
        await client.ExpectAsync("* BAD Missing or invalid tag.");
        await client.SendAsync("a3 FETCH 1 FLAGS\r\n");
        await client.ExpectAsync("a3 BAD Log in first.");
        await client.SendAsync("\r\n");
        await client.SendAsync("a4 NOOP\r\n");
        await client.ExpectAsync("a4 OK NOOP completed.");

        await client.SendAsync($"a5 LOGIN {ImapTestServer.An} \"{ImapTestServer.AnPassword}\"\r\n");
        await client.ReadLineAsync();
        await client.SendAsync("a6 FETCH 1 FLAGS\r\n");
        await client.ExpectAsync("a6 BAD No mailbox selected.");
        await client.SendAsync("a7 SELECT INBOX\r\n");
        await client.ReadUntilTaggedAsync("a7");
        await client.SendAsync("a8 FETCH 1 FLAGS\r\n");
        await client.ExpectAsync("a8 BAD Invalid message sequence number.");
        await client.SendAsync("a9 UID FETCH 1:* FLAGS\r\n");
        await client.ExpectAsync("a9 OK FETCH completed.");
    }

    [Fact]
    public async Task Too_many_mistakes_end_the_session()
    {
        await using var server = await ImapTestServer.StartAsync(o => o.MaxBadCommands = 2);
        await using var client = await RawImapClient.ConnectAsync(server.Imaps, tls: true);
        await client.ReadLineAsync();
        await client.SendAsync("a1 X\r\na2 X\r\na3 X\r\n");
        await client.ExpectAsync("a1 BAD Unknown command.", "a2 BAD Unknown command.", "a3 BAD Unknown command.",
            "* BYE Too many errors; closing the connection.");
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Literals_need_a_continuation_unless_they_are_literal_plus()
    {
        await using var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true);
        await client.ReadLineAsync();
        var password = System.Text.Encoding.UTF8.GetByteCount(ImapTestServer.AnPassword);
        await client.SendAsync($"a1 LOGIN {{{ImapTestServer.An.Length}}}\r\n");
        await client.ExpectAsync("+ Ready for literal data.");
        await client.SendAsync($"{ImapTestServer.An} {{{password}}}\r\n");
        await client.ExpectAsync("+ Ready for literal data.");
        await client.SendAsync($"{ImapTestServer.AnPassword}\r\n");
        Assert.StartsWith("a1 OK [CAPABILITY", await client.ReadLineAsync());

        await client.SendAsync("a2 CREATE {12+}\r\nLưu trữ 2\r\na3 LIST \"\" {12+}\r\nLưu trữ 2\r\n");
        await client.ExpectAsync("a2 OK CREATE completed.", "* LIST (\\HasNoChildren) \"/\" \"L&AbA-u tr&Hu8- 2\"", "a3 OK LIST completed.");
    }

    [Fact]
    public async Task Oversize_literals_are_refused_before_they_are_sent()
    {
        await using var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true);
        await client.ReadLineAsync();
        await client.SendAsync("a1 LOGIN {100000}\r\n");
        await client.ExpectAsync("a1 NO [TOOBIG] Literal too large.");
        await client.SendAsync("a2 NOOP\r\n");
        await client.ExpectAsync("a2 OK NOOP completed.");
        // A non-synchronizing one is already on its way: the session cannot stay in step and ends.
        await client.SendAsync("a3 LOGIN {100000+}\r\n");
        await client.ExpectAsync("* BYE [TOOBIG] Literal too large.");
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task A_command_longer_than_the_limit_is_read_to_its_end_and_refused()
    {
        await using var client = await RawImapClient.ConnectAsync(_server.Imaps, tls: true);
        await client.ReadLineAsync();
        await client.SendAsync("a1 NOOP " + new string('x', 70_000) + "\r\na2 NOOP\r\n");
        await client.ExpectAsync("a1 BAD [TOOBIG] Command too long.", "a2 OK NOOP completed.");
    }

    [Fact]
    public async Task Id_enable_and_namespace_answer_as_the_rfcs_show()
    {
        await using var client = await RawImapClient.LoginAsync(_server.Imaps, ImapTestServer.An, ImapTestServer.AnPassword);
        await client.SendAsync("a1 ID (\"name\" \"Thunderbird\" \"version\" \"128\")\r\n");
        await client.ExpectAsync("* ID (\"name\" \"GovMail\" \"vendor\" \"GovMail\")", "a1 OK ID completed.");
        await client.SendAsync("a2 NAMESPACE\r\n");
        await client.ExpectAsync("* NAMESPACE ((\"\" \"/\")) NIL NIL", "a2 OK NAMESPACE completed.");
        await client.SendAsync("a3 ENABLE UTF8=ACCEPT CONDSTORE\r\n");
        await client.ExpectAsync("* ENABLED UTF8=ACCEPT CONDSTORE", "a3 OK ENABLE completed.");
        await client.SendAsync("a4 CREATE \"Công văn đến\"\r\na5 LIST \"\" \"Công*\"\r\n");
        await client.ExpectAsync("a4 OK CREATE completed.", "* LIST (\\HasNoChildren) \"/\" \"Công văn đến\"", "a5 OK LIST completed.");
    }
}
