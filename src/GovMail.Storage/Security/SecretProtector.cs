using System.Security.Cryptography;
using System.Text;

namespace GovMail.Storage.Security;

/// <summary>
/// Encrypts small secrets kept in the database (TOTP keys) with AES-256-GCM under the installation's key: a 32-byte key given in
/// the configuration (base64, <c>Security:SecretKey</c>, the same on every node), or else one created once in the data folder
/// (<c>secret.key</c>, readable by the server's user only). A copy of the database alone does not reveal the secrets.
/// </summary>
public sealed class SecretProtector
{
    private const int NonceSize = 12, TagSize = 16;
    private readonly byte[] _key;

    public SecretProtector(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("The secret key must be 32 bytes.", nameof(key));
        _key = key;
    }

    /// <summary>The configured key, or the data folder's key file (created on first use).</summary>
    public static SecretProtector For(string dataDirectory, string? configuredKey)
    {
        if (!string.IsNullOrWhiteSpace(configuredKey)) return new SecretProtector(Convert.FromBase64String(configuredKey.Trim()));
        var path = Path.Combine(dataDirectory, "secret.key");
        if (!File.Exists(path))
        {
            System.IO.Directory.CreateDirectory(dataDirectory);
            var key = RandomNumberGenerator.GetBytes(32);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using var file = new FileStream(path, options);
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
                file.Flush(true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }
        return new SecretProtector(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }

    public string Protect(byte[] secret)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var output = new byte[NonceSize + secret.Length + TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, secret, output.AsSpan(NonceSize, secret.Length), output.AsSpan(NonceSize + secret.Length), null);
        nonce.CopyTo(output, 0);
        return Convert.ToBase64String(output);
    }

    /// <summary>The secret, or null when the text was not made with this key (or was altered).</summary>
    public byte[]? Unprotect(string protectedText)
    {
        byte[] input;
        try { input = Convert.FromBase64String(protectedText); }
        catch (FormatException) { return null; }
        if (input.Length < NonceSize + TagSize) return null;
        var secret = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        try
        {
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, secret.Length), input.AsSpan(NonceSize + secret.Length), secret);
            return secret;
        }
        catch (AuthenticationTagMismatchException) { return null; }
    }
}
