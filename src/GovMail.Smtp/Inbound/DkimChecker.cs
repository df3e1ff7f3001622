using MimeKit;
using MimeKit.Cryptography;

namespace GovMail.Smtp.Inbound;

/// <summary>
/// Verifies the DKIM signatures of a received message with MimeKit's <see cref="DkimVerifier"/> (rsa-sha256, ed25519-sha256;
/// RSA keys shorter than 1024 bits and rsa-sha1 are refused, as RFC 8301 says). At most <see cref="MaxSignatures"/> are
/// tried, so a message cannot make the server do unbounded work.
/// </summary>
public sealed class DkimChecker(IDnsResolver dns, TimeProvider clock)
{
    public const int MaxSignatures = 5;

    private readonly DkimVerifier _verifier = new(new DkimDnsKeyLocator(dns));

    /// <summary>One result per DKIM-Signature (top first), or a single <see cref="DkimResult.None"/> for an unsigned message.</summary>
    public async Task<IReadOnlyList<DkimCheck>> VerifyAsync(MimeMessage message, CancellationToken ct)
    {
        var results = new List<DkimCheck>();
        foreach (var header in message.Headers)
        {
            if (header.Id != HeaderId.DkimSignature) continue;
            if (results.Count == MaxSignatures) break;
            results.Add(await VerifyOneAsync(message, header, ct));
        }
        if (results.Count == 0) results.Add(new DkimCheck(DkimResult.None));
        return results;
    }

    private async Task<DkimCheck> VerifyOneAsync(MimeMessage message, Header header, CancellationToken ct)
    {
        var tags = Tags(header.Value);
        tags.TryGetValue("d", out var domain);
        tags.TryGetValue("s", out var selector);
        tags.TryGetValue("b", out var b);
        var signature = b is null ? null : new string(b.Where(c => !char.IsWhiteSpace(c)).Take(12).ToArray());
        DkimCheck Result(DkimResult result, string? problem = null) => new(result, domain?.ToLowerInvariant(), selector, signature, problem);

        if (domain is null || selector is null || b is null) return Result(DkimResult.PermError, "signature lacks d=, s= or b=");
        if (tags.TryGetValue("x", out var expires) && long.TryParse(expires, out var x) && x < clock.GetUtcNow().ToUnixTimeSeconds())
            return Result(DkimResult.Neutral, "signature expired");
        try
        {
            return await _verifier.VerifyAsync(message, header, ct) ? Result(DkimResult.Pass) : Result(DkimResult.Fail, "signature does not verify");
        }
        catch (DkimKeyUnavailableException e) { return Result(DkimResult.TempError, e.Message); }
        catch (DkimKeyMissingException e) { return Result(DkimResult.PermError, e.Message); }
        catch (NotSupportedException e) { return Result(DkimResult.Neutral, e.Message); }
        catch (Exception e) when (e is FormatException or ArgumentException or ParseException or Org.BouncyCastle.Security.SecurityUtilityException
                                       or InvalidCastException or IOException)
        {
            return Result(DkimResult.PermError, e.Message);
        }
    }

    /// <summary>The tag=value list of a DKIM-Signature (RFC 6376 §3.2), names lower-cased.</summary>
    internal static Dictionary<string, string> Tags(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(';'))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            tags.TryAdd(part[..eq].Trim().ToLowerInvariant(), part[(eq + 1)..].Trim());
        }
        return tags;
    }
}
