using GovMail.Core.Mail;
using GovMail.Imap.Protocol;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Commands;

/// <summary>STORE set [+-]FLAGS[.SILENT] (flags).</summary>
public sealed record StoreCommand(string Tag, SequenceSet Set, FlagOperation Operation, bool Silent, MessageFlags Flags, IReadOnlyList<string> Keywords)
    : ImapCommand(Tag, ImapCommandKind.Store);
