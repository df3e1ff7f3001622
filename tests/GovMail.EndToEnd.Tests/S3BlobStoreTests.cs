using System.Text.Json;
using GovMail.Cli.Tests.Support;
using GovMail.EndToEnd.Tests.Support;
using GovMail.Storage.Blobs;
using GovMail.Testing;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// <c>govmail serve</c> with its message bodies in a real S3-compatible server (s3rver): mail received over SMTP is stored as an
/// object and served over IMAP byte for byte, nothing lands in the data folder's <c>blobs/</c>; <c>govmail backup</c> copies the
/// objects into the backup and <c>govmail restore</c> puts back one the bucket lost.
/// </summary>
public sealed class S3BlobStoreTests
{
    [Fact]
    public async Task Serve_on_s3_stores_a_large_message_as_an_object_and_imap_serves_it_byte_for_byte_and_backup_restores_it()
    {
        await using var s3 = await S3rverInstance.StartAsync();
        using var data = await CreateAsync();
        var settings = s3.Settings(prefix: "tphcm/").ToDictionary(kv => kv.Key["Blobs:".Length..], kv => (object)kv.Value);
        settings["PartSizeMegabytes"] = 5;
        await File.WriteAllTextAsync(Path.Combine(data.Path, "govmail.json"), JsonSerializer.Serialize(new { Blobs = settings }));
        var store = new BlobStoreOptions
        {
            Kind = "s3", Endpoint = s3.Endpoint, Bucket = s3.Bucket, AccessKey = S3rverInstance.AccessKey, SecretKey = S3rverInstance.SecretKey,
            Prefix = "tphcm/",
        }.Open(data.Path);

        // Larger than a part: it goes up as a multipart upload while DATA is still arriving.
        var attachment = new byte[7 * 1024 * 1024];
        new Random(2026).NextBytes(attachment);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(An));
        message.To.Add(MailboxAddress.Parse(Binh));
        message.Subject = "Báo cáo quý III kèm số liệu";
        var body = new BodyBuilder { TextBody = "Kính gửi chị Bình,\r\nBáo cáo đính kèm.\r\n" };
        body.Attachments.Add("so-lieu.bin", attachment);
        message.Body = body.ToMessageBody();
        byte[] sent = [];

        var backupDir = data.Path + "-backup";
        using var restored = At(data.Path + "-restored");
        try
        {
            byte[] served;
            string key;
            using (var server = await GovMailServer.StartAsync(data))
            {
                using (var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false })
                {
                    await smtp.ConnectAsync("127.0.0.1", server.SubmissionsPort, SecureSocketOptions.SslOnConnect);
                    await smtp.AuthenticateAsync(An, Password);
                    await smtp.SendAsync(message);
                    await smtp.DisconnectAsync(true);
                }
                // As MailKit prepared and sent it (CRLF line ends).
                using (var bytes = new MemoryStream())
                {
                    var format = FormatOptions.Default.Clone();
                    format.NewLineFormat = NewLineFormat.Dos;
                    await message.WriteToAsync(format, bytes);
                    sent = bytes.ToArray();
                }
                served = await FetchInboxAsync(server, message.MessageId!);
                key = Assert.Single(await data.InboxAsync(Binh)).Message.BlobKey;
                Assert.Empty(server.ErrorLog);
                await server.StopAsync();
            }

            // What IMAP served is the object, which is what was sent under the trace headers the server added.
            await using (var read = await store.OpenReadAsync(key, CancellationToken.None))
            using (var copy = new MemoryStream())
            {
                await read.CopyToAsync(copy);
                Assert.Equal(copy.ToArray(), served);
            }
            Assert.Equal(sent, served[^sent.Length..]);
            Assert.False(Directory.Exists(data.BlobDirectory) && Directory.EnumerateFiles(data.BlobDirectory, "*", SearchOption.AllDirectories).Any(),
                "a body was written to the data folder instead of the bucket");

            var backup = await GovMailProcess.RunAsync(["backup", "-o", backupDir, "--json", "--data", data.Path], data.Path);
            Assert.True(backup.ExitCode == 0, $"{backup.Err}\n{backup.Out}");
            Assert.Equal("s3", backup.Json.GetProperty("blobStore").GetString());
            Assert.True(backup.Json.GetProperty("blobs").GetInt32() >= 1, backup.Out);

            // The bucket loses the object; the restore (to a new data folder, whose restored govmail.json names the bucket) puts it back.
            await store.DeleteAsync(key, CancellationToken.None);
            var restore = await GovMailProcess.RunAsync(["restore", backupDir, "--data", restored.Path], data.Path);
            Assert.True(restore.ExitCode == 0, $"{restore.Err}\n{restore.Out}");
            Assert.True(await store.ExistsAsync(key, CancellationToken.None));
            using (var server = await GovMailServer.StartAsync(restored))
            {
                Assert.Equal(served, await FetchInboxAsync(server, message.MessageId!));
                await server.StopAsync();
            }
        }
        finally
        {
            if (Directory.Exists(backupDir)) Directory.Delete(backupDir, recursive: true);
            ((IDisposable)store).Dispose();
        }
    }

    [Fact]
    public async Task Serve_refuses_to_start_when_the_bucket_cannot_be_reached_naming_it()
    {
        await using var s3 = await S3rverInstance.StartAsync();
        using var data = await CreateAsync();
        var settings = s3.Settings().ToDictionary(kv => kv.Key["Blobs:".Length..], kv => kv.Value);
        settings["Bucket"] = "khong-ton-tai";
        await File.WriteAllTextAsync(Path.Combine(data.Path, "govmail.json"), JsonSerializer.Serialize(new { Blobs = settings }));
        var result = await GovMailProcess.RunAsync(["serve", "--data", data.Path, "--bind", "127.0.0.1", "--smtp", "0", "--submission", "0",
            "--submissions", "0", "--imap", "0", "--imaps", "0", "--http", GovMailProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--https", "0"], data.Path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("khong-ton-tai", result.Err);
        Assert.Contains("Không truy cập được", result.Err);
    }

    private static async Task<byte[]> FetchInboxAsync(GovMailServer server, string messageId)
    {
        using var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
        await imap.ConnectAsync("127.0.0.1", server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(Binh, Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        for (var i = 0; i < 100 && imap.Inbox.Count == 0; i++)
        {
            await Task.Delay(100);
            await imap.NoOpAsync();
        }
        var uid = Assert.Single(await imap.Inbox.SearchAsync(MailKit.Search.SearchQuery.HeaderContains("Message-Id", messageId)));
        using var raw = await imap.Inbox.GetStreamAsync(uid, "");
        using var copy = new MemoryStream();
        await raw.CopyToAsync(copy);
        await imap.DisconnectAsync(true);
        return copy.ToArray();
    }
}
