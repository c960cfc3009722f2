using System.Globalization;
using System.Net;
using System.Text;
using NodaTime;
using NodaTime.Text;
using Summit.Reminders.Delivery;
using Summit.Reminders.Meetings;

namespace Summit.Reminders.Email;

/// <summary>
/// Writes the reminder email for one participant. Everything time-related is computed at send time: the wording says
/// how long is really left, even when the reminder is late.
/// </summary>
public static class ReminderEmailComposer
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");
    private static readonly LocalDateTimePattern When = LocalDateTimePattern.Create("dddd d MMMM uuuu, HH':'mm", English);

    public static EmailMessage Compose(Meeting meeting, Participant participant, ReminderMessage reminder, DateTimeOffset now)
    {
        var track = Tracks.Find(meeting.Track);
        var title = OneLine(meeting.Title);
        var left = TimeLeft(meeting.StartUtc - now);
        var participantZone = participant.TimeZone ?? meeting.TimeZone;
        var localWhen = Describe(meeting.StartUtc, participantZone);
        var meetingWhen = participantZone == meeting.TimeZone ? null : Describe(meeting.StartUtc, meeting.TimeZone);
        var where = meeting.Location ?? meeting.JoinUrl;

        var subject = $"Reminder: {title} starts {left}";

        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Dear {participant.Name},")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"\"{meeting.Title}\" starts {left}.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"When:  {localWhen}")
            .AppendLine(meetingWhen is null ? "" : $"       {meetingWhen} (meeting time)")
            .AppendLine(where is null ? "" : $"Where: {where}")
            .AppendLine(CultureInfo.InvariantCulture, $"Track: {track?.Name ?? meeting.Track}")
            .AppendLine(CultureInfo.InvariantCulture, $"Coordinator: {meeting.Coordinator.Name} <{meeting.Coordinator.Email}>")
            .AppendLine()
            .AppendLine(meeting.Agenda is null ? "" : "Agenda:\n" + meeting.Agenda + "\n")
            .AppendLine("The attached invitation adds the meeting to your calendar.")
            .ToString();

        var h = (string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"color-scheme\" content=\"light dark\">")
            .Append(CultureInfo.InvariantCulture, $"<title>{h(subject)}</title></head><body style=\"font-family:sans-serif;line-height:1.5\">")
            .Append(CultureInfo.InvariantCulture, $"<p>Dear {h(participant.Name)},</p>")
            .Append(CultureInfo.InvariantCulture, $"<h1 style=\"font-size:1.3em\">{h(meeting.Title)} starts {h(left)}</h1>")
            .Append("<dl>")
            .Append(CultureInfo.InvariantCulture, $"<dt>When</dt><dd>{h(localWhen)}")
            .Append(meetingWhen is null ? "" : $"<br>{h(meetingWhen)} (meeting time)").Append("</dd>")
            .Append(where is null ? "" : $"<dt>Where</dt><dd>{h(where)}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Track</dt><dd>{h(track?.Name ?? meeting.Track)}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Coordinator</dt><dd>{h(meeting.Coordinator.Name)} &lt;{h(meeting.Coordinator.Email)}&gt;</dd>")
            .Append("</dl>")
            .Append(meeting.Agenda is null ? "" : $"<h2 style=\"font-size:1.1em\">Agenda</h2><p style=\"white-space:pre-line\">{h(meeting.Agenda)}</p>")
            .Append("<p>The attached invitation adds the meeting to your calendar.</p></body></html>")
            .ToString();

        var ics = CalendarInvite.Create(meeting, now);
        return new EmailMessage(
            new EmailAddress(participant.Email, participant.Name),
            subject, html, text,
            [new EmailAttachment("invite.ics", "text/calendar; method=REQUEST; charset=utf-8", Encoding.UTF8.GetBytes(ics))],
            ["reminder", meeting.Track],
            new Dictionary<string, string>
            {
                ["reminder_id"] = reminder.ReminderId,
                ["meeting_id"] = meeting.Id,
                ["plan_version"] = reminder.PlanVersion.ToString(CultureInfo.InvariantCulture),
            });
    }

    /// <summary>"Thursday 10 December 2026, 10:00 (Asia/Seoul, UTC+09)".</summary>
    public static string Describe(DateTimeOffset instant, string zoneId)
    {
        var zoned = MeetingTime.InZone(instant, zoneId);
        return $"{When.Format(zoned.LocalDateTime)} ({zoneId}, UTC{OffsetPattern.CreateWithInvariantCulture("+HH:mm").Format(zoned.Offset)})";
    }

    /// <summary>Human wording of the time left, rounded to what matters: "in 7 days", "in 1 day and 3 hours", "in 2 hours", "in 45 minutes".</summary>
    public static string TimeLeft(TimeSpan left)
    {
        if (left <= TimeSpan.FromMinutes(1)) return "now";
        var minutes = (int)Math.Round(left.TotalMinutes);
        var days = minutes / (24 * 60);
        var hours = minutes % (24 * 60) / 60;
        var mins = minutes % 60;
        static string Unit(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
        if (days >= 2) return "in " + Unit(hours >= 12 ? days + 1 : days, "day");
        if (days == 1) return hours == 0 ? "in 1 day" : $"in 1 day and {Unit(hours, "hour")}";
        if (hours >= 1) return mins == 0 ? "in " + Unit(hours, "hour") : $"in {Unit(hours, "hour")} and {Unit(mins, "minute")}";
        return "in " + Unit(mins, "minute");
    }

    /// <summary>Defence in depth: titles are validated to one line, but a subject must never carry CR/LF (header injection).</summary>
    public static string OneLine(string value) =>
        new(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
}
