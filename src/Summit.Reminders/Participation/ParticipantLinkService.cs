using Microsoft.Extensions.Logging;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Participation;

/// <summary>A page for the participant's browser: its HTTP status and HTML.</summary>
/// <summary>What became of a link: shown or done, or why not. The HTTP function maps it to a status code.</summary>
public enum LinkOutcome { Done, Invalid, Expired, Gone, Conflict }

public sealed record LinkPage(LinkOutcome Outcome, string Html, string Kind);

/// <summary>
/// What a participant's link does. Opening it (GET) only shows a page with a button, so a mail scanner that fetches
/// links changes nothing; pressing the button (POST) records the answer. Every problem gets a page that says what is
/// wrong, in the participant's language when the link tells us who they are.
/// </summary>
public sealed partial class ParticipantLinkService(
    LinkSigner signer, IMeetingStore meetings, IParticipantResponses responses, Audit.AuditTrail audit, TimeProvider time, ILogger<ParticipantLinkService> logger)
{
    public Task<LinkPage> ShowAsync(string? action, string? token, string? acceptLanguage, CancellationToken cancellationToken) =>
        HandleAsync(action, token, acceptLanguage, record: false, cancellationToken);

    public Task<LinkPage> ConfirmAsync(string? action, string? token, string? acceptLanguage, CancellationToken cancellationToken) =>
        HandleAsync(action, token, acceptLanguage, record: true, cancellationToken);

    private async Task<LinkPage> HandleAsync(string? pathAction, string? token, string? acceptLanguage, bool record, CancellationToken cancellationToken)
    {
        var fallback = LinkPageText.FromAcceptLanguage(acceptLanguage);
        var action = ParticipantLinks.FromPathSegment(pathAction);
        var check = signer.Check(token);
        if (check is LinkCheck.Invalid invalid)
        {
            LogRefused(logger, invalid.Problem.ToString());
            return invalid.Problem == LinkProblem.Expired
                ? Error(LinkOutcome.Expired, "expired", fallback, fallback.Expired)
                : Error(LinkOutcome.Invalid, "invalid", fallback, fallback.Invalid);
        }
        var claims = ((LinkCheck.Valid)check).Claims;
        if (action != claims.Action)
        {
            LogRefused(logger, "ActionMismatch");
            return Error(LinkOutcome.Invalid, "invalid", fallback, fallback.Invalid);
        }

        var stored = await meetings.GetAsync(claims.MeetingId, cancellationToken);
        if (stored is null) return Error(LinkOutcome.Gone, "gone", fallback, fallback.Gone);
        var meeting = stored.Meeting;
        var participant = meeting.FindParticipant(claims.ParticipantId);
        if (participant is null) return Error(LinkOutcome.Gone, "not-participant", fallback, fallback.NotParticipant, meeting);
        var text = LinkPageText.For(participant.Language);

        if (claims.Action == ParticipantAction.Acknowledge)
        {
            if (meeting.Status == MeetingStatus.Cancelled) return Error(LinkOutcome.Conflict, "cancelled", text, text.Cancelled, meeting, participant);
            if (meeting.Status == MeetingStatus.Completed || time.GetUtcNow() >= meeting.StartUtc)
                return Error(LinkOutcome.Conflict, "over", text, text.Over, meeting, participant);
        }

        var response = await responses.GetAsync(meeting.Id, participant.Id, cancellationToken);
        var already = claims.Action == ParticipantAction.Acknowledge
            ? response?.HasAcknowledged(meeting) == true
            : response?.HasUnsubscribed == true;
        var ack = claims.Action == ParticipantAction.Acknowledge;

        if (!record && !already)
            return Page(LinkOutcome.Done, ack ? "confirm-acknowledge" : "confirm-unsubscribe", text, meeting, participant,
                ack ? text.AckQuestion : text.UnsubscribeQuestion, ack ? text.AckExplain : text.UnsubscribeExplain,
                button: ack ? text.AckButton : text.UnsubscribeButton, token: token);

        if (record && !already)
        {
            var now = time.GetUtcNow();
            using var origin = Audit.RequestOrigin.As(Audit.Actor.ParticipantLink(participant.Id));
            var entry = await audit.BeginAsync(meeting.Id, ack ? Audit.AuditActions.Acknowledged : Audit.AuditActions.Unsubscribed,
                [new Audit.AuditChange("participant", null, participant.Id)], null, cancellationToken);
            if (ack) await responses.AcknowledgeAsync(meeting.Id, participant.Id, now, meeting.StartUtc, cancellationToken);
            else await responses.UnsubscribeAsync(meeting.Id, participant.Id, now, cancellationToken);
            await audit.SettleAsync(meeting.Id, entry, landed: true, cancellationToken);
            LogRecorded(logger, meeting.Id, participant.Id, claims.Action);
        }
        return ack
            ? Page(LinkOutcome.Done, "acknowledged", text, meeting, participant, text.AckDone, already ? text.AckAlready : text.AckDoneExplain)
            : Page(LinkOutcome.Done, "unsubscribed", text, meeting, participant, text.UnsubscribeDone, already ? text.UnsubscribeAlready : text.UnsubscribeDoneExplain);
    }

    private static LinkPage Error(LinkOutcome status, string kind, LinkPageText text, string message, Meeting? meeting = null, Participant? participant = null) =>
        Page(status, "error-" + kind, text, meeting, participant, text.ErrorHeading, message);

    private static LinkPage Page(LinkOutcome status, string kind, LinkPageText text, Meeting? meeting, Participant? participant,
        string heading, string message, string? button = null, string? token = null)
    {
        string? when = null;
        if (meeting is not null)
        {
            var zone = participant?.TimeZone ?? meeting.TimeZone;
            when = EmailLanguage.For(text.Code).Describe(MeetingTime.InZone(meeting.StartUtc, zone), zone);
        }
        var html = EmailTemplates.RenderHtml("page", new Dictionary<string, string?>
        {
            ["lang"] = text.Code,
            ["page"] = kind,
            ["heading"] = heading,
            ["meeting_title"] = meeting?.Title,
            ["meeting_when"] = when,
            ["message"] = message,
            ["button"] = button,
            ["token"] = token,
            ["note"] = text.NothingYet,
            ["contact"] = meeting is null || meeting.Coordinator.Email.Length == 0 ? null : text.Contact(meeting.Coordinator.Name, meeting.Coordinator.Email),
        });
        return new LinkPage(status, html, kind);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a participant link: {Problem}")]
    private static partial void LogRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Participant {ParticipantId} of meeting {MeetingId}: {Action} recorded")]
    private static partial void LogRecorded(ILogger logger, string meetingId, string participantId, ParticipantAction action);
}
