using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Summit.Functions.Http;
using Summit.Reminders.Erasure;

namespace Summit.Functions.Meetings;

/// <summary>What is left of an erased meeting, as the API shows it: no title, names or addresses.</summary>
public sealed record TombstoneResponse(
    string Id, string Track, DateTimeOffset StartUtc, DateTimeOffset EndUtc, string FinalStatus, int Participants,
    int EmailsSent, int EmailsFailed, int EmailsSkipped, string Reason, string State, DateTimeOffset RequestedAt, DateTimeOffset? ErasedAt)
{
    public static TombstoneResponse From(MeetingTombstone t) => new(
        t.Id, t.Track, t.StartUtc, t.EndUtc, t.FinalStatus.ToString().ToLowerInvariant(), t.Participants,
        t.EmailsSent, t.EmailsFailed, t.EmailsSkipped, t.Reason.ToString().ToLowerInvariant(), t.State, t.RequestedAt, t.ErasedAt);

    public static IActionResult Gone(HttpRequest request, MeetingTombstone tombstone) =>
        Problems.Gone(request, From(tombstone),
            $"Meeting {tombstone.Id} was erased{(tombstone.ErasedAt is { } at ? $" on {at:yyyy-MM-dd}" : "")}; only its anonymous tombstone is kept.");
}
