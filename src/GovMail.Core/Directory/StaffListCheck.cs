using GovMail.Core.Accounts;
using GovMail.Core.Text;

namespace GovMail.Core.Directory;

/// <summary>A broken rule on one row of a staff list: the row as the user sees it, and what is wrong with it.</summary>
public sealed record StaffListProblem(int RowNumber, Problem Problem);

/// <summary>
/// The rules a staff list (danh sách cán bộ) must meet before its accounts are issued. Every broken rule of every
/// row is returned, so that an administrator can correct the whole file at once; an empty list means the file
/// can be imported.
/// </summary>
public static class StaffListCheck
{
    public const int MaxNameLength = 100;
    public const int MaxTitleLength = 150;
    public const int MaxDepartmentLength = 150;

    public static IReadOnlyList<StaffListProblem> Check(IReadOnlyList<StaffListRow> rows)
    {
        var problems = new List<StaffListProblem>();
        var addressRows = new Dictionary<string, int>(StringComparer.Ordinal);
        var staffNumberRows = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        foreach (var row in rows)
        {
            void Report(string code, params object?[] args) => problems.Add(new StaffListProblem(row.RowNumber, Problem.Of(code, args)));

            var kindText = Blank(row.Kind) ? null : row.Kind!.Trim();
            var kind = ParseKind(kindText);
            if (kindText is not null && kind is null) Report("ImportKindUnknown", kindText);

            if (Blank(row.FullName)) Report("ImportNameMissing");
            else
            {
                var name = VietnameseText.CleanName(row.FullName!);
                if (!name.Any(char.IsLetter)) Report("ImportNameNoLetters", name);
                // A unit's collective mailbox may carry a number (UBND Phường 12); a person's name may not.
                else if ((kind ?? AccountKind.Individual) == AccountKind.Individual && name.Any(char.IsDigit)) Report("ImportNameHasDigits", name);
                if (name.Length > MaxNameLength) Report("ImportNameTooLong", MaxNameLength);
            }

            if (Blank(row.Agency)) Report("ImportAgencyMissing");
            if (row.Title is { } title && title.Trim().Length > MaxTitleLength) Report("ImportTitleTooLong", MaxTitleLength);
            if (row.Department is { } department && department.Trim().Length > MaxDepartmentLength) Report("ImportDepartmentTooLong", MaxDepartmentLength);

            if (!Blank(row.Phone) && !PhoneNumber.IsValid(row.Phone!)) Report("ImportPhoneInvalid", row.Phone!.Trim());

            if (!Blank(row.Address))
            {
                var address = row.Address!.Trim();
                var key = AddressKey(address);
                if (key is null) Report("ImportAddressInvalid", address);
                else if (addressRows.TryGetValue(key, out var first)) Report("ImportAddressRepeated", address, first);
                else addressRows.Add(key, row.RowNumber);
            }

            if (!Blank(row.Issued) && ParseIssued(row.Issued) is null) Report("ImportIssuedInvalid", row.Issued!.Trim());

            if (!Blank(row.StaffNumber))
            {
                var staffNumber = row.StaffNumber!.Trim();
                if (staffNumberRows.TryGetValue(staffNumber, out var first)) Report("ImportStaffNumberRepeated", staffNumber, first);
                else staffNumberRows.Add(staffNumber, row.RowNumber);
            }
        }
        return problems;
    }

    /// <summary>
    /// The date in a staff list's "Ngày cấp" (issued) column: <c>dd/MM/yyyy</c> as Vietnamese lists write it, or
    /// <c>yyyy-MM-dd</c>; an Excel date cell arrives as its serial number. Null when blank or not a date.
    /// </summary>
    public static DateOnly? ParseIssued(string? text)
    {
        if (Blank(text)) return null;
        var t = text!.Trim();
        if (DateOnly.TryParseExact(t, ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"], System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var d))
            return d;
        if (double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var serial)
            && serial is > 1 and < 2958466)
            return DateOnly.FromDateTime(DateTime.FromOADate(Math.Floor(serial)));
        return null;
    }

    /// <summary>
    /// The account kind named in a staff list's "Loại" column: Cá nhân / Individual, Tập thể / Collective,
    /// Dịch vụ / Service, with or without diacritics and in any case. Null when the text is blank or not one of these
    /// (<see cref="Check"/> reports the latter); a blank kind means an individual.
    /// </summary>
    public static AccountKind? ParseKind(string? text) =>
        text is null ? null : VietnameseText.Key(text) switch
        {
            "ca nhan" or "individual" => AccountKind.Individual,
            "tap the" or "collective" => AccountKind.Collective,
            "dich vu" or "service" => AccountKind.Service,
            _ => null,
        };

    /// <summary>The lower-case address or bare local part to compare rows by, or null when it is not valid.</summary>
    private static string? AddressKey(string address)
    {
        if (address.Contains('@'))
            return AddressGenerator.ParseAddress(address) is var (local, domain) ? local + "@" + domain : null;
        var bare = address.ToLowerInvariant();
        return AddressGenerator.IsValidLocalPart(bare) ? bare : null;
    }

    private static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);
}
