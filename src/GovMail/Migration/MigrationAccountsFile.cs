using GovMail.Core;

namespace GovMail.Migration;

/// <summary>
/// The accounts file of <c>govmail migrate imap</c>: one account a line, <c>address[,remote login[,password]]</c> (comma,
/// semicolon or tab between the fields); the remote login defaults to the address; the password may be left out only with
/// a master login. Blank lines and lines starting with '#' are skipped. Every bad line is reported before anything is copied.
/// </summary>
public static class MigrationAccountsFile
{
    public sealed record Read(IReadOnlyList<MigrationAccount> Accounts, IReadOnlyList<(int Line, Problem Problem)> Problems);

    public static Read Parse(IEnumerable<string> lines, bool masterLogin)
    {
        var accounts = new List<MigrationAccount>();
        var problems = new List<(int, Problem)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var separator = line.Contains('\t') ? '\t' : line.Contains(';') ? ';' : ',';
            var fields = line.Split(separator, 3);
            var address = fields[0].Trim();
            var remote = fields.Length > 1 && fields[1].Trim().Length > 0 ? fields[1].Trim() : address;
            // The password is the rest of the line as written: it may hold the separator or spaces.
            var password = fields.Length > 2 && fields[2].Length > 0 ? fields[2] : null;
            if (address.Length == 0 || !address.Contains('@') || address.Any(char.IsWhiteSpace))
                problems.Add((number, Problem.Of("MigrateBadAddress", address)));
            else if (remote.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                problems.Add((number, Problem.Of("MigrateBadRemoteLogin", remote)));
            else if (password is null && !masterLogin)
                problems.Add((number, Problem.Of("MigrateNoPassword", address)));
            else if (!seen.Add(address))
                problems.Add((number, Problem.Of("MigrateDuplicateAccount", address)));
            else
                accounts.Add(new MigrationAccount(number, address, remote, password));
        }
        return new Read(accounts, problems);
    }
}
