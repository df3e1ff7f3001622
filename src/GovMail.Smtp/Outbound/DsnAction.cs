namespace GovMail.Smtp.Outbound;

/// <summary>The action-value of a recipient in a delivery status notification (RFC 3464 §2.3.3).</summary>
public enum DsnAction
{
    /// <summary>Could not be delivered; no further attempts.</summary>
    Failed,
    /// <summary>Not delivered yet; still being tried.</summary>
    Delayed,
    /// <summary>Handed to a server that does not send DSNs itself, so no further notice will come.</summary>
    Relayed,
}

/// <summary>The NOTIFY parameter of RCPT TO (RFC 3461 §4.1): which notices the sender asked for about one recipient.</summary>
[Flags]
public enum DsnNotify
{
    Never = 0,
    Success = 1,
    Failure = 2,
    Delay = 4,
}

public static class DsnParameters
{
    /// <summary>NOTIFY as stored ("NEVER", "SUCCESS,FAILURE", …); without NOTIFY the sender hears of failures and delays.</summary>
    public static DsnNotify ParseNotify(string? notify)
    {
        if (string.IsNullOrWhiteSpace(notify)) return DsnNotify.Failure | DsnNotify.Delay;
        var result = DsnNotify.Never;
        foreach (var word in notify.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            result |= word.ToUpperInvariant() switch
            {
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => DsnNotify.Never,
            };
        return result;
    }

    public static bool Wants(string? notify, DsnAction action) => action switch
    {
        DsnAction.Failed => ParseNotify(notify).HasFlag(DsnNotify.Failure),
        DsnAction.Delayed => ParseNotify(notify).HasFlag(DsnNotify.Delay),
        _ => ParseNotify(notify).HasFlag(DsnNotify.Success),
    };

    /// <summary>Decodes xtext (RFC 3461 §4): "+HH" stands for the octet HH; ENVID and ORCPT are stored as sent.</summary>
    public static string DecodeXtext(string xtext)
    {
        if (!xtext.Contains('+')) return xtext;
        var bytes = new List<byte>(xtext.Length);
        for (var i = 0; i < xtext.Length; i++)
        {
            if (xtext[i] == '+' && i + 2 < xtext.Length && Uri.IsHexDigit(xtext[i + 1]) && Uri.IsHexDigit(xtext[i + 2]))
            {
                bytes.Add(Convert.ToByte(xtext.Substring(i + 1, 2), 16));
                i += 2;
            }
            else bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(xtext[i].ToString()));
        }
        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }
}
