using GovMail.Core.Mail;

namespace GovMail.Imap.Commands;

/// <summary>
/// APPEND mailbox [(flags)] ["date-time"] {size}: what comes before the message literal, which the session streams
/// into a blob rather than keeping it in memory.
/// </summary>
public sealed record AppendCommand(string Tag, string Mailbox, MessageFlags Flags, IReadOnlyList<string> Keywords, DateTimeOffset? InternalDate,
    long Size, bool NonSynchronizing) : ImapCommand(Tag, ImapCommandKind.Append);
