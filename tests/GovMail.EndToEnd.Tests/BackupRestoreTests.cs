using System.Collections.Concurrent;
using GovMail.Cli.Tests.Support;
using GovMail.EndToEnd.Tests.Support;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using static GovMail.EndToEnd.Tests.Support.TenantDataFolder;

namespace GovMail.EndToEnd.Tests;

/// <summary>
/// <c>govmail backup</c> of a running server while mail keeps arriving over SMTP, then <c>govmail restore</c> into a new data
/// folder: every message the server acknowledged (250) before the backup began is in the restored folder, byte for byte,
/// and the restored folder serves it over IMAP.
/// </summary>
public sealed class BackupRestoreTests
{
    [Fact]
    public async Task A_backup_taken_under_delivery_restores_every_message_acknowledged_before_it_began_byte_for_byte()
    {
        using var data = await CreateAsync();
        using var server = await GovMailServer.StartAsync(data);
        var backupDir = data.Path + "-backup";
        var archive = data.Path + "-backup.tar.gz";
        using var restored = At(data.Path + "-restored");
        using var fromArchive = At(data.Path + "-from-archive");
        try
        {
            var acknowledged = new ConcurrentQueue<string>();
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 3).Select(i => SendUntilStoppedAsync(server, i, acknowledged, stop.Token)).ToList();
            while (acknowledged.Count < 40) await Task.Delay(50);

            var beforeBackup = acknowledged.ToArray();
            var backup = await GovMailProcess.RunAsync(["backup", "-o", backupDir, "--json", "--data", data.Path], data.Path);
            Assert.True(backup.ExitCode == 0, $"{backup.Err}\n{backup.Out}");
            var sentDuring = acknowledged.Count - beforeBackup.Length;
            // The archive form, still under load.
            var packed = await GovMailProcess.RunAsync(["backup", "-o", archive, "--data", data.Path], data.Path);
            Assert.True(packed.ExitCode == 0, $"{packed.Err}\n{packed.Out}");
            await stop.CancelAsync();
            await Task.WhenAll(senders);
            Assert.True(sentDuring > 0 || acknowledged.Count > beforeBackup.Length, "no mail arrived while the backups ran; the test proves nothing");

            // An incremental backup into the same folder copies only what is new.
            var again = await GovMailProcess.RunAsync(["backup", "-o", backupDir, "--json", "--data", data.Path], data.Path);
            Assert.True(again.ExitCode == 0, again.Err);
            Assert.True(again.Json.GetProperty("blobsCopied").GetInt32() < again.Json.GetProperty("blobs").GetInt32(), again.Out);

            var restore = await GovMailProcess.RunAsync(["restore", backupDir, "--data", restored.Path], data.Path);
            Assert.True(restore.ExitCode == 0, $"{restore.Err}\n{restore.Out}");
            var unpack = await GovMailProcess.RunAsync(["restore", archive, "--data", fromArchive.Path], data.Path);
            Assert.True(unpack.ExitCode == 0, $"{unpack.Err}\n{unpack.Out}");

            var original = (await data.InboxAsync(Binh)).ToDictionary(c => c.Message.MessageIdHeader!);
            foreach (var copy in new[] { restored, fromArchive })
            {
                var inbox = (await copy.InboxAsync(Binh)).ToDictionary(c => c.Message.MessageIdHeader!);
                foreach (var id in beforeBackup)
                {
                    Assert.True(inbox.TryGetValue(id, out var got), $"{id} was acknowledged before the backup and is missing after restore");
                    Assert.NotNull(got.Blob);
                    Assert.Equal(original[id].Blob, got.Blob);
                }
                // Nothing half-written: every restored row has its whole body.
                Assert.All(await copy.AllMessagesAsync(), m => Assert.Equal(m.Message.Size, (long?)m.Blob?.Length));
            }

            // A second backup target that is a stranger's folder is refused, and restore never overwrites a data folder.
            var occupied = await GovMailProcess.RunAsync(["restore", backupDir, "--data", data.Path], data.Path);
            Assert.NotEqual(0, occupied.ExitCode);
            Assert.Contains("không trống", occupied.Err);

            await server.StopAsync();
            using var restoredServer = await GovMailServer.StartAsync(restored);
            using var imap = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
            await imap.ConnectAsync("127.0.0.1", restoredServer.ImapsPort, SecureSocketOptions.SslOnConnect);
            await imap.AuthenticateAsync(Binh, Password);
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
            Assert.True(imap.Inbox.Count >= beforeBackup.Length);
            await imap.DisconnectAsync(true);
            await restoredServer.StopAsync();
        }
        finally
        {
            if (Directory.Exists(backupDir)) Directory.Delete(backupDir, recursive: true);
            File.Delete(archive);
        }
    }

    [Fact]
    public async Task Restore_refuses_what_is_not_a_complete_backup_in_plain_words()
    {
        using var data = await CreateAsync();
        var fake = Path.Combine(data.Path, "..", Path.GetFileName(data.Path) + "-not-a-backup");
        Directory.CreateDirectory(fake);
        await File.WriteAllTextAsync(Path.Combine(fake, "govmail.db"), "not a database");
        try
        {
            var target = data.Path + "-target";
            var refused = await GovMailProcess.RunAsync(["restore", fake, "--data", target], data.Path);
            refused.Refused();
            Assert.Contains("govmail-backup.json", refused.Err);
            Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any());

            var inside = await GovMailProcess.RunAsync(["backup", "-o", Path.Combine(data.Path, "sao-luu"), "--data", data.Path], data.Path);
            inside.Refused();
        }
        finally
        {
            Directory.Delete(fake, recursive: true);
        }
    }

    private static async Task SendUntilStoppedAsync(GovMailServer server, int sender, ConcurrentQueue<string> acknowledged, CancellationToken stop)
    {
        using var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
        await smtp.ConnectAsync("127.0.0.1", server.SubmissionsPort, SecureSocketOptions.SslOnConnect);
        await smtp.AuthenticateAsync(An, Password);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress("Nguyễn Văn An", An));
            message.To.Add(new MailboxAddress("Trần Thị Bình", Binh));
            message.Subject = $"Công văn {sender}-{n}: báo cáo quyết toán";
            message.MessageId = $"backup-{sender}-{n}-{Guid.NewGuid():N}@stc.tphcm.gov.vn";
            message.Body = new TextPart("plain") { Text = new string('x', 2000 + 37 * n) + "\nTrân trọng." };
            await smtp.SendAsync(message, CancellationToken.None);
            acknowledged.Enqueue(message.MessageId);
        }
        await smtp.DisconnectAsync(true, CancellationToken.None);
    }
}
