using System.Globalization;
using Microsoft.AspNetCore.Http;
using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;

namespace Summit.Functions.Meetings;

/// <summary>The query string of <c>GET /api/meetings</c>: <c>track</c>, <c>status</c>, <c>from</c>, <c>to</c>,
/// <c>undeliverable</c> (true or false), <c>pageSize</c> (1–200, default 50) and <c>continuationToken</c>, checked field by field.</summary>
public sealed record MeetingListQuery(MeetingQuery Filter, int PageSize, string? ContinuationToken)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static (MeetingListQuery? Query, IReadOnlyList<FieldError> Errors) Bind(IQueryCollection query)
    {
        var errors = new List<FieldError>();
        var track = Text(query, "track");
        if (track is not null && Tracks.Find(track) is null) errors.Add(new("track", "is not a track; GET /api/tracks lists them"));
        MeetingStatus? status = null;
        if (Text(query, "status") is { } s)
        {
            if (s is "scheduled" or "cancelled" or "completed") status = Enum.Parse<MeetingStatus>(s, ignoreCase: true);
            else errors.Add(new("status", "must be scheduled, cancelled or completed"));
        }
        var from = Instant(query, "from", errors);
        var to = Instant(query, "to", errors);
        var undeliverable = false;
        if (Text(query, "undeliverable") is { } u && !bool.TryParse(u, out undeliverable))
            errors.Add(new("undeliverable", "must be true or false"));
        var pageSize = DefaultPageSize;
        if (Text(query, "pageSize") is { } size && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
            errors.Add(new("pageSize", $"must be a number from 1 to {MaxPageSize}"));
        return errors.Count > 0
            ? (null, errors)
            : (new MeetingListQuery(new MeetingQuery(track, status, from, to, undeliverable), pageSize, Text(query, "continuationToken")), errors);
    }

    private static string? Text(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } value ? value : null;

    private static DateTimeOffset? Instant(IQueryCollection query, string field, List<FieldError> errors)
    {
        if (Text(query, field) is not { } text) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return value;
        errors.Add(new(field, "must be an ISO 8601 date or date-time, such as 2026-12-01 or 2026-12-01T09:00:00Z"));
        return null;
    }
}
