using Microsoft.Extensions.Options;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Participation;

/// <summary>The two links of one participant for one meeting, as they go into an email.</summary>
public sealed record LinkPair(string Acknowledge, string Unsubscribe);

/// <summary>Builds participants' and owners' signed links: <c>{BaseUrl}/api/p/acknowledge?token=...</c>, <c>.../unsubscribe</c>,
/// and for a commitment's owner <c>.../done</c> and <c>.../more-time</c>.</summary>
public sealed class ParticipantLinks(LinkSigner signer, IOptions<LinkOptions> options)
{
    public const string Route = "p";
    private readonly LinkOptions _options = options.Value;

    public LinkPair For(Meeting meeting, Participant participant)
    {
        var expires = meeting.EndUtc + _options.ValidAfterMeeting;
        return new LinkPair(
            Url(ParticipantAction.Acknowledge, signer.Sign(new LinkClaims(meeting.Id, participant.Id, ParticipantAction.Acknowledge, expires))),
            Url(ParticipantAction.Unsubscribe, signer.Sign(new LinkClaims(meeting.Id, participant.Id, ParticipantAction.Unsubscribe, expires))));
    }

    /// <summary>An owner's two links for a commitment, valid until <see cref="LinkOptions.ValidAfterMeeting"/> after the
    /// due moment (a late Done is still welcome, and worth more than none).</summary>
    public Email.CommitmentLinkPair ForCommitment(Commitments.Commitment commitment, Participant owner)
    {
        var expires = commitment.DueUtc + TimeSpan.FromDays(90) + _options.ValidAfterMeeting;
        return new Email.CommitmentLinkPair(
            Url(ParticipantAction.Done, signer.Sign(new LinkClaims(commitment.Id, owner.Id, ParticipantAction.Done, expires))),
            Url(ParticipantAction.MoreTime, signer.Sign(new LinkClaims(commitment.Id, owner.Id, ParticipantAction.MoreTime, expires))));
    }

    /// <summary>A coordinator's link to a track's progress page, as the commitment escalation carries it: read-only,
    /// valid for <see cref="ProgressLinkLifetime"/>, in the coordinator's language.</summary>
    public string ForProgress(string trackId, string? language, DateTimeOffset now)
    {
        var token = signer.Sign(new LinkClaims(trackId, Slots.Coordinator, ParticipantAction.Progress, now + ProgressLinkLifetime));
        return Url(ParticipantAction.Progress, token) + (language is null ? "" : "&lang=" + Uri.EscapeDataString(language));
    }

    public static readonly TimeSpan ProgressLinkLifetime = TimeSpan.FromDays(30);

    public static string PathSegment(ParticipantAction action) => action switch
    {
        ParticipantAction.Acknowledge => "acknowledge",
        ParticipantAction.Unsubscribe => "unsubscribe",
        ParticipantAction.Done => "done",
        ParticipantAction.MoreTime => "more-time",
        _ => "progress",
    };

    public static ParticipantAction? FromPathSegment(string? segment) => segment switch
    {
        "acknowledge" => ParticipantAction.Acknowledge,
        "unsubscribe" => ParticipantAction.Unsubscribe,
        "done" => ParticipantAction.Done,
        "more-time" => ParticipantAction.MoreTime,
        "progress" => ParticipantAction.Progress,
        _ => null,
    };

    private string Url(ParticipantAction action, string token) =>
        $"{_options.BaseUrl.TrimEnd('/')}/api/{Route}/{PathSegment(action)}?token={Uri.EscapeDataString(token)}";
}
