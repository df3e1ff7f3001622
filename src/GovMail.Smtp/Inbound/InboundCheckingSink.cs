using GovMail.Core.Directory;
using GovMail.Smtp.Protocol;
using GovMail.Storage.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace GovMail.Smtp.Inbound;

/// <summary>
/// The inbound checks in front of the delivery pipeline, for mail that arrives over MX (submission, authenticated, skips
/// them): SPF, DKIM and DMARC are evaluated; DMARC p=reject on failure refuses the message with <c>550 5.7.1</c>;
/// otherwise the message goes on with its <c>Authentication-Results</c> field and, when the recipients' tenant policy
/// (<see cref="TenantPolicy.InboundQuarantine"/>) says so, marked for the Junk folder. An <c>Authentication-Results</c>
/// field that came with the message and claims this server's authserv-id is renamed (RFC 8601 §5).
/// </summary>
public sealed class InboundCheckingSink(IMessageSink inner, InboundChecker checker, GovMailDatabase database, ILogger<InboundCheckingSink> log)
    : IMessageSink
{
    public async Task<SmtpReply> DeliverAsync(SmtpEnvelope envelope, string messageFile, long size, CancellationToken ct)
    {
        if (envelope.Listener != SmtpListenerKind.Mx || envelope.AuthenticatedAs is not null)
            return await inner.DeliverAsync(envelope, messageFile, size, ct);

        InboundVerdict verdict;
        List<Header> forged;
        await using (var stream = OpenRead(messageFile))
        {
            MimeMessage? message;
            try { message = await MimeMessage.LoadAsync(ParserOptions.Default, stream, persistent: true, ct); }
            catch (FormatException) { message = null; }
            verdict = await checker.CheckAsync(envelope, message, ct);
            forged = message?.Headers.Where(h => h.Id == HeaderId.AuthenticationResults && h.Offset is not null
                && AuthenticationResults.ClaimsAuthServId(h.Value, checker.AuthServId)).ToList() ?? [];
        }
        log.LogInformation("Inbound checks for <{From}> from {Address}: spf={Spf} dkim={Dkim} dmarc={Dmarc} {Problems}",
            envelope.MailFrom, envelope.RemoteAddress, verdict.Spf.Result, string.Join(',', verdict.Dkim.Select(d => d.Result)), verdict.Dmarc.Result,
            string.Join("; ", new[] { verdict.Spf.Problem, verdict.Dmarc.Problem }.Concat(verdict.Dkim.Select(d => d.Problem)).Where(p => p is not null)));

        if (verdict.Reject) return SmtpReplies.DmarcRejected(verdict.Dmarc.FromDomain!);
        var quarantine = (verdict.DmarcQuarantine || verdict.SpfFail) && await QuarantinesAsync(envelope, verdict, ct);
        var checkedEnvelope = envelope with { AuthenticationResults = verdict.Header, Quarantine = quarantine };
        if (forged.Count == 0) return await inner.DeliverAsync(checkedEnvelope, messageFile, size, ct);

        var renamed = messageFile + ".ar";
        try
        {
            var renamedSize = await RenameFieldsAsync(messageFile, renamed, forged, ct);
            return await inner.DeliverAsync(checkedEnvelope, renamed, renamedSize, ct);
        }
        finally
        {
            File.Delete(renamed);
        }
    }

    /// <summary>Whether the tenant owning any recipient's domain quarantines mail with these results.</summary>
    private async Task<bool> QuarantinesAsync(SmtpEnvelope envelope, InboundVerdict verdict, CancellationToken ct)
    {
        var domains = envelope.Recipients.Select(r => r.Address[(r.Address.LastIndexOf('@') + 1)..].TrimEnd('.').ToLowerInvariant()).Distinct().ToList();
        await using var db = database.Open();
        var policies = await (from d in db.Domains
                              join t in db.Tenants on d.TenantId equals t.Id
                              where domains.Contains(d.Name)
                              select t.Policy.InboundQuarantine).Distinct().ToListAsync(ct);
        return policies.Any(p => new TenantPolicy { InboundQuarantine = p }.Quarantines(verdict.DmarcQuarantine, verdict.SpfFail));
    }

    /// <summary>Copies the message with the named fields renamed to <see cref="AuthenticationResults.RenamedFieldName"/>; returns the new size.</summary>
    private static async Task<long> RenameFieldsAsync(string source, string target, IReadOnlyList<Header> fields, CancellationToken ct)
    {
        var newName = System.Text.Encoding.ASCII.GetBytes(AuthenticationResults.RenamedFieldName);
        await using var input = OpenRead(source);
        await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        foreach (var field in fields.OrderBy(f => f.Offset))
        {
            await CopyAsync(input, output, field.Offset!.Value - input.Position, ct);
            await output.WriteAsync(newName, ct);
            input.Seek(field.Field.Length, SeekOrigin.Current);
        }
        await input.CopyToAsync(output, 64 * 1024, ct);
        return output.Length;
    }

    private static async Task CopyAsync(Stream input, Stream output, long count, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (count > 0)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct);
            if (read == 0) throw new EndOfStreamException();
            await output.WriteAsync(buffer.AsMemory(0, read), ct);
            count -= read;
        }
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
