using GovMail.Core;

namespace GovMail.Reports.Periods;

/// <summary>The order of lines in every report: agency, then department (the agency's own people first), individuals before
/// collective mailboxes, then display name in Vietnamese collation, then address.</summary>
public static class ReportOrder
{
    public static readonly StringComparer Names = StringComparer.Create(Messages.Vietnamese, ignoreCase: true);

    public static int Compare(ReportedAccount a, ReportedAccount b)
    {
        var c = Names.Compare(a.Agency, b.Agency);
        if (c == 0) c = (b.Department is null).CompareTo(a.Department is null);
        if (c == 0) c = Names.Compare(a.Department ?? "", b.Department ?? "");
        if (c == 0) c = a.Kind.CompareTo(b.Kind);
        if (c == 0) c = Names.Compare(a.DisplayName, b.DisplayName);
        return c != 0 ? c : string.CompareOrdinal(a.Address, b.Address);
    }
}
