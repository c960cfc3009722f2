using NodaTime;
using NodaTime.Text;
using Summit.Reminders.Meetings;

namespace Summit.Reminders.Commitments;

/// <summary>The validated content of a <see cref="CommitmentDraft"/>. <see cref="DueUtc"/> is the due moment (the start,
/// in <see cref="Zone"/>, of the day after <see cref="DueDate"/>, or the exact instant), from which reminders count back
/// and the escalation ladder counts on.</summary>
public sealed record CommitmentContent(
    string Title, string Track, string? MeetingId, string? Details, IReadOnlyList<Participant> Owners, Person Coordinator,
    LocalDate? DueDate, DateTimeZone Zone, Instant DueUtc,
    IReadOnlyList<ReminderOffset> Offsets, IReadOnlyList<ReminderOffset> Rungs);

public static class CommitmentValidator
{
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;
    private static readonly OffsetDateTimePattern[] InstantPatterns =
    [
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<G>"),
    ];

    public static (CommitmentContent? Content, IReadOnlyList<FieldError> Errors) Validate(CommitmentDraft draft, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        var title = FieldRules.SingleLine(draft.Title, "title", MeetingLimits.TitleMaxLength, required: true, errors);

        var track = draft.Track?.Trim();
        if (string.IsNullOrEmpty(track)) errors.Add(new("track", $"is required: one of {string.Join(", ", Tracks.All.Select(t => t.Id))}"));
        else if (Tracks.Find(track) is null)
            errors.Add(new("track", $"'{FieldRules.Clip(track)}' is not a track; use one of: {string.Join(", ", Tracks.All.Select(t => t.Id))}"));

        string? meetingId = null;
        if (draft.MeetingId is not null)
        {
            if (draft.MeetingId.Length is 0 or > 64 || !draft.MeetingId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                errors.Add(new("meetingId", $"'{FieldRules.Clip(draft.MeetingId)}' is not a meeting id (the id from POST /api/meetings)"));
            else meetingId = draft.MeetingId;
        }

        var details = FieldRules.MultiLine(draft.Details, "details", CommitmentLimits.DetailsMaxLength, errors);
        var owners = FieldRules.People(draft.Owners, "owners", "owner", CommitmentLimits.MaxOwners, errors);
        var coordinator = FieldRules.Coordinator(draft.Coordinator, "coordinator", errors);

        var zone = MeetingTime.FindZone(draft.TimeZone);
        if (string.IsNullOrWhiteSpace(draft.TimeZone)) errors.Add(new("timeZone", "is required: an IANA time zone such as Asia/Seoul or Europe/Istanbul (the day a dueDate ends in)"));
        else if (zone is null) errors.Add(new("timeZone", $"'{FieldRules.Clip(draft.TimeZone)}' is not an IANA time zone (examples: Asia/Seoul, Europe/Istanbul)"));

        var (dueDate, dueUtc) = Due(draft, zone, now, errors);

        var offsets = Offsets(draft.ReminderOffsets ?? CommitmentLimits.DefaultOffsets, "reminderOffsets", CommitmentLimits.MaxOffsets,
            CommitmentLimits.MinOffset, CommitmentLimits.MaxOffset, before: true, errors);
        var rungs = Offsets(draft.EscalateAfter ?? CommitmentLimits.DefaultEscalation, "escalateAfter", CommitmentLimits.MaxRungs,
            TimeSpan.Zero, CommitmentLimits.MaxRung, before: false, errors);

        if (errors.Count > 0 || title is null || track is null || coordinator is null || zone is null || dueUtc is null)
            return (null, errors);
        return (new CommitmentContent(title, track, meetingId, details, owners, coordinator, dueDate, zone, dueUtc.Value,
            offsets.OrderByDescending(o => o.ApproximateLength).ToList(), rungs.OrderBy(o => o.ApproximateLength).ToList()), errors);
    }

    /// <summary>The due moment: the end of <c>dueDate</c> in the zone (the start of the next day there, which a DST change at
    /// midnight may move to 01:00), or the exact <c>dueAt</c>; at least 5 minutes and at most two years ahead.</summary>
    private static (LocalDate? Date, Instant? Utc) Due(CommitmentDraft draft, DateTimeZone? zone, DateTimeOffset now, List<FieldError> errors)
    {
        var hasDate = !string.IsNullOrWhiteSpace(draft.DueDate);
        var hasInstant = !string.IsNullOrWhiteSpace(draft.DueAt);
        if (hasDate && hasInstant)
        {
            errors.Add(new("dueAt", "cannot be given with dueDate: send a date (due at the end of that day) or an exact instant"));
            return (null, null);
        }
        if (!hasDate && !hasInstant)
        {
            errors.Add(new("dueDate", "is required (or dueAt): a date such as 2027-01-15, due at the end of that day in timeZone"));
            return (null, null);
        }
        var field = hasDate ? "dueDate" : "dueAt";
        LocalDate? date = null;
        Instant instant;
        if (hasDate)
        {
            var parsed = DatePattern.Parse(draft.DueDate!.Trim());
            if (!parsed.Success)
            {
                errors.Add(new(field, $"'{FieldRules.Clip(draft.DueDate!)}' is not a date like 2027-01-15"));
                return (null, null);
            }
            date = parsed.Value;
            if (date.Value.Year < now.Year - 1 || date.Value.Year > now.Year + 3)
            {
                errors.Add(new(field, date.Value.Year < now.Year ? "is in the past: a commitment is due after today" : "must be at most two years ahead"));
                return (null, null);
            }
            if (zone is null) return (date, null);
            instant = zone.AtStartOfDay(date.Value.PlusDays(1)).ToInstant();
        }
        else
        {
            var parsed = InstantPatterns.Select(p => p.Parse(draft.DueAt!.Trim())).FirstOrDefault(r => r.Success);
            if (parsed is null)
            {
                errors.Add(new(field, $"'{FieldRules.Clip(draft.DueAt!)}' is not an instant with its offset like 2027-01-15T09:00+09:00 or 2027-01-15T00:00Z"));
                return (null, null);
            }
            if (parsed.Value.Year < now.Year - 1 || parsed.Value.Year > now.Year + 3)
            {
                errors.Add(new(field, parsed.Value.Year < now.Year ? "is in the past: a commitment is due in the future" : "must be at most two years ahead"));
                return (null, null);
            }
            instant = parsed.Value.ToInstant();
            if (zone is null) return (null, null);
        }
        var at = instant.ToDateTimeOffset();
        if (at < now + CommitmentLimits.MinLeadTime)
        {
            errors.Add(new(field, hasDate
                ? $"is in the past: the end of {DatePattern.Format(date!.Value)} in {zone.Id} ({at.UtcDateTime:yyyy-MM-dd HH:mm} UTC) must be at least {CommitmentLimits.MinLeadTime.TotalMinutes:0} minutes from now"
                : $"is in the past: it must be at least {CommitmentLimits.MinLeadTime.TotalMinutes:0} minutes from now"));
            return (null, null);
        }
        if (at > now + CommitmentLimits.MaxLeadTime)
        {
            errors.Add(new(field, $"must be at most {CommitmentLimits.MaxLeadTime.TotalDays:0} days (two years) ahead, before {(now + CommitmentLimits.MaxLeadTime).UtcDateTime:yyyy-MM-dd} UTC"));
            return (null, null);
        }
        return (date, instant);
    }

    private static List<ReminderOffset> Offsets(IReadOnlyList<string?> texts, string field, int max, TimeSpan min, TimeSpan longest, bool before, List<FieldError> errors)
    {
        var offsets = new List<ReminderOffset>();
        if (texts.Count > max)
        {
            errors.Add(new(field, $"must list at most {max} durations"));
            return offsets;
        }
        for (var i = 0; i < texts.Count; i++)
        {
            var item = $"{field}[{i}]";
            var text = texts[i];
            if (text?.TrimStart().StartsWith('-') == true)
            {
                errors.Add(new(item, before
                    ? "would fall after the due moment: reminders count back from it (escalateAfter counts on from it)"
                    : "would fall before the due moment: the escalation counts on from it (reminderOffsets count back)"));
                continue;
            }
            if (!ReminderOffset.TryParse(text, out var offset, out var error)) errors.Add(new(item, error.Replace("before the start", before ? "before the due moment" : "after the due moment", StringComparison.Ordinal)));
            else if (offset.ApproximateLength < min || offset.ApproximateLength > longest)
                errors.Add(new(item, before ? "must be between 5 minutes (PT5M) and 180 days (P180D)" : "must be between 0 (PT0M: at the due moment) and 90 days (P90D)"));
            else if (offsets.FindIndex(o => o.ApproximateLength == offset.ApproximateLength) is var same and >= 0)
                errors.Add(new(item, $"is as long as {offsets[same]}; each length may appear once"));
            else offsets.Add(offset);
        }
        return offsets;
    }
}
