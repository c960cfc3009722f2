using Summit.Reminders.Commitments;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Digest;

/// <summary>A participant who has not acknowledged the meeting as it is now: no answer yet, or they unsubscribed from it.</summary>
public sealed record Unacknowledged(Participant Participant, bool Unsubscribed);

/// <summary>A participant whose address the email provider reported it cannot deliver to, with its reason and when.</summary>
public sealed record UndeliverableParticipant(Participant Participant, string Reason, DateTimeOffset At);

/// <summary>One meeting of the digest: who has not acknowledged, and whose address cannot receive email.</summary>
public sealed record DigestMeeting(Meeting Meeting, IReadOnlyList<Unacknowledged> NotAcknowledged, IReadOnlyList<UndeliverableParticipant> Undeliverable);

/// <summary>
/// What one day's digest says, as read when it is sent: the scheduled meetings of the subscriber's tracks starting within
/// <see cref="DigestSchedule.Horizon"/>, earliest first, and their open commitments overdue or due within it, most
/// overdue first. <see cref="IsEmpty"/>: nothing to say, so no email.
/// </summary>
public sealed record DigestReport(DigestSubscription Subscription, DateOnly Day, DateTimeOffset Now, IReadOnlyList<DigestMeeting> Meetings, IReadOnlyList<Commitment> Commitments)
{
    public bool IsEmpty => Meetings.Count == 0 && Commitments.Count == 0;

    public const string NothingToReport = "nothing to report: no meeting in the next 7 days and no commitment overdue or due in the next 7 days";

    /// <summary>The report from what is stored (pure: the caller reads).</summary>
    public static DigestReport Build(DigestSubscription subscription, DateOnly day, DateTimeOffset now, IEnumerable<Meeting> meetings,
        Func<string, IReadOnlyList<ParticipantResponse>> answersOf, IEnumerable<Commitment> commitments)
    {
        var until = now + DigestSchedule.Horizon;
        var digestMeetings = meetings
            .Where(m => m.Status == MeetingStatus.Scheduled && m.StartUtc >= now && m.StartUtc < until && subscription.Covers(m.Track))
            .DistinctBy(m => m.Id)
            .OrderBy(m => m.StartUtc).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => Describe(m, answersOf(m.Id)))
            .ToList();
        var due = commitments
            .Where(c => c.Status == CommitmentStatus.Open && c.ErasedAt is null && c.DueUtc < until && subscription.Covers(c.Track))
            .DistinctBy(c => c.Id)
            .OrderBy(c => c.DueUtc).ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        return new DigestReport(subscription, day, now, digestMeetings, due);
    }

    private static DigestMeeting Describe(Meeting meeting, IReadOnlyList<ParticipantResponse> answers)
    {
        var byId = answers.ToDictionary(a => a.ParticipantId, StringComparer.Ordinal);
        var waiting = new List<Unacknowledged>();
        var undeliverable = new List<UndeliverableParticipant>();
        foreach (var participant in meeting.Participants)
        {
            var answer = byId.GetValueOrDefault(participant.Id);
            // An undeliverable address is its own line: the person cannot have read the meeting, and the coordinator
            // must reach them another way.
            if (answer is { IsUndeliverable: true })
                undeliverable.Add(new UndeliverableParticipant(participant, answer.UndeliverableReason ?? "", answer.UndeliverableAt!.Value));
            else if (answer is null || !answer.HasAcknowledged(meeting))
                waiting.Add(new Unacknowledged(participant, answer?.HasUnsubscribed == true));
        }
        return new DigestMeeting(meeting, waiting, [.. undeliverable.OrderBy(u => u.At)]);
    }

    /// <summary>Reads the report at send time: the existing list queries of meetings (scheduled, starting within the
    /// horizon) and commitments (open, due before its end) of each track the subscriber may read, and the answers of
    /// each meeting found. Nothing else is read.</summary>
    public static async Task<DigestReport> ReadAsync(DigestSubscription subscription, DateOnly day, DateTimeOffset now,
        IMeetingStore meetings, ICommitmentStore commitments, IParticipantResponses responses, CancellationToken cancellationToken)
    {
        const int pageSize = 200;
        var until = now + DigestSchedule.Horizon;
        IReadOnlyList<string?> tracks = subscription.Subscriber.Tracks is { } list ? [.. list.Select(t => t.Value).Distinct()] : [null];
        var foundMeetings = new List<Meeting>();
        var foundCommitments = new List<Commitment>();
        foreach (var track in tracks)
        {
            string? token = null;
            do
            {
                var page = await meetings.ListAsync(new MeetingQuery(track, MeetingStatus.Scheduled, now, until), token, pageSize, cancellationToken);
                foundMeetings.AddRange(page.Items);
                token = page.ContinuationToken;
            } while (token is not null);
            do
            {
                var page = await commitments.ListAsync(new CommitmentQuery(track, CommitmentStatus.Open, until), token, pageSize, cancellationToken);
                foundCommitments.AddRange(page.Items);
                token = page.ContinuationToken;
            } while (token is not null);
        }
        var answers = new Dictionary<string, IReadOnlyList<ParticipantResponse>>(StringComparer.Ordinal);
        foreach (var meeting in foundMeetings.DistinctBy(m => m.Id))
            answers[meeting.Id] = await responses.ListAsync(meeting.Id, cancellationToken);
        return Build(subscription, day, now, foundMeetings, id => answers.GetValueOrDefault(id) ?? [], foundCommitments);
    }
}
