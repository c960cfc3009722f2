using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Reminders.Calendar;

namespace Summit.Functions.Holidays;

/// <summary>Reference data: a country's public holidays in one year (function key, like the other coordinator reads).</summary>
public sealed class HolidaysApi
{
    [Function("ListPublicHolidays")]
    public IActionResult List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/calendar/holidays")] HttpRequest request)
    {
        var country = request.Query["country"].ToString().Trim().ToUpperInvariant(); // kr and KR alike, as in meetings
        if (!PublicHolidays.IsKnownCountry(country))
            return Problems.Invalid(request, "country", $"must be one of {string.Join(", ", PublicHolidays.Countries)}");
        var yearText = request.Query["year"].ToString();
        if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < PublicHolidays.FirstYear or > PublicHolidays.LastYear)
            return Problems.Invalid(request, "year", $"must be a year from {PublicHolidays.FirstYear} to {PublicHolidays.LastYear}");

        return new OkObjectResult(new
        {
            country,
            year,
            source = Source(country),
            holidays = PublicHolidays.For(country, year).Select(h => new
            {
                date = h.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                key = h.Key,
                names = new { en = h.NameEn, ko = h.NameKo, tr = h.NameTr },
                halfDay = h.HalfDayFrom is not null,
                halfDayFrom = h.HalfDayFrom?.ToString("HH:mm", CultureInfo.InvariantCulture),
                substitute = h.IsSubstitute,
            }),
        });
    }

    private static string Source(string country) => country == "KR"
        ? "Act on Public Holidays and Regulations on Holidays of Government Offices (substitute holidays; Constitution Day from 2026), Korean lunisolar calendar (Korea Astronomy and Space Science Institute), Public Official Election Act art. 34 (statutory election days). Temporary holidays and early elections are not included."
        : "Law 2429 on National Holidays and General Holidays; Ramazan and Kurban Bayramı on the dates the Presidency of Religious Affairs (Diyanet İşleri Başkanlığı) publishes. Bridge days granted to civil servants are not public holidays and are not included.";
}
