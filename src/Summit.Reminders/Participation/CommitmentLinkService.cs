using Microsoft.Extensions.Logging;
using NodaTime.Text;
using Summit.Reminders.Commitments;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Participation;

/// <summary>What an owner sent with a Done or More-time form: a note, a link to the deliverable, a proposed date.</summary>
public sealed record OwnerForm(string? Note, string? Link, string? Date);

/// <summary>
/// An owner's links from a commitment reminder. Opening one (GET) shows a form and changes nothing (mail scanners fetch
/// links); sending it (POST) marks the commitment done, or asks the coordinator for more time, through the same use
/// cases as the API (<see cref="CommitmentService"/>), so the coordinator is told once and every later email stops.
/// </summary>
public sealed partial class CommitmentLinkService(
    LinkSigner signer, ICommitmentStore store, CommitmentService commitments, TimeProvider time, ILogger<CommitmentLinkService> logger)
{
    public static bool Handles(string? pathAction) =>
        ParticipantLinks.FromPathSegment(pathAction) is ParticipantAction.Done or ParticipantAction.MoreTime;

    public Task<LinkPage> ShowAsync(string? action, string? token, string? acceptLanguage, CancellationToken cancellationToken) =>
        HandleAsync(action, token, acceptLanguage, null, cancellationToken);

    public Task<LinkPage> ConfirmAsync(string? action, string? token, OwnerForm form, string? acceptLanguage, CancellationToken cancellationToken) =>
        HandleAsync(action, token, acceptLanguage, form, cancellationToken);

    private async Task<LinkPage> HandleAsync(string? pathAction, string? token, string? acceptLanguage, OwnerForm? form, CancellationToken cancellationToken)
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
        var fallbackWords = CommitmentPageText.For(fallback.Code);
        if ((await store.GetAsync(claims.MeetingId, cancellationToken))?.Commitment is not { } commitment || commitment.ErasedAt is not null)
            return Error(LinkOutcome.Gone, "gone", fallback, fallbackWords.Gone);
        if (commitment.FindOwner(claims.ParticipantId) is not { } owner)
            return Error(LinkOutcome.Gone, "not-owner", fallback, fallbackWords.NotOwner, commitment);
        var text = LinkPageText.For(owner.Language);
        var words = CommitmentPageText.For(owner.Language);
        var done = claims.Action == ParticipantAction.Done;

        if (commitment.Status == CommitmentStatus.Done)
            return done
                ? Page(LinkOutcome.Done, "already-done", text, words, commitment, owner, words.DoneDone, words.AlreadyDone)
                : Error(LinkOutcome.Conflict, "closed", text, words.Closed, commitment, owner);
        if (commitment.Status == CommitmentStatus.Dropped) return Error(LinkOutcome.Conflict, "dropped", text, words.Dropped, commitment, owner);

        if (form is null) return Form(LinkOutcome.Done, done, text, words, commitment, owner, token!, null, null, time.GetUtcNow());

        // The owner acts through their link: their id is the actor of the history's entry.
        CommitmentResult result;
        using (Audit.RequestOrigin.As(Audit.Actor.ParticipantLink(owner.Id)))
            result = done
            ? await commitments.CompleteByOwnerAsync(commitment.Id, owner.Id, new CompletionDraft { Note = form.Note, Link = form.Link }, cancellationToken)
            : await commitments.RequestMoreTimeAsync(commitment.Id, owner.Id, form.Date, form.Note, cancellationToken);
        switch (result)
        {
            case CommitmentResult.Changed:
                LogRecorded(logger, commitment.Id, owner.Id, claims.Action);
                return done
                    ? Page(LinkOutcome.Done, "done", text, words, commitment, owner, words.DoneDone, words.DoneDoneExplain)
                    : Page(LinkOutcome.Done, "more-time-sent", text, words, commitment, owner, words.MoreDone, words.MoreDoneExplain);
            case CommitmentResult.Invalid invalid2:
                return Form(LinkOutcome.Invalid, done, text, words, commitment, owner, token!, form, Explain(invalid2.Errors, words, commitment, time.GetUtcNow()), time.GetUtcNow());
            case CommitmentResult.StateConflict:
            case CommitmentResult.VersionMismatch:
                // Changed meanwhile (the coordinator, another owner): show it as it is now.
                return await HandleAsync(pathAction, token, acceptLanguage, null, cancellationToken);
            default:
                return Error(LinkOutcome.Gone, "gone", text, words.Gone);
        }
    }

    /// <summary>The validator's problem, in the owner's words.</summary>
    private static string Explain(IReadOnlyList<FieldError> errors, CommitmentPageText words, Commitment commitment, DateTimeOffset now)
    {
        var first = errors[0];
        return first.Field switch
        {
            "date" => first.Message.Contains("two years", StringComparison.Ordinal) ? words.DateTooFar
                : words.DateAfter(LocalDatePattern.Iso.Format(CommitmentRules.FirstProposableDate(commitment, now).PlusDays(-1))),
            "link" => words.BadLink,
            "note" => first.Message.Contains("at most", StringComparison.Ordinal) ? words.NoteTooLong : words.FixForm,
            "owner" => words.NotOwner,
            _ => words.FixForm,
        };
    }

    private static string Due(Commitment commitment, Participant owner, LinkPageText text)
    {
        var zone = owner.TimeZone ?? commitment.TimeZone;
        return EmailLanguage.For(text.Code).Describe(MeetingTime.InZone(commitment.DueUtc, zone), zone);
    }

    private static LinkPage Form(LinkOutcome outcome, bool done, LinkPageText text, CommitmentPageText words, Commitment commitment, Participant owner,
        string token, OwnerForm? form, string? error, DateTimeOffset now)
    {
        var values = Values(done ? "confirm-done" : "confirm-more-time", text, words, commitment, owner,
            done ? words.DoneQuestion : words.MoreQuestion, done ? words.DoneExplain : words.MoreExplain(Due(commitment, owner, text)));
        values["button"] = done ? words.DoneButton : words.MoreButton;
        values["token"] = token;
        values["note"] = text.NothingYet;
        values["note_label"] = words.NoteLabel;
        values["note_value"] = form?.Note;
        values["error"] = error;
        if (done)
        {
            values["link_label"] = words.LinkLabel;
            values["link_value"] = form?.Link;
        }
        else
        {
            values["date_label"] = words.DateLabel;
            values["date_min"] = LocalDatePattern.Iso.Format(CommitmentRules.FirstProposableDate(commitment, now)); // as the service checks it
            values["date_value"] = form?.Date;
        }
        return new LinkPage(outcome, EmailTemplates.RenderHtml("commitment-page", values), done ? "confirm-done" : "confirm-more-time");
    }

    private static Dictionary<string, string?> Values(string kind, LinkPageText text, CommitmentPageText words, Commitment? commitment, Participant? owner,
        string heading, string message) => new()
    {
        ["lang"] = text.Code,
        ["page"] = kind,
        ["heading"] = heading,
        ["meeting_title"] = commitment is null || commitment.Title.Length == 0 ? null : commitment.Title,
        ["meeting_when"] = commitment is null || owner is null ? null : words.DueLine(Due(commitment, owner, text)),
        ["message"] = message,
        ["contact"] = commitment is null || commitment.Coordinator.Email.Length == 0 ? null : text.Contact(commitment.Coordinator.Name, commitment.Coordinator.Email),
    };

    private static LinkPage Page(LinkOutcome outcome, string kind, LinkPageText text, CommitmentPageText words, Commitment commitment, Participant owner,
        string heading, string message) =>
        new(outcome, EmailTemplates.RenderHtml("commitment-page", Values(kind, text, words, commitment, owner, heading, message)), kind);

    private static LinkPage Error(LinkOutcome outcome, string kind, LinkPageText text, string message, Commitment? commitment = null, Participant? owner = null) =>
        new(outcome, EmailTemplates.RenderHtml("commitment-page",
            Values("error-" + kind, text, CommitmentPageText.For(text.Code), commitment, owner, text.ErrorHeading, message)), "error-" + kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an owner's link: {Problem}")]
    private static partial void LogRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner {OwnerId} of commitment {CommitmentId}: {Action} recorded")]
    private static partial void LogRecorded(ILogger logger, string commitmentId, string ownerId, ParticipantAction action);
}
