using GovMail.Net;
using Microsoft.Extensions.Logging;

namespace GovMail.Smtp.Protocol;

/// <summary>What every session of one listener shares: the server's options, the listener's kind and the injected services.</summary>
internal sealed record SmtpListenerContext(
    SmtpServerOptions Options,
    SmtpListenerKind Kind,
    ISmtpAuthenticator Authenticator,
    ISmtpPolicy Policy,
    IMessageSink Sink,
    ServerCertificate? Certificate,
    TimeProvider Time,
    ILogger Logger)
{
    public bool IsSubmission => Kind is SmtpListenerKind.Submission or SmtpListenerKind.Submissions;
}
