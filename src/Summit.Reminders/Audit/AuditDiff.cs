using System.Globalization;
using Summit.Reminders.Commitments;
using Summit.Reminders.Meetings;

namespace Summit.Reminders.Audit;

/// <summary>The fields a change changed, old → new, as the API names and shows them. People are "Name &lt;address&gt;"
/// (so that an erasure of their address finds every value naming them); participants and owners are listed one by one
/// as added (old null) or removed (new null).</summary>
public static class AuditDiff
{
    /// <summary>What a registration set: the fields a reader needs to follow the later changes.</summary>
    public static IReadOnlyList<AuditChange> Created(Meeting m) => Between(null, m);

    public static IReadOnlyList<AuditChange> Between(Meeting? before, Meeting after)
    {
        var changes = new List<AuditChange>();
        void Add(string field, string? old, string? @new)
        {
            if (!string.Equals(old, @new, StringComparison.Ordinal)) changes.Add(new AuditChange(field, old, @new));
        }
        Add("title", before?.Title, after.Title);
        Add("track", before?.Track, after.Track);
        Add("agenda", before?.Agenda, after.Agenda);
        Add("start", before is null ? null : Start(before), Start(after));
        Add("duration", before?.Duration, after.Duration);
        Add("location", before?.Location, after.Location);
        Add("joinUrl", before?.JoinUrl, after.JoinUrl);
        Add("coordinator", before is null ? null : Person(before.Coordinator), Person(after.Coordinator));
        Add("reminderOffsets", before is null ? null : string.Join(",", before.ReminderOffsets), string.Join(",", after.ReminderOffsets));
        Add("escalateBefore", before?.EscalateBefore, after.EscalateBefore);
        Add("sendWindow", before?.SendWindow?.ToString(), after.SendWindow?.ToString());
        Add("calendarInvitations", before is null ? null : Bool(before.CalendarInvitations), Bool(after.CalendarInvitations));
        Add("useSendGridTemplates", before is null ? null : Bool(before.UseSendGridTemplates), Bool(after.UseSendGridTemplates));
        People(changes, "participants", before?.Participants ?? [], after.Participants);
        return changes;
    }

    public static IReadOnlyList<AuditChange> Between(Commitment? before, Commitment after)
    {
        var changes = new List<AuditChange>();
        void Add(string field, string? old, string? @new)
        {
            if (!string.Equals(old, @new, StringComparison.Ordinal)) changes.Add(new AuditChange(field, old, @new));
        }
        Add("status", before?.Status.ToString().ToLowerInvariant(), after.Status.ToString().ToLowerInvariant());
        Add("title", before?.Title, after.Title);
        Add("track", before?.Track, after.Track);
        Add("meetingId", before?.MeetingId, after.MeetingId);
        Add("details", before?.Details, after.Details);
        Add("due", before is null ? null : Due(before), Due(after));
        Add("coordinator", before is null ? null : Person(before.Coordinator), Person(after.Coordinator));
        Add("reminderOffsets", before is null ? null : string.Join(",", before.ReminderOffsets), string.Join(",", after.ReminderOffsets));
        Add("escalateAfter", before is null ? null : string.Join(",", before.EscalateAfter), string.Join(",", after.EscalateAfter));
        People(changes, "owners", before?.Owners ?? [], after.Owners);
        if (after.Completion is { } done && !ReferenceEquals(done, before?.Completion) && done != before?.Completion)
        {
            Add("note", before?.Completion?.Note, done.Note);
            Add("link", before?.Completion?.Link, done.Link);
        }
        if (after.Dropped is { } dropped && dropped != before?.Dropped) Add("reason", before?.Dropped?.Reason, dropped.Reason);
        if (after.ExtensionRequests.Count > 0 && (before is null || after.ExtensionRequests[^1] != before.ExtensionRequests.LastOrDefault()))
        {
            var request = after.ExtensionRequests[^1];
            Add("proposedDate", null, request.ProposedDate);
            Add("note", null, request.Note);
        }
        return changes;
    }

    private static void People(List<AuditChange> changes, string field, IReadOnlyList<Participant> before, IReadOnlyList<Participant> after)
    {
        var old = before.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var now = after.ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var p in before.Where(p => !now.ContainsKey(p.Id))) changes.Add(new AuditChange(field, Participant(p), null));
        foreach (var p in after.Where(p => !old.ContainsKey(p.Id))) changes.Add(new AuditChange(field, null, Participant(p)));
    }

    private static string Start(Meeting m) => $"{m.StartLocal} {m.TimeZone}";

    private static string Due(Commitment c) => c.DueDate is { } date ? $"{date} {c.TimeZone}" : c.DueUtc.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A person as a history shows them: name and address.</summary>
    public static string Person(Person p) => $"{p.Name} <{p.Email}>";

    private static string Participant(Participant p) => $"{p.Name} <{p.Email}> ({p.Id})";

    private static string Bool(bool value) => value ? "true" : "false";
}
