using Microsoft.Extensions.Options;
using Summit.Reminders.Meetings;

namespace Summit.Reminders.Participation;

/// <summary>The two links of one participant for one meeting, as they go into an email.</summary>
public sealed record LinkPair(string Acknowledge, string Unsubscribe);

/// <summary>Builds participants' signed links: <c>{BaseUrl}/api/p/acknowledge?token=...</c> and <c>.../unsubscribe?token=...</c>.</summary>
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

    public static string PathSegment(ParticipantAction action) => action == ParticipantAction.Acknowledge ? "acknowledge" : "unsubscribe";

    public static ParticipantAction? FromPathSegment(string? segment) => segment switch
    {
        "acknowledge" => ParticipantAction.Acknowledge,
        "unsubscribe" => ParticipantAction.Unsubscribe,
        _ => null,
    };

    private string Url(ParticipantAction action, string token) =>
        $"{_options.BaseUrl.TrimEnd('/')}/api/{Route}/{PathSegment(action)}?token={Uri.EscapeDataString(token)}";
}
