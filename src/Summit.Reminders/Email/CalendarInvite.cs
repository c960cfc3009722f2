using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Summit.Reminders.Meetings;

namespace Summit.Reminders.Email;

/// <summary>
/// The RFC 5545 / RFC 5546 calendar entry of a meeting: one UID for its whole life, SEQUENCE from the meeting's version
/// (it grows with every change the coordinator makes, so a calendar always applies the latest), METHOD:REQUEST while
/// it stands and METHOD:CANCEL when it is cancelled.
/// </summary>
public static class CalendarInvite
{
    public static string Uid(string meetingId) => $"{meetingId}@summit-followups";

    /// <summary>The .ics as an attachment. RFC 6047 §2.4: the MIME type's <c>method</c> equals the calendar's METHOD, so
    /// calendar clients (Outlook among them) treat it as an invitation; the text is UTF-8. Email senders that cannot carry
    /// every parameter keep what they can (SendGrid: only <c>method</c>, see docs/architecture.md).</summary>
    public static EmailAttachment Attachment(string ics, string method) =>
        new(method == "CANCEL" ? "cancel.ics" : "invite.ics", $"text/calendar; method={method}; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(ics));

    /// <summary>
    /// The RFC 6068 <c>mailto:</c> URI of an address: characters of the name part that a mailto cannot carry as they are
    /// (<c># &amp; / = ? ^ ` { | } %</c>) percent-encoded, the domain in punycode. Null for an address registration would
    /// refuse today.
    /// </summary>
    public static string? Mailto(string email)
    {
        if (!EmailAddressRules.TryNormalize(email, out var address, out _)) return null;
        var at = address.LastIndexOf('@');
        var local = new System.Text.StringBuilder();
        foreach (var c in address[..at])
            local.Append(char.IsAsciiLetterOrDigit(c) || "-._~!$'()*+,;:".Contains(c) ? c.ToString() : $"%{(int)c:X2}");
        return $"mailto:{local}{address[at..]}";
    }

    public static string Create(Meeting meeting, DateTimeOffset stamp, string method = "REQUEST", IReadOnlyList<Participant>? attendees = null)
    {
        var calendar = new Ical.Net.Calendar { Method = method, ProductId = "-//Summit Follow-ups//Reminders//EN" };
        // The zone with its STANDARD/DAYLIGHT rules (RFC 5545 §3.6.5 needs at least one), so that a calendar without the
        // IANA database still places the meeting right. Ical.Net reads the zone's intervals from a year before the given
        // moment up to the present and writes them as yearly rules; it must be given a moment in the past (the stamp,
        // the TimeProvider's now), never the start: a meeting years ahead would make that range run backwards.
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(meeting.TimeZone, stamp.UtcDateTime.AddYears(-1), includeHistoricalData: false));

        var start = MeetingTime.InZone(meeting.StartUtc, meeting.TimeZone).LocalDateTime;
        var end = MeetingTime.InZone(meeting.EndUtc, meeting.TimeZone).LocalDateTime;
        var calendarEvent = new CalendarEvent
        {
            Uid = Uid(meeting.Id),
            Sequence = (int)(meeting.Version - 1),
            Summary = meeting.Title,
            Description = meeting.Agenda,
            Location = meeting.Location ?? meeting.JoinUrl,
            DtStamp = new CalDateTime(stamp.UtcDateTime),
            DtStart = new CalDateTime(start.ToDateTimeUnspecified(), meeting.TimeZone),
            DtEnd = new CalDateTime(end.ToDateTimeUnspecified(), meeting.TimeZone),
            Status = meeting.Status == MeetingStatus.Cancelled || method == "CANCEL" ? "CANCELLED" : "CONFIRMED",
        };
        if (Mailto(meeting.Coordinator.Email) is { } organizer) calendarEvent.Organizer = new Organizer(organizer) { CommonName = meeting.Coordinator.Name };
        if (meeting.JoinUrl is not null) calendarEvent.Url = new Uri(meeting.JoinUrl);
        foreach (var participant in attendees ?? meeting.Participants)
        {
            // Registration admits only addresses a mailto: carries; one stored before those rules that does not is left
            // off the list rather than costing every participant their invitation.
            if (Mailto(participant.Email) is not { } address) continue;
            calendarEvent.Attendees.Add(new Attendee(address)
            {
                CommonName = participant.Name,
                Role = "REQ-PARTICIPANT",
                ParticipationStatus = "NEEDS-ACTION",
                Rsvp = true,
            });
        }
        foreach (var offsetText in meeting.ReminderOffsets)
        {
            var offset = ReminderOffset.Parse(offsetText);
            calendarEvent.Alarms.Add(new Alarm
            {
                Action = AlarmAction.Display,
                Description = $"{meeting.Title} ({offsetText} before)",
                Trigger = new Trigger(new Duration(weeks: null, days: -offset.Days, hours: -offset.Hours, minutes: -offset.Minutes)),
            });
        }
        calendar.Events.Add(calendarEvent);
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
