namespace GovMail.Core.Usage;

/// <summary>
/// The official days off of state bodies (công chức, viên chức) for 2024–2026, as announced each year, and the Saturdays
/// worked in exchange. Only days that would otherwise be working days are listed; a holiday that falls on a weekend is
/// replaced by the compensatory day (nghỉ bù) that follows.
/// <para>
/// Basis: Bộ luật Lao động 2019, Điều 112 (Tết Dương lịch 1 ngày, Tết Âm lịch 5 ngày, Giỗ Tổ Hùng Vương 10/3 âm lịch,
/// 30/4, 1/5, Quốc khánh 2/9 và 01 ngày liền kề) and Điều 111 khoản 3 (nghỉ bù). Yearly notices:
/// 2024 — Thông báo 5015/TB-LĐTBXH ngày 22/11/2023 (Tết 08–14/02, Quốc khánh 31/8–03/9) and Công văn 2450/VPCP-KGVX ngày
/// 12/4/2024 (nghỉ 27/4–01/5, làm bù thứ Bảy 04/5);
/// 2025 — Thông báo 6150/TB-LĐTBXH (Tết 25/01–02/02, Quốc khánh 30/8–02/9) and the Prime Minister's approval of the swap
/// of Friday 02/5 with Saturday 26/4 (nghỉ 30/4–04/5);
/// 2026 — Công văn 12729/VPCP-KGVX ngày 25/12/2025 (nghỉ 01–04/01, làm bù thứ Bảy 10/01), the approved Tết plan
/// (14/02–22/02), Giỗ Tổ on Sunday 26/4 compensated on Monday 27/4.
/// </para>
/// <para>
/// Not confirmed when this list was written: the day next to Quốc khánh 2026 (taken here as Tuesday 01/9, the Bộ Nội vụ
/// proposal) and any swap around it. A tenant corrects or extends the list in its usage policy.
/// </para>
/// </summary>
public static class VietnamHolidays
{
    private const string NewYear = "Tết Dương lịch";
    private const string Tet = "Tết Nguyên đán";
    private const string HungKings = "Giỗ Tổ Hùng Vương";
    private const string Reunification = "Ngày Chiến thắng 30/4";
    private const string Labour = "Ngày Quốc tế Lao động 1/5";
    private const string National = "Quốc khánh 2/9";
    private const string Swapped = "hoán đổi ngày làm việc";
    private const string Compensatory = "nghỉ bù";

    public static IReadOnlyList<PublicHoliday> DaysOff { get; } =
    [
        // 2024
        Day(2024, 1, 1, NewYear),
        Day(2024, 2, 8, Tet), Day(2024, 2, 9, Tet), Day(2024, 2, 12, Tet), Day(2024, 2, 13, Tet + ", " + Compensatory), Day(2024, 2, 14, Tet + ", " + Compensatory),
        Day(2024, 4, 18, HungKings),
        Day(2024, 4, 29, Reunification + ", " + Swapped), Day(2024, 4, 30, Reunification), Day(2024, 5, 1, Labour),
        Day(2024, 9, 2, National), Day(2024, 9, 3, National),

        // 2025
        Day(2025, 1, 1, NewYear),
        Day(2025, 1, 27, Tet), Day(2025, 1, 28, Tet), Day(2025, 1, 29, Tet), Day(2025, 1, 30, Tet), Day(2025, 1, 31, Tet),
        Day(2025, 4, 7, HungKings),
        Day(2025, 4, 30, Reunification), Day(2025, 5, 1, Labour), Day(2025, 5, 2, Labour + ", " + Swapped),
        Day(2025, 9, 1, National), Day(2025, 9, 2, National),

        // 2026
        Day(2026, 1, 1, NewYear), Day(2026, 1, 2, NewYear + ", " + Swapped),
        Day(2026, 2, 16, Tet), Day(2026, 2, 17, Tet), Day(2026, 2, 18, Tet), Day(2026, 2, 19, Tet), Day(2026, 2, 20, Tet),
        Day(2026, 4, 27, HungKings + ", " + Compensatory),
        Day(2026, 4, 30, Reunification), Day(2026, 5, 1, Labour),
        Day(2026, 9, 1, National), Day(2026, 9, 2, National),
    ];

    /// <summary>Saturdays worked in exchange for a swapped weekday (ngày làm bù).</summary>
    public static IReadOnlyList<DateOnly> WorkedSaturdays { get; } =
    [
        new(2024, 5, 4),
        new(2025, 4, 26),
        new(2026, 1, 10),
    ];

    /// <summary>The first and last year the shipped list covers; outside it only weekends are days off unless the tenant adds more.</summary>
    public const int FirstYear = 2024;
    public const int LastYear = 2026;

    private static PublicHoliday Day(int y, int m, int d, string name) => new(new DateOnly(y, m, d), name);
}
