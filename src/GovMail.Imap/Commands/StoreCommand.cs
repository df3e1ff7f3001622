using GovMail.Core.Mail;
using GovMail.Imap.Protocol;
using GovMail.Storage.Mail;

namespace GovMail.Imap.Commands;

/// <summary>STORE set [(UNCHANGEDSINCE n)] [+-]FLAGS[.SILENT] (flags).</summary>
public sealed record StoreCommand(string Tag, SequenceSet Set, FlagOperation Operation, bool Silent, MessageFlags Flags, IReadOnlyList<string> Keywords)
    : ImapCommand(Tag, ImapCommandKind.Store)
{
    /// <summary>The UNCHANGEDSINCE modifier (RFC 7162 section 3.1.3): messages changed after it are left alone and reported as MODIFIED.</summary>
    public long? UnchangedSince { get; init; }
}
