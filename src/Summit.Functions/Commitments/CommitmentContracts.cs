using System.Globalization;
using Microsoft.AspNetCore.Http;
using Summit.Reminders.Commitments;
using Summit.Reminders.Meetings;

namespace Summit.Functions.Commitments;

/// <summary>A commitment as <c>GET /api/commitments/{id}</c> shows it: what the coordinator registered, its state, and
/// every email of its current plan (each owner's reminders, the coordinator's escalation rungs).</summary>
public sealed record CommitmentResponse(
    string Id, string Title, string Track, string? MeetingId, string? Details, IReadOnlyList<Participant> Owners, Person Coordinator,
    string? DueDate, string TimeZone, DateTimeOffset DueUtc, IReadOnlyList<string> ReminderOffsets, IReadOnlyList<string> EscalateAfter,
    string Status, bool Overdue, Completion? Completion, Dropping? Dropped, IReadOnlyList<ExtensionRequest> ExtensionRequests, DateTimeOffset? ErasedAt,
    long Version, int PlanVersion,
    IReadOnlyList<CommitmentEmailStatus> Emails, IReadOnlyList<CommitmentEmailStatus> Notices, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CommitmentResponse From(CommitmentView view, DateTimeOffset now)
    {
        var c = view.Commitment;
        return new CommitmentResponse(c.Id, c.Title, c.Track, c.MeetingId, c.Details, c.Owners, c.Coordinator, c.DueDate, c.TimeZone, c.DueUtc,
            c.ReminderOffsets, c.EscalateAfter, c.Status.ToString().ToLowerInvariant(), c.IsOverdue(now), c.Completion, c.Dropped, c.ExtensionRequests, c.ErasedAt, c.Version,
            c.Plan.PlanVersion, view.Emails, view.Notices, c.CreatedAt, c.UpdatedAt);
    }
}

/// <summary>One commitment in a list: enough to find it and see where it stands.</summary>
public sealed record CommitmentSummary(string Id, string Title, string Track, string? MeetingId, string? DueDate, string TimeZone, DateTimeOffset DueUtc,
    string Status, bool Overdue, int Owners, long Version)
{
    public static CommitmentSummary From(Commitment c, DateTimeOffset now) =>
        new(c.Id, c.Title, c.Track, c.MeetingId, c.DueDate, c.TimeZone, c.DueUtc, c.Status.ToString().ToLowerInvariant(), c.IsOverdue(now), c.Owners.Count, c.Version);
}

public sealed record CommitmentListResponse(IReadOnlyList<CommitmentSummary> Items, string? ContinuationToken);

/// <summary>The query string of <c>GET /api/commitments</c>: <c>track</c>, <c>status</c> (open, done, dropped),
/// <c>dueBefore</c>, <c>pageSize</c> (1–200, default 50) and <c>continuationToken</c>, checked field by field.</summary>
public sealed record CommitmentListQuery(CommitmentQuery Filter, int PageSize, string? ContinuationToken)
{
    public static (CommitmentListQuery? Query, IReadOnlyList<FieldError> Errors) Bind(IQueryCollection query)
    {
        var errors = new List<FieldError>();
        var track = Text(query, "track");
        if (track is not null && Tracks.Find(track) is null) errors.Add(new("track", "is not a track; GET /api/tracks lists them"));
        CommitmentStatus? status = null;
        if (Text(query, "status") is { } s)
        {
            if (s is "open" or "done" or "dropped") status = Enum.Parse<CommitmentStatus>(s, ignoreCase: true);
            else errors.Add(new("status", "must be open, done or dropped"));
        }
        DateTimeOffset? dueBefore = null;
        if (Text(query, "dueBefore") is { } text)
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)) dueBefore = value;
            else errors.Add(new("dueBefore", "must be an ISO 8601 date or date-time, such as 2027-01-15 or 2027-01-15T00:00:00Z"));
        }
        var pageSize = Meetings.MeetingListQuery.DefaultPageSize;
        if (Text(query, "pageSize") is { } size && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > Meetings.MeetingListQuery.MaxPageSize))
            errors.Add(new("pageSize", $"must be a number from 1 to {Meetings.MeetingListQuery.MaxPageSize}"));
        return errors.Count > 0
            ? (null, errors)
            : (new CommitmentListQuery(new CommitmentQuery(track, status, dueBefore), pageSize, Text(query, "continuationToken")), errors);
    }

    private static string? Text(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } value ? value : null;
}
