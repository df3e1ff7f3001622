using System.Text;
using System.Xml.Linq;
using GovMail.Storage.Database;
using GovMail.Storage.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace GovMail.Web.Security;

/// <summary>
/// The data-protection key ring (vòng khóa bảo vệ cookie) that seals the session and antiforgery cookies, kept in the database
/// so every node reads the same ring: a browser signed in on one node is signed in on the others, and a node restarted or
/// added keeps the sessions (docs/scale-out.md). Each key's XML is encrypted with the installation's secret key
/// (<c>Security:SecretKey</c>, the same on every node), so a copy of the database alone cannot forge a cookie.
/// </summary>
public static class WebKeyRing
{
    /// <summary>The purposes of every protector derive from this name, which must not change: it is not the data folder's path.</summary>
    public const string ApplicationName = "GovMail";

    public static void AddGovMailKeyRing(this IServiceCollection services, GovMailDatabase database, SecretProtector secret)
    {
        // The key ring's repository opens a context of its own for each read or write.
        services.AddScoped<GovMailDbContext>(_ => database.Open());
        services.AddSingleton(secret);
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<GovMailDbContext>()
            .AddKeyManagementOptions(o => o.XmlEncryptor = new SecretKeyXmlEncryptor(secret));
    }

    /// <summary>
    /// Makes sure the ring has a key now. Called while the node holds the start lock, so nodes starting together on a new
    /// database make one key between them rather than one each.
    /// </summary>
    public static void EnsureKey(IServiceProvider services) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("GovMail.Start").Protect([0]);
}

/// <summary>Encrypts a data-protection key's XML with AES-256-GCM under the secret key (<see cref="SecretProtector"/>).</summary>
public sealed class SecretKeyXmlEncryptor(SecretProtector secret) : IXmlEncryptor
{
    internal const string Element = "govmailEncryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var sealedText = secret.Protect(Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)));
        var encrypted = new XElement(Element,
            new XComment(" Encrypted with the installation's secret key (Security:SecretKey). "),
            new XElement("value", sealedText));
        return new EncryptedXmlInfo(encrypted, typeof(SecretKeyXmlDecryptor));
    }
}

/// <summary>Decrypts what <see cref="SecretKeyXmlEncryptor"/> wrote; made by the key manager with the application's services.</summary>
public sealed class SecretKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var secret = services.GetService<SecretProtector>()
                     ?? throw new InvalidOperationException("The web key ring is encrypted but no secret key is configured.");
        var plain = secret.Unprotect(encryptedElement.Element("value")?.Value ?? "")
                    ?? throw new InvalidOperationException(
                        "A key of the web key ring was encrypted with another secret key: every node needs the same Security:SecretKey.");
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}
