namespace GovMail.Smtp.Tests.Transcripts;

/// <summary>The exact reply lines transcripts expect, written out as a client sees them (ASCII, Vietnamese folded).</summary>
internal static class Replies
{
    public const string Greeting = "220 mx.govmail.test ESMTP GovMail";
    public const string Closing = "221 2.0.0 mx.govmail.test closing connection / Tam biet";
    public const string Ok = "250 2.0.0 OK";
    public const string SenderOk = "250 2.1.0 Sender OK";
    public const string RecipientOk = "250 2.1.5 Recipient OK";
    public const string StartData = "354 End data with <CR><LF>.<CR><LF>";
    public const string Delivered = "250 2.0.0 Message accepted for delivery / Thu da duoc nhan";
    public const string RelayDenied = "550 5.7.1 Relaying denied / Khong cho phep chuyen tiep thu";
    public const string NoSuchUser = "550 5.1.1 No such user here / Khong co nguoi nhan nay";
    public const string ReadyToStartTls = "220 2.0.0 Ready to start TLS / San sang chuyen sang TLS";
    public const string StartTlsFirst = "530 5.7.0 Must issue a STARTTLS command first / Can dung STARTTLS truoc";
    public const string AuthRequired = "530 5.7.0 Authentication required before sending mail / Can dang nhap truoc khi gui thu";
    public const string AuthSucceeded = "235 2.7.0 Authentication successful / Dang nhap thanh cong";
    public const string AuthFailed = "535 5.7.8 Authentication credentials invalid / Sai ten dang nhap hoac mat khau";
    public const string AuthCancelled = "501 5.0.0 Authentication cancelled / Da huy dang nhap";
    public const string AuthNotAvailable = "502 5.5.1 Authentication is not available on this port; use port 587 or 465 / Cong nay khong cho dang nhap, hay dung cong 587 hoac 465";
    public const string NeedMail = "503 5.5.1 Need MAIL before RCPT / Can MAIL truoc RCPT";
    public const string TooManyRecipients = "452 4.5.3 Too many recipients; send the rest in another message / Qua nhieu nguoi nhan, hay gui phan con lai trong thu khac";
    public const string Timeout = "421 4.4.2 mx.govmail.test Timeout waiting for the client, closing connection / Het thoi gian cho, dong ket noi";
    public const string ShuttingDown = "421 4.3.2 mx.govmail.test Service shutting down, try again later / May chu dang tam dung, vui long thu lai sau";

    public static string TooBig(long limit) => $"552 5.3.4 Message size exceeds the limit of {limit} octets / Thu vuot qua dung luong cho phep";

    /// <summary>The EHLO reply lines: greeting line, then the extensions, the last with a space.</summary>
    public static string[] Ehlo(params string[] extensions)
    {
        var lines = new List<string> { "mx.govmail.test Hello [127.0.0.1]" };
        lines.AddRange(extensions);
        var result = new string[lines.Count];
        for (var i = 0; i < lines.Count; i++) result[i] = (i == lines.Count - 1 ? "250 " : "250-") + lines[i];
        return result;
    }

    public static readonly string[] CommonExtensions = ["PIPELINING", "SIZE 52428800", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING", "DSN"];
}
