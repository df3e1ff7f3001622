using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace GovMail.Smtp.Dkim;

/// <summary>
/// The DKIM private keys of the tenant's domains (khóa ký DKIM), one PEM file per domain and selector in <c>DATA/dkim</c>:
/// <c>&lt;domain&gt;.&lt;selector&gt;.pem</c>, RSA 2048, readable by the server's user only (0600).
/// </summary>
public sealed partial class DkimKeyStore(string directory)
{
    public const string DefaultSelector = "govmail";
    public const int KeySize = 2048;

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The key store of a data folder.</summary>
    public static DkimKeyStore In(string dataDirectory) => new(Path.Combine(dataDirectory, "dkim"));

    /// <summary>A selector is one DNS label (letters, digits, hyphens), so a file name splits back into domain and selector.</summary>
    public static bool IsValidSelector(string selector) => SelectorPattern().IsMatch(selector);

    /// <summary>The key to sign mail from <paramref name="domain"/> with; the newest file wins when a key is being rotated.</summary>
    public DkimKey? Find(string domain)
    {
        domain = Normalize(domain);
        if (domain.Length == 0 || !System.IO.Directory.Exists(Directory)) return null;
        DkimKey? best = null;
        var bestTime = DateTime.MinValue;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, domain + ".*.pem"))
        {
            var name = Path.GetFileName(file);
            var selector = name[(domain.Length + 1)..^4];
            if (!IsValidSelector(selector)) continue;
            var written = File.GetLastWriteTimeUtc(file);
            if (best is null || written > bestTime) (best, bestTime) = (new DkimKey(domain, selector, file), written);
        }
        return best;
    }

    /// <summary>The domains that have a key here (from the file names), for when the database cannot say which domains there are.</summary>
    public IReadOnlyList<string> Domains()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        return System.IO.Directory.EnumerateFiles(Directory, "*.pem")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Where(n => n.LastIndexOf('.') > 0 && IsValidSelector(n[(n.LastIndexOf('.') + 1)..]))
            .Select(n => n[..n.LastIndexOf('.')])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The key of one domain and selector, if it exists.</summary>
    public DkimKey? Find(string domain, string selector)
    {
        var key = new DkimKey(Normalize(domain), selector, PathOf(domain, selector));
        return File.Exists(key.FilePath) ? key : null;
    }

    /// <summary>Creates a new RSA key for the domain and selector, or returns the one already there (never overwritten).</summary>
    public (DkimKey Key, bool Created) Create(string domain, string selector)
    {
        if (!IsValidSelector(selector)) throw new ArgumentException($"not a DKIM selector: {selector}", nameof(selector));
        domain = Normalize(domain);
        if (Find(domain, selector) is { } existing) return (existing, false);

        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(Directory);
        else System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var rsa = RSA.Create(KeySize);
        var pem = rsa.ExportRSAPrivateKeyPem() + "\n";
        var path = PathOf(domain, selector);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var file = new FileStream(temp, options))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(pem);
                writer.Flush();
                file.Flush(flushToDisk: true);
            }
            // Renamed into place only when complete, so a signer never reads half a key.
            File.Move(temp, path);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return (new DkimKey(domain, selector, path), true);
    }

    private string PathOf(string domain, string selector) => Path.Combine(Directory, $"{Normalize(domain)}.{selector}.pem");

    /// <summary>Domains are compared and named in their ASCII (punycode) lower-case form.</summary>
    public static string Normalize(string domain)
    {
        domain = domain.Trim().TrimEnd('.').ToLowerInvariant();
        if (domain.Length == 0) return domain;
        try { return new System.Globalization.IdnMapping().GetAscii(domain); }
        catch (ArgumentException) { return domain; }
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex SelectorPattern();
}
