using System.Globalization;
using NodaTime;

namespace Summit.Reminders.Meetings;

/// <summary>The validated content of a <see cref="MeetingDraft"/>: everything a meeting has except its identity and state.</summary>
public sealed record MeetingContent(
    string Title, string Track, string? Agenda, LocalDateTime StartLocal, DateTimeZone Zone, Instant StartUtc,
    string Duration, string? Location, string? JoinUrl, Person Coordinator, IReadOnlyList<Participant> Participants,
    IReadOnlyList<ReminderOffset> Offsets, ReminderOffset? EscalateBefore = null, bool UseSendGridTemplates = false,
    SendWindows.SendWindow? SendWindow = null, bool CalendarInvitations = true);

public static class MeetingValidator
{
    public static (MeetingContent? Content, IReadOnlyList<FieldError> Errors) Validate(MeetingDraft draft, DateTimeOffset now)
    {
        var errors = new List<FieldError>();

        var title = FieldRules.SingleLine(draft.Title, "title", MeetingLimits.TitleMaxLength, required: true, errors);

        var track = draft.Track?.Trim();
        if (string.IsNullOrEmpty(track)) errors.Add(new("track", $"is required: one of {string.Join(", ", Tracks.All.Select(t => t.Id))}"));
        else if (Tracks.Find(track) is null)
            errors.Add(new("track", $"'{FieldRules.Clip(track)}' is not a track; use one of: {string.Join(", ", Tracks.All.Select(t => t.Id))}"));

        var agenda = FieldRules.MultiLine(draft.Agenda, "agenda", MeetingLimits.AgendaMaxLength, errors);

        var zone = MeetingTime.FindZone(draft.TimeZone);
        if (string.IsNullOrWhiteSpace(draft.TimeZone)) errors.Add(new("timeZone", "is required: an IANA time zone such as Asia/Seoul or Europe/Istanbul"));
        else if (zone is null) errors.Add(new("timeZone", $"'{FieldRules.Clip(draft.TimeZone)}' is not an IANA time zone (examples: Asia/Seoul, Europe/Istanbul)"));

        LocalDateTime startLocal = default;
        Instant startUtc = default;
        var startOk = false;
        if (string.IsNullOrWhiteSpace(draft.Start)) errors.Add(new("start", "is required: a local date-time such as 2026-12-10T10:00, read in timeZone"));
        else if (!MeetingTime.TryParseLocal(draft.Start, out startLocal))
            errors.Add(new("start", $"'{FieldRules.Clip(draft.Start)}' is not a local date-time like 2026-12-10T10:00 (no offset: the zone goes in timeZone)"));
        else if (startLocal.Year < now.Year - 1 || startLocal.Year > now.Year + 3)
            // Far out of range, before any zone arithmetic (year 1 in Seoul or 9999 in New York would overflow it).
            errors.Add(new("start", startLocal.Year < now.Year
                ? $"must be at least {MeetingLimits.MinLeadTime.TotalMinutes:0} minutes in the future"
                : $"must be at most {MeetingLimits.MaxLeadTime.TotalDays:0} days (two years) ahead, before {(now + MeetingLimits.MaxLeadTime).UtcDateTime:yyyy-MM-dd} UTC"));
        else if (zone is not null)
        {
            if (!MeetingTime.TryResolveStart(startLocal, zone, out startUtc, out var zoneError)) errors.Add(new("start", zoneError));
            else if (startUtc.ToDateTimeOffset() < now + MeetingLimits.MinLeadTime)
                errors.Add(new("start", $"must be at least {MeetingLimits.MinLeadTime.TotalMinutes:0} minutes in the future"));
            else if (startUtc.ToDateTimeOffset() > now + MeetingLimits.MaxLeadTime)
                errors.Add(new("start", $"must be at most {MeetingLimits.MaxLeadTime.TotalDays:0} days (two years) ahead, before {(now + MeetingLimits.MaxLeadTime).UtcDateTime:yyyy-MM-dd} UTC"));
            else startOk = true;
        }

        var duration = "PT1H";
        if (draft.Duration is not null)
        {
            if (!ReminderOffset.TryParse(draft.Duration, out var d, out var durationError)) errors.Add(new("duration", durationError));
            else if (d.ApproximateLength < MeetingLimits.MinDuration || d.ApproximateLength > MeetingLimits.MaxDuration)
                errors.Add(new("duration", "must be between 5 minutes (PT5M) and 14 days (P14D)"));
            else duration = d.ToString();
        }

        var location = FieldRules.SingleLine(draft.Location, "location", MeetingLimits.LocationMaxLength, required: false, errors);
        string? joinUrl = null;
        if (!string.IsNullOrWhiteSpace(draft.JoinUrl))
        {
            if (draft.JoinUrl.Length > MeetingLimits.UrlMaxLength || !Uri.TryCreate(draft.JoinUrl.Trim(), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("https" or "http"))
                errors.Add(new("joinUrl", "must be an absolute http or https URL"));
            else joinUrl = uri.AbsoluteUri;
        }

        var coordinator = FieldRules.Coordinator(draft.Coordinator, "coordinator", errors);

        var participants = FieldRules.People(draft.Participants, "participants", "participant", MeetingLimits.MaxParticipants, errors);

        var offsets = new List<ReminderOffset>();
        var offsetTexts = draft.ReminderOffsets ?? ReminderOffset.Defaults;
        if (offsetTexts.Count < MeetingLimits.MinOffsets || offsetTexts.Count > MeetingLimits.MaxOffsets)
            errors.Add(new("reminderOffsets", $"must list between {MeetingLimits.MinOffsets} and {MeetingLimits.MaxOffsets} offsets (leave it out for P7D, P1D, PT2H)"));
        else
        {
            for (var i = 0; i < offsetTexts.Count; i++)
            {
                var field = $"reminderOffsets[{i}]";
                if (!ReminderOffset.TryParse(offsetTexts[i], out var offset, out var offsetError))
                    errors.Add(new(field, offsetError));
                else if (offset.ApproximateLength < MeetingLimits.MinOffset || offset.ApproximateLength > MeetingLimits.MaxOffset)
                    errors.Add(new(field, "must be between 5 minutes (PT5M) and 180 days (P180D)"));
                else if (offsets.FindIndex(o => o.ApproximateLength == offset.ApproximateLength) is var same and >= 0)
                    errors.Add(new(field, offsets[same] == offset
                        ? $"repeats {offset}; each offset may appear once"
                        : $"is as long as {offsets[same]}, which would send the same reminder twice; each length may appear once"));
                else offsets.Add(offset);
            }
        }

        ReminderOffset? escalateBefore = null;
        if (draft.EscalateBefore is not null)
        {
            if (!ReminderOffset.TryParse(draft.EscalateBefore, out var escalation, out var escalationError)) errors.Add(new("escalateBefore", escalationError));
            else if (escalation.ApproximateLength < MeetingLimits.MinOffset || escalation.ApproximateLength > MeetingLimits.MaxOffset)
                errors.Add(new("escalateBefore", "must be between 5 minutes (PT5M) and 180 days (P180D)"));
            else escalateBefore = escalation;
        }

        var sendWindow = SendWindows.SendWindow.Validate(draft.SendWindow, "sendWindow", errors);

        if (errors.Count > 0 || !startOk || title is null || track is null || coordinator is null || zone is null)
            return (null, errors);

        return (new MeetingContent(title, track, agenda, startLocal, zone, startUtc, duration, location, joinUrl, coordinator,
            participants, offsets.OrderByDescending(o => o.ApproximateLength).ToList(), escalateBefore, draft.UseSendGridTemplates ?? false,
            sendWindow, draft.CalendarInvitations ?? true), errors);
    }

    /// <summary>The id of a validated participant until the meeting service gives them theirs (ParticipantIds).</summary>
    public const string NoIdYet = "";
}
