using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;

namespace Summit.Reminders.Email;

/// <summary>The values every email shares: the meeting's details, in a language, with the time in one zone (and the
/// meeting's own zone beside it when it differs).</summary>
public static class EmailParts
{
    public static Dictionary<string, string?> Details(Meeting meeting, string zone, EmailLanguage language)
    {
        var values = new Dictionary<string, string?>
        {
            ["lang"] = language.Code,
            ["when_label"] = language.When,
            ["when"] = language.Describe(MeetingTime.InZone(meeting.StartUtc, zone), zone),
            ["meeting_when"] = zone == meeting.TimeZone ? null : language.Describe(MeetingTime.InZone(meeting.StartUtc, meeting.TimeZone), meeting.TimeZone),
            ["meeting_time_note"] = language.MeetingTime,
            ["where_label"] = language.Where,
            ["where"] = meeting.Location ?? meeting.JoinUrl,
            ["track_label"] = language.Track,
            ["coordinator_label"] = language.Coordinator,
            ["coordinator_name"] = meeting.Coordinator.Name,
            ["coordinator_email"] = meeting.Coordinator.Email,
            ["agenda_label"] = language.Agenda,
            ["agenda"] = meeting.Agenda,
        };
        AddTrack(values, meeting.Track, language);
        return values;
    }

    /// <summary>The track in the email's language (<c>track</c>), with its description and its id for SendGrid's
    /// templates, which may want either; an id that is no longer a track shows as itself.</summary>
    public static void AddTrack(IDictionary<string, string?> values, string trackId, EmailLanguage language)
    {
        var track = Tracks.Find(trackId);
        values["track_id"] = trackId;
        values["track"] = track?.NameIn(language.Code) ?? trackId;
        values["track_description"] = track?.DescriptionIn(language.Code);
    }

    /// <summary>Adds the participant's two personal links, with their words in the email's language.</summary>
    public static void AddLinks(IDictionary<string, string?> values, LinkPair links, string languageCode)
    {
        var words = LinkPageText.For(languageCode);
        values["ack_url"] = links.Acknowledge;
        values["ack_label"] = words.AckLink;
        values["unsubscribe_url"] = links.Unsubscribe;
        values["unsubscribe_label"] = words.UnsubscribeLink;
        values["links_note"] = words.LinksNote;
    }

    /// <summary>RFC 2369 and RFC 8058 one-click unsubscribe: mail clients show their own "Unsubscribe" and POST to the link.</summary>
    public static IReadOnlyDictionary<string, string> UnsubscribeHeaders(LinkPair links) => new Dictionary<string, string>
    {
        ["List-Unsubscribe"] = $"<{links.Unsubscribe}>",
        ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
    };

    /// <summary>Defence in depth: titles are validated to one line, but a subject must never carry CR/LF (header injection).</summary>
    public static string OneLine(string value) => new(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
}
