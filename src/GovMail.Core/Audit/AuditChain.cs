using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GovMail.Core.Audit;

/// <summary>
/// The audit log's hash chain: each entry's hash covers its own fields and the previous entry's hash, so changing,
/// removing or inserting an entry breaks every link after it. Fields are length-prefixed so no two different entries
/// share a canonical form; times are UTC to the microsecond, the precision both databases keep.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry of the chain.</summary>
    public const string Genesis = "";

    /// <summary>The moment as it is stored and hashed: UTC, truncated to the microsecond.</summary>
    public static DateTimeOffset Stored(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTimeOffset(ticks - ticks % 10, TimeSpan.Zero);
    }

    public static string Compute(AuditEntry entry, string previousHash)
    {
        var sb = new StringBuilder();
        Field(sb, Stored(entry.At).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        Field(sb, entry.Actor);
        Field(sb, entry.Action);
        Field(sb, entry.Target);
        Field(sb, entry.Detail);
        Field(sb, previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>Links <paramref name="entry"/> after <paramref name="previousHash"/>; returns its hash, the next entry's previous.</summary>
    public static string Link(AuditEntry entry, string previousHash)
    {
        entry.PreviousHash = previousHash;
        entry.Hash = Compute(entry, previousHash);
        return entry.Hash;
    }

    /// <summary>Does the entry's stored hash match its fields and its stored previous hash?</summary>
    public static bool IsIntact(AuditEntry entry) =>
        entry.PreviousHash is { } previous && entry.Hash is { } hash && Compute(entry, previous) == hash;

    private static void Field(StringBuilder sb, string? value)
    {
        if (value is null) sb.Append("-;");
        else sb.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append(';');
    }
}
