using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Functions.Identity;
using Summit.Reminders.Calendar;

namespace Summit.Functions.Holidays;

/// <summary>A country's public holidays in one year, in date order, with the laws and tables they come from.</summary>
public sealed record HolidayListResponse(string Country, int Year, string Source, IReadOnlyList<HolidayResponse> Holidays);

/// <summary>One public holiday: <see cref="Key"/> is stable, <see cref="Names"/> are for people; a half day starts at
/// <see cref="HalfDayFrom"/> (local time).</summary>
public sealed record HolidayResponse(string Date, string Key, HolidayNames Names, bool HalfDay, string? HalfDayFrom, bool Substitute)
{
    public static HolidayResponse From(PublicHoliday h) => new(
        h.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), h.Key, new HolidayNames(h.NameEn, h.NameKo, h.NameTr),
        h.HalfDayFrom is not null, h.HalfDayFrom?.ToString("HH:mm", CultureInfo.InvariantCulture), h.IsSubstitute);
}

public sealed record HolidayNames(string En, string Ko, string Tr);

/// <summary>Reference data: a country's public holidays in one year (any signed-in caller or automation key, like the track list).</summary>
public sealed class HolidaysApi(Guard guard)
{
    [Function("ListPublicHolidays")]
    [Needs(Need.SignedIn)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/calendar/holidays")] HttpRequest request) =>
        guard.RunAsync(request, Need.SignedIn, () => Task.FromResult(ListCore(request)));

    private static IActionResult ListCore(HttpRequest request)
    {
        var country = request.Query["country"].ToString().Trim().ToUpperInvariant(); // kr and KR alike, as in meetings
        if (!PublicHolidays.IsKnownCountry(country))
            return Problems.Invalid(request, "country", $"must be one of {string.Join(", ", PublicHolidays.Countries)}");
        var yearText = request.Query["year"].ToString();
        if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < PublicHolidays.FirstYear or > PublicHolidays.LastYear)
            return Problems.Invalid(request, "year", $"must be a year from {PublicHolidays.FirstYear} to {PublicHolidays.LastYear}");

        return new OkObjectResult(new HolidayListResponse(country, year, Source(country),
            PublicHolidays.For(country, year).Select(HolidayResponse.From).ToList()));
    }

    private static string Source(string country) => country == "KR"
        ? "Act on Public Holidays and Regulations on Holidays of Government Offices (substitute holidays; Constitution Day from 2026), Korean lunisolar calendar (Korea Astronomy and Space Science Institute), Public Official Election Act art. 34 (statutory election days). Temporary holidays and early elections are not included."
        : "Law 2429 on National Holidays and General Holidays; Ramazan and Kurban Bayramı on the dates the Presidency of Religious Affairs (Diyanet İşleri Başkanlığı) publishes. Bridge days granted to civil servants are not public holidays and are not included.";
}
