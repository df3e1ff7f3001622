using System.Globalization;
using System.Net;
using System.Text;

namespace GovMail.Smtp.Protocol;

/// <summary>
/// Every reply the SMTP server sends, in one place: code, enhanced status code (RFC 3463) and a plain-words text, English
/// first and then the Vietnamese meaning, so whoever reads a bounce understands it. The writer turns the Vietnamese into
/// plain ASCII for clients that have not asked for SMTPUTF8 (see <see cref="SmtpReplyWriter"/>).
/// Policies and sinks should use the refusals here (relaying, unknown user, quota) rather than write their own.
/// </summary>
public static class SmtpReplies
{
    // Connection
    public static SmtpReply Greeting(string host) => new(220, null, $"{host} ESMTP GovMail");
    public static SmtpReply Closing(string host) => new(221, "2.0.0", $"{host} closing connection / Tạm biệt");
    public static SmtpReply Timeout(string host) => new(421, "4.4.2", $"{host} Timeout waiting for the client, closing connection / Hết thời gian chờ, đóng kết nối");
    public static SmtpReply TooManyErrors(string host) => new(421, "4.7.0", $"{host} Too many errors, closing connection / Quá nhiều lệnh sai, đóng kết nối");
    public static SmtpReply ShuttingDown(string host) => new(421, "4.3.2", $"{host} Service shutting down, try again later / Máy chủ đang tạm dừng, vui lòng thử lại sau");
    public static SmtpReply TooManyConnections(string host) => new(421, "4.7.0", $"{host} Too many connections, try again later / Máy chủ đang quá tải, vui lòng thử lại sau");
    public static SmtpReply TooManyConnectionsFromAddress(string host) => new(421, "4.7.0", $"{host} Too many connections from your address, try again later / Quá nhiều kết nối từ địa chỉ của bạn, vui lòng thử lại sau");

    // EHLO / HELO
    public static SmtpReply Helo(string host, IPAddress remote) => new(250, null, $"{host} Hello [{remote}]");

    /// <summary>The EHLO reply: greeting line, then one extension per line (no enhanced codes, RFC 2034 section 3).</summary>
    public static SmtpReply Ehlo(string host, IPAddress remote, SmtpExtensions extensions, long maxMessageSize)
    {
        var text = new StringBuilder(256);
        text.Append(host).Append(" Hello [").Append(remote).Append(']');
        if (extensions.HasFlag(SmtpExtensions.Pipelining)) text.Append("\nPIPELINING");
        if (extensions.HasFlag(SmtpExtensions.Size)) text.Append("\nSIZE ").Append(maxMessageSize.ToString(CultureInfo.InvariantCulture));
        if (extensions.HasFlag(SmtpExtensions.EightBitMime)) text.Append("\n8BITMIME");
        if (extensions.HasFlag(SmtpExtensions.SmtpUtf8)) text.Append("\nSMTPUTF8");
        if (extensions.HasFlag(SmtpExtensions.EnhancedStatusCodes)) text.Append("\nENHANCEDSTATUSCODES");
        if (extensions.HasFlag(SmtpExtensions.Chunking)) text.Append("\nCHUNKING");
        if (extensions.HasFlag(SmtpExtensions.Dsn)) text.Append("\nDSN");
        if (extensions.HasFlag(SmtpExtensions.StartTls)) text.Append("\nSTARTTLS");
        if (extensions.HasFlag(SmtpExtensions.Auth)) text.Append("\nAUTH PLAIN LOGIN");
        return new(250, null, text.ToString());
    }

    // Plain acknowledgements
    public static readonly SmtpReply Ok = new(250, "2.0.0", "OK");
    public static readonly SmtpReply ResetOk = new(250, "2.0.0", "Reset OK");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Sender OK");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "Recipient OK");
    public static readonly SmtpReply StartMailInput = new(354, null, "End data with <CR><LF>.<CR><LF>");
    public static SmtpReply ChunkReceived(long octets) => new(250, "2.0.0", $"{octets.ToString(CultureInfo.InvariantCulture)} octets received");
    public static readonly SmtpReply CannotVerify = new(252, "2.5.0", "Cannot verify the user, but will accept the message and attempt delivery");
    public static readonly SmtpReply Help = new(214, "2.0.0",
        "Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH\nSee RFC 5321 / Xem RFC 5321");

