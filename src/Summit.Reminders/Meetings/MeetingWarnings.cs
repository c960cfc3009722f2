using System.Globalization;
using NodaTime;
using Summit.Reminders.Calendar;

namespace Summit.Reminders.Meetings;

/// <summary>
/// Something a coordinator may want to know about a meeting that is still valid: it falls on a weekend or a public
/// holiday (or a half day's afternoon) for some of the people in it, each read on their own clock. <see cref="People"/>
/// names them as the request did (<c>coordinator</c>, <c>participants[2]</c>), never by name or address.
/// </summary>
public sealed record MeetingWarning(string Code, string Date, string? Country, string? Holiday, IReadOnlyList<string> People, string Message);

public static class MeetingWarnings
{
    public const string PublicHoliday = "public-holiday";
    public const string HalfDay = "half-day";
    public const string Weekend = "weekend";

    /// <summary>The warnings of a scheduled meeting (none once it is cancelled or completed).</summary>
    public static IReadOnlyList<MeetingWarning> For(Meeting meeting)
    {
        if (meeting.Status != MeetingStatus.Scheduled) return [];
        // Each person on their own clock and with their own country, as their send window reads them.
        var people = new List<(string Path, string Zone, string? Country)>();
        var coordinator = SendWindows.Recipient.CoordinatorOf(meeting);
        people.Add(("coordinator", coordinator.ZoneId, coordinator.Country));
        for (var i = 0; i < meeting.Participants.Count; i++)
        {
            var participant = SendWindows.Recipient.Of(meeting, meeting.Participants[i]);
            people.Add(($"participants[{i}]", participant.ZoneId, participant.Country));
        }

        var start = Instant.FromDateTimeOffset(meeting.StartUtc);
        var end = Instant.FromDateTimeOffset(meeting.EndUtc);
        var found = new List<(string Code, LocalDate Date, string? Country, PublicHoliday? Holiday, string Path)>();
        foreach (var (path, zoneId, country) in people)
        {
            var zone = MeetingTime.FindZone(zoneId) ?? DateTimeZone.Utc;
            var local = start.InZone(zone).LocalDateTime;
            var holidays = country is null ? [] : PublicHolidays.On(country, local.Date);
            if (holidays.FirstOrDefault(h => h.HalfDayFrom is null) is { } holiday)
                found.Add((PublicHoliday, local.Date, country, holiday, path));
            else if (holidays.FirstOrDefault(h => h.HalfDayFrom is not null) is { HalfDayFrom: { } from } half
                     && end > zone.AtLeniently(local.Date.At(from)).ToInstant())
                found.Add((HalfDay, local.Date, country, half, path));
            else if (local.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
                found.Add((Weekend, local.Date, null, null, path));
        }

        return found
            .GroupBy(f => (f.Code, f.Date, f.Country, Key: f.Holiday?.Key))
            .Select(g =>
            {
                var paths = g.Select(f => f.Path).ToList();
                var date = g.Key.Date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);
                var who = Who(paths);
                var holiday = g.First().Holiday;
                var message = g.Key.Code switch
                {
                    PublicHoliday => $"{date} is {holiday!.NameEn} ({holiday.Name(g.Key.Country == "KR" ? "ko" : "tr")}), a public holiday in {g.Key.Country}, for {who}",
                    HalfDay => $"{date} is {holiday!.NameEn} in {g.Key.Country}, a half day from {holiday.HalfDayFrom:HH:mm}, and the meeting runs into the afternoon for {who}",
                    _ => $"{date} is a weekend day for {who}",
                };
                return new MeetingWarning(g.Key.Code, g.Key.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), g.Key.Country, holiday?.NameEn, paths, message);
            })
            .ToList();
    }

    private static string Who(List<string> paths)
    {
        var coordinator = paths.Contains("coordinator");
        var participants = paths.Count(p => p != "coordinator");
        var parts = new List<string>();
        if (coordinator) parts.Add("the coordinator");
        if (participants > 0) parts.Add(participants == 1 ? "1 participant" : $"{participants} participants");
        return string.Join(" and ", parts);
    }
}
