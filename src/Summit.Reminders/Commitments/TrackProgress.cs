using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Commitments;

/// <summary>How a track's commitments stand: open (of which due within 7 days, and overdue), done on time, done late,
/// dropped.</summary>
public sealed record ProgressCounts(int Open, int DueWithin7Days, int Overdue, int DoneOnTime, int DoneLate, int Dropped)
{
    public int Total => Open + DoneOnTime + DoneLate + Dropped;
}

/// <summary>One commitment as the progress of its track lists it.</summary>
public sealed record ProgressItem(string Id, string Title, string? DueDate, string TimeZone, DateTimeOffset DueUtc, string State, int Owners,
    DateTimeOffset? ClosedAt);

/// <summary>A track's progress at <see cref="AsOf"/>: its counts, every commitment (open ones by due moment first, then
/// closed ones, latest first), and every track's counts for the chart.</summary>
public sealed record TrackProgress(Track Track, DateTimeOffset AsOf, ProgressCounts Counts, IReadOnlyList<ProgressItem> Items,
    IReadOnlyList<(Track Track, ProgressCounts Counts)> AllTracks);

/// <summary>The joint economic committee's view of the commitments it monitors: per track, what is open, due soon,
/// overdue, done on time or late, dropped. One scan of the commitments (fine for thousands; a larger register would keep
/// counters).</summary>
public sealed class ProgressService(ICommitmentStore store, TimeProvider time)
{
    public static readonly TimeSpan Soon = TimeSpan.FromDays(7);

    public async Task<TrackProgress?> ForTrackAsync(string trackId, CancellationToken cancellationToken)
    {
        if (Tracks.Find(trackId) is not { } track) return null;
        var now = time.GetUtcNow();
        var all = new List<Commitment>();
        await foreach (var stored in store.ScanAsync(cancellationToken)) all.Add(stored.Commitment);
        var byTrack = Tracks.All.Select(t => (t, Count(all.Where(c => c.Track == t.Id), now))).ToList();
        var items = all.Where(c => c.Track == trackId)
            .OrderBy(c => c.Status == CommitmentStatus.Open ? 0 : 1)
            .ThenBy(c => c.Status == CommitmentStatus.Open ? c.DueUtc.UtcTicks : -(c.ClosedAt ?? c.DueUtc).UtcTicks)
            .Select(c => new ProgressItem(c.Id, c.Title, c.DueDate, c.TimeZone, c.DueUtc, State(c, now), c.Owners.Count, c.ClosedAt))
            .ToList();
        return new TrackProgress(track, now, byTrack.Single(x => x.t.Id == trackId).Item2, items, byTrack);
    }

    /// <summary>open, due-soon, overdue, done-on-time, done-late or dropped.</summary>
    public static string State(Commitment c, DateTimeOffset now) => c.Status switch
    {
        CommitmentStatus.Done => c.Completion?.OnTime == true ? "done-on-time" : "done-late",
        CommitmentStatus.Dropped => "dropped",
        _ when now >= c.DueUtc => "overdue",
        _ when c.DueUtc - now <= Soon => "due-soon",
        _ => "open",
    };

    private static ProgressCounts Count(IEnumerable<Commitment> commitments, DateTimeOffset now)
    {
        var states = commitments.Select(c => State(c, now)).ToList();
        int N(string s) => states.Count(x => x == s);
        return new ProgressCounts(N("open") + N("due-soon") + N("overdue"), N("due-soon"), N("overdue"), N("done-on-time"), N("done-late"), N("dropped"));
    }
}
