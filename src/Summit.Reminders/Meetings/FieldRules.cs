using System.Globalization;

namespace Summit.Reminders.Meetings;

/// <summary>The rules every coordinator-facing field follows, meetings and commitments alike: one-line text, addresses,
/// languages, and how a bad value is quoted back in an error.</summary>
public static class FieldRules
{
    public static string? Language(string? value, string field, List<FieldError> errors)
    {
        if (value is null) return null;
        if (MeetingLimits.Languages.Contains(value)) return value;
        errors.Add(new(field, "must be one of en, ko, tr"));
        return null;
    }

    public static string? SingleLine(string? value, string field, int max, bool required, List<FieldError> errors)
    {
        if (value is null || value.Trim().Length == 0)
        {
            if (required) errors.Add(new(field, "is required and must not be blank"));
            return null;
        }
        if (value.Length > max)
        {
            errors.Add(new(field, $"must be at most {max} characters"));
            return null;
        }
        if (value.Any(char.IsControl))
        {
            errors.Add(new(field, "must be a single line without control characters (no CR, LF or tabs)"));
            return null;
        }
        // Invisible characters that reorder or hide text on a screen (U+202E, U+200B) or break a line where no line may break.
        if (value.Any(c => char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
        {
            errors.Add(new(field, "must not contain invisible format or separator characters (such as U+202E, U+200B, U+2028)"));
            return null;
        }
        return value.Trim();
    }

    public static string? Email(string? value, string field, List<FieldError> errors)
    {
        if (EmailAddressRules.TryNormalize(value, out var address, out var error)) return address;
        errors.Add(new(field, string.IsNullOrWhiteSpace(value) ? error : $"'{Clip(value)}' is not an address every mail system can carry: it {error}"));
        return null;
    }

    public static string Clip(string value)
    {
        var clean = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 60 ? clean : clean[..60] + "…";
    }

    /// <summary>A list of people with name, address, optional time zone and language (a meeting's participants, a
    /// commitment's owners): at least one, at most <paramref name="max"/>, each address once.</summary>
    public static List<Participant> People(IReadOnlyList<ParticipantDraft?>? drafts, string field, string noun, int max, List<FieldError> errors)
    {
        var people = new List<Participant>();
        if (drafts is null || drafts.Count == 0)
            errors.Add(new(field, $"must list at least one {noun}"));
        else if (drafts.Count > max)
            errors.Add(new(field, $"must list at most {max} {noun}s"));
        else
        {
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < drafts.Count; i++)
            {
                var item = $"{field}[{i}]";
                var p = drafts[i];
                if (p is null)
                {
                    errors.Add(new(item, "must be an object with name and email"));
                    continue;
                }
                var name = SingleLine(p.Name, item + ".name", MeetingLimits.NameMaxLength, required: true, errors);
                var email = Email(p.Email, item + ".email", errors);
                if (email is not null && !seen.TryAdd(email, i))
                {
                    errors.Add(new(item + ".email", $"repeats {field}[{seen[email]}].email; each {noun} needs a distinct email"));
                    email = null;
                }
                string? tz = null;
                if (p.TimeZone is not null)
                {
                    if (MeetingTime.FindZone(p.TimeZone) is null)
                        errors.Add(new(item + ".timeZone", $"'{Clip(p.TimeZone)}' is not an IANA time zone (examples: Asia/Seoul, Europe/Istanbul)"));
                    else tz = p.TimeZone;
                }
                var language = Language(p.Language, item + ".language", errors);
                var country = Country(p.Country, item + ".country", errors);
                var window = SendWindows.SendWindow.Validate(p.SendWindow, item + ".sendWindow", errors);
                if (name is not null && email is not null) people.Add(new Participant(MeetingValidator.NoIdYet, name, email, tz, language, country, window));
            }
        }
        return people;
    }

    /// <summary>A coordinator: a name, an address and the language of their emails (English when absent).</summary>
    public static Person? Coordinator(PersonDraft? draft, string field, List<FieldError> errors)
    {
        if (draft is null)
        {
            errors.Add(new(field, "is required: { \"name\": ..., \"email\": ... }"));
            return null;
        }
        var name = SingleLine(draft.Name, field + ".name", MeetingLimits.NameMaxLength, required: true, errors);
        var email = Email(draft.Email, field + ".email", errors);
        var language = Language(draft.Language, field + ".language", errors);
        string? zone = null;
        if (draft.TimeZone is not null)
        {
            if (MeetingTime.FindZone(draft.TimeZone) is null)
                errors.Add(new(field + ".timeZone", $"'{Clip(draft.TimeZone)}' is not an IANA time zone (examples: Asia/Seoul, Europe/Istanbul)"));
            else zone = draft.TimeZone;
        }
        var country = Country(draft.Country, field + ".country", errors);
        return name is not null && email is not null ? new Person(name, email, language, zone, country) : null;
    }

    /// <summary>A country whose public holidays the calendar knows (KR, TR), upper-cased; absent means "from the time zone".</summary>
    public static string? Country(string? value, string field, List<FieldError> errors)
    {
        if (value is null) return null;
        var code = value.Trim().ToUpperInvariant();
        if (Calendar.PublicHolidays.IsKnownCountry(code)) return code;
        errors.Add(new(field, $"'{Clip(value)}' is not a country whose public holidays are known here: use {string.Join(" or ", Calendar.PublicHolidays.Countries)}, " +
            "or leave it out (then the country follows the time zone, and elsewhere only weekends count)"));
        return null;
    }

    /// <summary>Free text over several lines (an agenda, a commitment's details): no control characters but line breaks
    /// and tabs; blank is absent.</summary>
    public static string? MultiLine(string? value, string field, int max, List<FieldError> errors)
    {
        if (value is null) return null;
        if (value.Length > max) errors.Add(new(field, $"must be at most {max} characters"));
        else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            errors.Add(new(field, "must not contain control characters other than line breaks and tabs"));
        else return value.Trim() is { Length: > 0 } text ? text : null;
        return null;
    }
}
