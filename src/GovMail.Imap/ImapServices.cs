using GovMail.Core.Security;
using GovMail.Storage.Blobs;
using GovMail.Storage.Database;
using GovMail.Storage.Mail;

namespace GovMail.Imap;

/// <summary>What IMAP sessions read and change: the database, the message bodies, the change notices, and the password hasher of the directory.</summary>
public sealed record ImapServices(GovMailDatabase Database, IBlobStore Blobs, MailboxNotifications Notifications, PasswordHasher Hasher);
