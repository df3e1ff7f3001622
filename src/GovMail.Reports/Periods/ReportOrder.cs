using System.Globalization;
using GovMail.Core;

namespace GovMail.Reports.Periods;

/// <summary>
/// The order of lines in every report: agency, then department (the agency's own people first), individuals before
/// collective mailboxes, then display name in Vietnamese collation, then address.
/// </summary>
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

    /// <summary>
    /// Sorts in <see cref="Compare"/>'s order with the collation keys computed once per distinct name, which is what makes
    /// a city-wide list of 100,000 names quick to order.
    /// </summary>
    public static void Sort<T>(List<T> items, Func<T, ReportedAccount> account, Func<T, string?>? then = null)
    {
        var info = Messages.Vietnamese.CompareInfo;
        // Collation keys are the costly part (ICU); compute each distinct name's once, on every core.
        var keys = items.Select(account).SelectMany(a => new[] { a.Agency, a.Department ?? "", a.DisplayName })
            .Concat(then is null ? [""] : items.Select(i => then(i) ?? ""))
            .Distinct()
            .AsParallel()
            .Select(s => (Name: s, Key: info.GetSortKey(s, CompareOptions.IgnoreCase)))
            .ToDictionary(x => x.Name, x => x.Key);
        SortKey Key(string s) => keys[s];
        var keyed = items.Select(i =>
        {
            var a = account(i);
            return (Item: i, Agency: Key(a.Agency), Direct: a.Department is null, Department: Key(a.Department ?? ""), a.Kind,
                Name: Key(a.DisplayName), a.Address, Then: Key(then?.Invoke(i) ?? ""));
        }).ToList();
        keyed.Sort((x, y) =>
        {
            var c = SortKey.Compare(x.Agency, y.Agency);
            if (c == 0) c = y.Direct.CompareTo(x.Direct);
            if (c == 0) c = SortKey.Compare(x.Department, y.Department);
            if (c == 0) c = x.Kind.CompareTo(y.Kind);
            if (c == 0) c = SortKey.Compare(x.Name, y.Name);
            if (c == 0) c = string.CompareOrdinal(x.Address, y.Address);
            return c != 0 ? c : SortKey.Compare(x.Then, y.Then);
        });
        items.Clear();
        items.AddRange(keyed.Select(k => k.Item));
    }
}
