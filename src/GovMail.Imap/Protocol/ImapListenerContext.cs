using GovMail.Net;
using Microsoft.Extensions.Logging;

namespace GovMail.Imap.Protocol;

/// <summary>What every session of one listener shares: the server's options, the listener's kind, the services, the certificate.</summary>
internal sealed record ImapListenerContext(
    ImapServerOptions Options,
    ImapListenerKind Kind,
    ImapServices Services,
    ServerCertificate Certificate,
    TimeProvider Time,
    ILogger Logger);
