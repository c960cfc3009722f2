using Summit.Reminders.Delivery;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;
using Summit.Reminders.Ports;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Email;

/// <summary>What one email needs besides the meeting: its recipient (null for the coordinator's escalation), the
/// participant's links, and for an escalation the ledger's deliveries and the participants' answers.</summary>
public sealed record CompositionInput(
    Meeting Meeting, Participant? Participant, ReminderMessage Message, DateTimeOffset Now,
    IReadOnlyList<DeliveryRecord> Deliveries, IReadOnlyList<ParticipantResponse> Answers);

/// <summary>Writes the email of one queued message. A seam for delivery: composing one recipient's email may fail
/// (a bug, data no template expected), and delivery must then fail that message alone.</summary>
public interface IEmailComposer
{
    EmailMessage Compose(CompositionInput input);

    /// <summary>A commitment's email: an owner's reminder or the coordinator's rung.</summary>
    EmailMessage Compose(CommitmentCompositionInput input);

    /// <summary>A coordinator's daily digest.</summary>
    EmailMessage Compose(DigestCompositionInput input);
}

/// <summary>Picks the composer by kind: reminders, the coordinator's escalation and undeliverable notice, and the participant notices.</summary>
public sealed class EmailComposer(ParticipantLinks links) : IEmailComposer
{
    public EmailMessage Compose(CompositionInput input) => input.Message.Kind switch
    {
        MessageKind.Reminder => ReminderEmailComposer.Compose(input.Meeting, Recipient(input), input.Message, input.Now, links.For(input.Meeting, Recipient(input))),
        MessageKind.Escalation => EscalationEmailComposer.Compose(input.Meeting, input.Message, input.Deliveries, input.Answers, input.Now),
        MessageKind.Undeliverable => UndeliverableEmailComposer.Compose(input.Meeting, input.Message, input.Deliveries, input.Answers),
        _ => NoticeEmailComposer.Compose(input.Meeting, Recipient(input), input.Message, input.Now, links.For(input.Meeting, Recipient(input))),
    };

    public EmailMessage Compose(CommitmentCompositionInput input) => CommitmentEmailComposer.Compose(input);

    public EmailMessage Compose(DigestCompositionInput input) => DigestEmailComposer.Compose(input.Report, input.Message);

    private static Participant Recipient(CompositionInput input) =>
        input.Participant ?? throw new InvalidOperationException($"{input.Message.Kind} {input.Message.ReminderId} has no participant to write to.");
}

/// <summary>What one commitment email needs: the commitment, its recipient (an owner for a reminder; null for the
/// coordinator's emails), the queued message, the owner's signed links when there are any (<see cref="CommitmentLinkPair"/>:
/// Done, and I need more time), and for the coordinator's emails the signed link to the track's progress page.</summary>
public sealed record CommitmentCompositionInput(
    Commitments.Commitment Commitment, Participant? Owner, ReminderMessage Message, DateTimeOffset Now, CommitmentLinkPair? Links = null,
    string? ProgressUrl = null);

/// <summary>An owner's two signed links in a commitment reminder.</summary>
public sealed record CommitmentLinkPair(string Done, string MoreTime);

/// <summary>What a digest email needs: the day's report, read at sending, and the queued message.</summary>
public sealed record DigestCompositionInput(Digest.DigestReport Report, ReminderMessage Message);