    // TLS
    public static readonly SmtpReply ReadyToStartTls = new(220, "2.0.0", "Ready to start TLS / Sẵn sàng chuyển sang TLS");
    public static readonly SmtpReply TlsNotAvailable = new(454, "4.7.0", "TLS not available, try again later / Tạm thời không dùng được TLS");
    public static readonly SmtpReply TlsAlreadyActive = new(503, "5.5.1", "TLS is already active / Kết nối đã dùng TLS");
    public static readonly SmtpReply StartTlsFirst = new(530, "5.7.0", "Must issue a STARTTLS command first / Cần dùng STARTTLS trước");

    // Authentication
    public static readonly SmtpReply AuthSucceeded = new(235, "2.7.0", "Authentication successful / Đăng nhập thành công");
    public static readonly SmtpReply AuthFailed = new(535, "5.7.8", "Authentication credentials invalid / Sai tên đăng nhập hoặc mật khẩu");
    public static readonly SmtpReply AuthCancelled = new(501, "5.0.0", "Authentication cancelled / Đã hủy đăng nhập");
    public static readonly SmtpReply AuthRequired = new(530, "5.7.0", "Authentication required before sending mail / Cần đăng nhập trước khi gửi thư");
    public static readonly SmtpReply AuthNotAvailable = new(502, "5.5.1", "Authentication is not available on this port; use port 587 or 465 / Cổng này không cho đăng nhập, hãy dùng cổng 587 hoặc 465");
    public static readonly SmtpReply AlreadyAuthenticated = new(503, "5.5.1", "Already authenticated / Đã đăng nhập");
    public static readonly SmtpReply AuthDuringTransaction = new(503, "5.5.1", "AUTH is not allowed during a mail transaction / Không thể đăng nhập giữa chừng khi đang gửi thư");
    public static readonly SmtpReply UnknownMechanism = new(504, "5.5.4", "Unrecognized authentication mechanism; use PLAIN or LOGIN / Phương thức đăng nhập không được hỗ trợ");
    public static readonly SmtpReply InvalidBase64 = new(501, "5.5.2", "Cannot decode the response (base64 expected) / Không đọc được dữ liệu đăng nhập");
    public static readonly SmtpReply AuthTemporaryFailure = new(454, "4.7.0", "Temporary authentication failure, try again later / Tạm thời không đăng nhập được, vui lòng thử lại sau");
    public static readonly SmtpReply AuthEmptyChallenge = new(334, null, "");
    public static readonly SmtpReply AuthUsernameChallenge = new(334, null, "VXNlcm5hbWU6");
    public static readonly SmtpReply AuthPasswordChallenge = new(334, null, "UGFzc3dvcmQ6");

    // Command syntax and sequence
    public static readonly SmtpReply UnknownCommand = new(500, "5.5.1", "Command not recognized / Lệnh không hợp lệ");
    public static readonly SmtpReply LineTooLong = new(500, "5.5.2", "Line too long / Dòng lệnh quá dài");
    public static readonly SmtpReply ExpnDisabled = new(502, "5.5.1", "EXPN is not available / Không hỗ trợ EXPN");
    public static readonly SmtpReply NoParametersAllowed = new(501, "5.5.4", "This command takes no parameters / Lệnh này không có tham số");
    public static readonly SmtpReply HeloSyntax = new(501, "5.5.4", "Syntax: EHLO domain / Cú pháp: EHLO tên-miền");
    public static readonly SmtpReply MailSyntax = new(501, "5.5.4", "Syntax: MAIL FROM:<address> / Cú pháp: MAIL FROM:<địa-chỉ>");
    public static readonly SmtpReply RcptSyntax = new(501, "5.5.4", "Syntax: RCPT TO:<address> / Cú pháp: RCPT TO:<địa-chỉ>");
    public static readonly SmtpReply BdatSyntax = new(501, "5.5.4", "Syntax: BDAT size [LAST] / Cú pháp: BDAT kích-thước [LAST]");
    public static readonly SmtpReply AuthSyntax = new(501, "5.5.4", "Syntax: AUTH mechanism [initial-response] / Cú pháp: AUTH phương-thức [dữ-liệu]");
    public static readonly SmtpReply BadSenderAddress = new(501, "5.1.7", "Bad sender address syntax / Địa chỉ người gửi không hợp lệ");
    public static readonly SmtpReply BadRecipientAddress = new(501, "5.1.3", "Bad recipient address syntax / Địa chỉ người nhận không hợp lệ");
    public static SmtpReply BadParameterValue(string name) => new(501, "5.5.4", $"Invalid value for parameter {name} / Giá trị tham số {name} không hợp lệ");
    public static SmtpReply DuplicateParameter(string name) => new(501, "5.5.4", $"Parameter {name} given twice / Tham số {name} bị lặp");
    public static SmtpReply UnsupportedParameter(string name) => new(555, "5.5.4", $"Unsupported parameter {name} / Không hỗ trợ tham số {name}");
    public static readonly SmtpReply NeedHelo = new(503, "5.5.1", "Send EHLO or HELO first / Hãy gửi EHLO trước");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1", "Sender already specified / Đã khai báo người gửi");
    public static readonly SmtpReply NeedMail = new(503, "5.5.1", "Need MAIL before RCPT / Cần MAIL trước RCPT");
    public static readonly SmtpReply NeedMailBeforeData = new(503, "5.5.1", "Need MAIL and RCPT before DATA / Cần MAIL và RCPT trước DATA");
    public static readonly SmtpReply NoValidRecipients = new(554, "5.5.1", "No valid recipients / Không có người nhận hợp lệ");
    public static readonly SmtpReply BadSequence = new(503, "5.5.1", "Bad sequence of commands / Sai thứ tự lệnh");
    public static readonly SmtpReply DataAfterBdat = new(503, "5.5.1", "DATA cannot follow BDAT in the same transaction / Không dùng DATA sau BDAT trong cùng một thư");

