using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;
using Summit.Reminders.Meetings;

namespace Summit.Reminders.SendWindows;

/// <summary>
/// The hours of a recipient's own day in which reminders may reach them ("08:00"–"21:00", both ends included), on
/// their time zone's clock. A window never crosses midnight and is at least an hour long. <see cref="Days"/> is
/// <c>working</c> (null: the default; reminders of a day or more leave weekends and public holidays) or <c>all</c>.
/// </summary>
public sealed record SendWindow(string Start, string End, string? Days = null)
{
    public const string WorkingDays = "working";
    public const string AllDays = "all";

    /// <summary>Whether reminders of a day or more keep off this recipient's weekends and public holidays.</summary>
    [JsonIgnore]
    public bool KeepsToWorkingDays => Days != AllDays;

    public static readonly TimeSpan MinLength = TimeSpan.FromHours(1);
    private static readonly LocalTimePattern Pattern = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    /// <summary>08:00–21:00: the default unless the settings say otherwise.</summary>
    public static SendWindow Standard { get; } = new("08:00", "21:00");

    [JsonIgnore]
    public LocalTime StartTime => Pattern.Parse(Start).Value;
    [JsonIgnore]
    public LocalTime EndTime => Pattern.Parse(End).Value;

    public override string ToString() => $"{Start}–{End}";

    /// <summary>What tells two windows apart in a recipient's key.</summary>
    [JsonIgnore]
    public string Key => $"{Start}-{End}{(KeepsToWorkingDays ? "" : "-all")}";

    /// <summary>A window from what a caller sent, or why not: times as HH:mm, the end after the start on the same day, an
    /// hour at least.</summary>
    public static SendWindow? Validate(SendWindowDraft? draft, string field, List<FieldError> errors)
    {
        if (draft is null) return null;
        var start = Time(draft.Start, field + ".start", errors);
        var end = Time(draft.End, field + ".end", errors);
        string? days = null;
        if (draft.Days is not null)
        {
            var given = draft.Days.Trim().ToLowerInvariant();
            if (given is WorkingDays or AllDays) days = given == AllDays ? AllDays : null;
            else
            {
                errors.Add(new(field + ".days", $"must be '{WorkingDays}' (the default: reminders of a day or more leave weekends and public holidays) or '{AllDays}'"));
                return null;
            }
        }
        if (start is not { } s || end is not { } e) return null;
        if (e <= s)
        {
            errors.Add(new(field + ".end", $"must be after start ({Pattern.Format(s)}): a window is a part of one day, such as 08:00–21:00"));
            return null;
        }
        if (Period.Between(s, e, PeriodUnits.Minutes).Minutes < MinLength.TotalMinutes)
        {
            errors.Add(new(field + ".end", $"must be at least an hour after start ({Pattern.Format(s)}): a shorter window would hold reminders back for most of the day"));
            return null;
        }
        return new SendWindow(Pattern.Format(s), Pattern.Format(e), days);
    }

    private static LocalTime? Time(string? text, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new(field, "is required: a local time such as 08:00"));
            return null;
        }
        var result = Pattern.Parse(text.Trim());
        if (!result.Success)
        {
            errors.Add(new(field, $"'{FieldRules.Clip(text)}' is not a time like 08:00 or 21:30 (24-hour clock, hours and minutes)"));
            return null;
        }
        return result.Value;
    }

    /// <summary>For settings: a window from two HH:mm strings, or null when they do not make one.</summary>
    public static SendWindow? TryCreate(string? start, string? end)
    {
        var errors = new List<FieldError>();
        return Validate(new SendWindowDraft { Start = start, End = end }, "window", errors);
    }

    internal static string Format(LocalTime time) => Pattern.Format(time);

    internal static string Format(LocalDateTime time) =>
        time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>A send window as a caller sends it, before validation.</summary>
public sealed record SendWindowDraft
{
    public string? Start { get; init; }
    public string? End { get; init; }
    public string? Days { get; init; }
}

/// <summary>Settings section "SendWindow": the window of every recipient without one of their own or of their meeting.</summary>
public sealed class SendWindowOptions : IValidatableObject
{
    public const string Section = "SendWindow";

    public string Start { get; set; } = SendWindow.Standard.Start;
    public string End { get; set; } = SendWindow.Standard.End;

    public SendWindow Default => SendWindow.TryCreate(Start, End) ?? SendWindow.Standard;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SendWindow.TryCreate(Start, End) is null)
            yield return new ValidationResult(
                $"SendWindow:Start and SendWindow:End must be times like 08:00 and 21:00, the end at least an hour after the start (got '{Start}' and '{End}').",
                [nameof(Start), nameof(End)]);
    }
}
