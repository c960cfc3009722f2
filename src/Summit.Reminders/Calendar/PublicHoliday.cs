using NodaTime;

namespace Summit.Reminders.Calendar;

/// <summary>One public holiday of one country on one date. <see cref="Key"/> is stable (<c>chuseok</c>,
/// <c>substitute-liberation-day</c>, <c>kurban-bayrami-eve</c>) so code and tests need not read names.</summary>
public sealed record PublicHoliday(LocalDate Date, string Country, string Key, string NameEn, string NameKo, string NameTr)
{
    /// <summary>null for a full day; for a half day the local time it starts (13:00 in Türkiye).</summary>
    public LocalTime? HalfDayFrom { get; init; }

    /// <summary>A day off given because a holiday fell on a weekend or on another holiday (Korea's 대체공휴일).</summary>
    public bool IsSubstitute { get; init; }

    public string Name(string? language) => language switch { "ko" => NameKo, "tr" => NameTr, _ => NameEn };
}