    // Addresses and content
    public static readonly SmtpReply NonAsciiAddressNeedsSmtpUtf8 = new(553, "5.6.7", "Non-ASCII address requires SMTPUTF8 / Địa chỉ có dấu cần tham số SMTPUTF8");
    public static SmtpReply MessageTooBig(long maxSize) => new(552, "5.3.4",
        $"Message size exceeds the limit of {maxSize.ToString(CultureInfo.InvariantCulture)} octets / Thư vượt quá dung lượng cho phép");
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Too many recipients; send the rest in another message / Quá nhiều người nhận, hãy gửi phần còn lại trong thư khác");
    public static SmtpReply DataLineTooLong(int maxLineLength) => new(554, "5.6.0",
        $"Message refused: a line is longer than {maxLineLength.ToString(CultureInfo.InvariantCulture)} octets / Thư bị từ chối: có dòng quá dài");
    public static readonly SmtpReply LocalError = new(451, "4.3.0", "Local error in processing, try again later / Lỗi máy chủ, vui lòng thử lại sau");

    // Refusals for policies and sinks
    public static readonly SmtpReply RelayDenied = new(550, "5.7.1", "Relaying denied / Không cho phép chuyển tiếp thư");
    public static readonly SmtpReply NoSuchUser = new(550, "5.1.1", "No such user here / Không có người nhận này");
    public static readonly SmtpReply SenderNotAllowed = new(553, "5.7.1", "You may not send as this address / Bạn không được gửi thư bằng địa chỉ này");
    public static readonly SmtpReply MailboxFull = new(452, "4.2.2", "Mailbox full, try again later / Hộp thư của người nhận đã đầy");
    public static readonly SmtpReply Delivered = new(250, "2.0.0", "Message accepted for delivery / Thư đã được nhận");
    public static SmtpReply DeliveredAs(string id) => new(250, "2.0.0", $"Ok: queued as {id} / Đã nhận thư");
    public static SmtpReply SenderNotOwned(string address) =>
        new(553, "5.7.1", $"Sender <{address}> is not one of your addresses / Không được gửi thư thay cho <{address}>");
    public static SmtpReply NoSuchMailbox(string address) =>
        new(550, "5.1.1", $"No such mailbox <{address}> / Không có hộp thư <{address}>");
    public static SmtpReply MailboxDisabled(string address) =>
        new(550, "5.2.1", $"Mailbox <{address}> is disabled / Hộp thư <{address}> đã ngừng sử dụng");
    public static SmtpReply DmarcRejected(string domain) =>
        new(550, "5.7.1", $"Message refused: it fails the DMARC check of {domain}, whose owner asks for such mail to be rejected / Thư bị từ chối: thư không vượt qua kiểm tra DMARC của {domain} và chủ tên miền yêu cầu từ chối");
    public static SmtpReply MailboxFullFor(string address) =>
        new(452, "4.2.2", $"Mailbox <{address}> is full, try again later / Hộp thư <{address}> đã đầy, vui lòng gửi lại sau");

    // Refusals of AUTH by the directory
    /// <summary>A known account refused for its state (first login, expiry, lock); the text comes from the login service.</summary>
    public static SmtpReply LoginRefused(string text) => new(535, "5.7.8", text);
}
