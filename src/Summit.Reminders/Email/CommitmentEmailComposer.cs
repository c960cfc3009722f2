using System.Globalization;
using NodaTime.Text;
using Summit.Reminders.Commitments;
using Summit.Reminders.Delivery;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Email;

/// <summary>
/// A commitment's emails: the reminder to each owner before the due moment (<c>due-P2D</c>), in the owner's language
/// and zone, with their Done and I need more time links; and the coordinator's email at each rung of the escalation
/// ladder while it is open (<c>overdue-PT0M</c>, <c>overdue-P2D</c>). A commitment due on a date is due at the end of
/// that day in its zone, and says so ("end of day Seoul time"), with the owner's own clock beside it when it differs.
/// The coordinator is also told, once each, when an owner marks it done through their link (<c>owner-done</c>) and when
/// an owner asks for more time (<c>more-time-1</c>), with what they wrote and what the coordinator can do about it.
/// </summary>
public static class CommitmentEmailComposer
{
    /// <summary>A message sent more than this after its slot's moment (a backlog, retries) says the real time left or
    /// overdue, not the slot's.</summary>
    private static readonly TimeSpan Late = TimeSpan.FromHours(1);

    public static EmailMessage Compose(CommitmentCompositionInput input) => input.Message.Kind switch
    {
        MessageKind.CommitmentReminder => Reminder(input),
        MessageKind.CommitmentEscalation => Escalation(input),
        MessageKind.CommitmentDone => Done(input),
        MessageKind.CommitmentMoreTime => MoreTime(input),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input.Message.Kind, "not a commitment email"),
    };

    /// <summary>Sent at the slot's own moment (give or take <see cref="Late"/>), so its length says how long is left or
    /// overdue. A send window or a working day that moved it, or a late run, makes the real time the one to say.</summary>
    private static bool AtNominalMoment(Commitment commitment, ReminderMessage message, DateTimeOffset now) =>
        now - message.DueAt <= Late
        && (commitment.Plan.FindSlot(message.Offset) is not { } slot || (message.DueAt - slot.DueAt).Duration() < TimeSpan.FromMinutes(1));

    private static EmailMessage Reminder(CommitmentCompositionInput input)
    {
        var (commitment, message) = (input.Commitment, input.Message);
        var owner = input.Owner ?? throw new InvalidOperationException($"{message.Kind} {message.ReminderId} has no owner to write to.");
        var language = EmailLanguage.For(owner.Language);
        var words = CommitmentText.For(language.Code);
        var title = EmailParts.OneLine(commitment.Title);
        var ownerZone = owner.TimeZone ?? commitment.TimeZone;

        // The slot's own length ("due-P2D": in 2 days), which a day of 23 or 25 hours across a DST change does not
        // blur; the real time left when the email goes out late.
        var offset = ReminderOffset.Parse(message.Offset[Slots.CommitmentReminderPrefix.Length..]);
        var left = !AtNominalMoment(commitment, message, input.Now)
            ? language.TimeLeft(commitment.DueUtc - input.Now)
            : language.TimeLeftWords(offset.Days, offset.Hours, offset.Minutes);
        var subject = words.ReminderSubject(title, left);

        var values = Details(commitment, language, words);
        values["subject"] = subject;
        values["greeting"] = language.Greeting(owner.Name);
        values["headline"] = words.ReminderHeadline(commitment.Title, left);
        values["due_note"] = words.DueSentence(left, Due(commitment, language, words));
        values["due_local_note"] = ownerZone == commitment.TimeZone
            ? null
            : words.LocalSentence(language.Describe(MeetingTime.InZone(commitment.DueUtc, ownerZone), ownerZone));
        values["coordinator_label"] = language.Coordinator;
        values["coordinator_name"] = commitment.Coordinator.Name;
        values["coordinator_email"] = commitment.Coordinator.Email;
        // By address: unique among a commitment's owners, and what their ids are made from.
        var others = commitment.Owners.Where(o => !string.Equals(o.Email, owner.Email, StringComparison.OrdinalIgnoreCase)).Select(o => o.Name).ToList();
        values["others_label"] = words.OtherOwners;
        values["others"] = others.Count == 0 ? null : string.Join(", ", others);
        if (input.Links is { } links)
        {
            values["done_url"] = links.Done;
            values["done_label"] = words.DoneLink;
            values["more_time_url"] = links.MoreTime;
            values["more_time_label"] = words.MoreTimeLink;
            values["links_note"] = words.LinksNote;
        }
        var replyTo = commitment.Coordinator.Email.Length == 0 ? null : new EmailAddress(commitment.Coordinator.Email, commitment.Coordinator.Name);
        values["reply_note"] = replyTo is null ? null : words.ReplyNote;
        var (html, text) = EmailTemplates.Render("commitment-reminder", values);

        return new EmailMessage(
            new EmailAddress(owner.Email, owner.Name),
            subject, html, text, [],
            [Slots.Category(MessageKind.CommitmentReminder), commitment.Track],
            CustomArgs(commitment, message))
        {
            ReplyTo = replyTo,
        };
    }

    private static EmailMessage Escalation(CommitmentCompositionInput input)
    {
        var (commitment, message) = (input.Commitment, input.Message);
        var coordinator = commitment.Coordinator;
        var language = EmailLanguage.For(coordinator.Language);
        var words = CommitmentText.For(language.Code);
        var title = EmailParts.OneLine(commitment.Title);

        // How long it has been overdue: the rung's own length ("overdue-P2D": 2 days), or the real time when late.
        var rung = ReminderOffset.Parse(message.Offset[Slots.CommitmentEscalationPrefix.Length..]);
        var (days, hours, minutes) = !AtNominalMoment(commitment, message, input.Now)
            ? Parts(input.Now - commitment.DueUtc)
            : (rung.Days, rung.Hours, rung.Minutes);
        var atDueMoment = days == 0 && hours == 0 && minutes == 0;
        var length = words.Length(days, hours, minutes);
        var subject = atDueMoment ? words.DueNowSubject(title) : words.OverdueSubject(title, length);

        var values = Details(commitment, language, words);
        values["subject"] = subject;
        values["greeting"] = language.Greeting(coordinator.Name);
        values["headline"] = atDueMoment ? words.DueNowHeadline(commitment.Title) : words.OverdueHeadline(commitment.Title, length);
        values["due_label"] = words.Due;
        values["due"] = Due(commitment, language, words);
        values["note"] = words.EscalationNote;
        values["list_label"] = words.Owners;
        values["footer"] = words.EscalationFooter;
        AddProgressLink(values, input, language.Code);
        var owners = commitment.Owners.Select(o => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
        {
            ["name"] = o.Name,
            ["email"] = o.Email,
        }).ToList();
        var lists = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> { ["people"] = owners };
        var (html, text) = EmailTemplates.Render("commitment-escalation", values, lists);

        return new EmailMessage(
            new EmailAddress(coordinator.Email, coordinator.Name),
            subject, html, text, [],
            [Slots.Category(MessageKind.CommitmentEscalation), commitment.Track],
            CustomArgs(commitment, message));
    }

    /// <summary>An owner marked it done through their link: who, when, on time or how late, their note and link, that
    /// nothing more goes out about it, and how to reopen it if it is not really done.</summary>
    private static EmailMessage Done(CommitmentCompositionInput input)
    {
        var (commitment, message) = (input.Commitment, input.Message);
        var completion = commitment.Completion ?? throw new InvalidOperationException($"{message.Kind} {message.ReminderId}: the commitment is not marked done.");
        var coordinator = commitment.Coordinator;
        var language = EmailLanguage.For(coordinator.Language);
        var words = CommitmentText.For(language.Code);
        var owner = commitment.FindOwner(completion.By);
        var subject = words.DoneSubject(EmailParts.OneLine(commitment.Title));

        var values = Details(commitment, language, words);
        values["subject"] = subject;
        values["greeting"] = language.Greeting(coordinator.Name);
        values["headline"] = words.DoneHeadline(owner?.Name, commitment.Title);
        values["when_note"] = words.DoneWhen(language.Describe(MeetingTime.InZone(completion.At, commitment.TimeZone), commitment.TimeZone));
        var due = Due(commitment, language, words);
        var (days, hours, minutes) = Parts(completion.At - commitment.DueUtc);
        // Late by less than half a minute is still a minute late, never "0 minutes late".
        if (days == 0 && hours == 0 && minutes == 0) minutes = 1;
        values["timing_note"] = completion.OnTime ? words.OnTime(due) : words.Late(words.Length(days, hours, minutes), due);
        values["note_label"] = words.Note;
        values["note"] = string.IsNullOrWhiteSpace(completion.Note) ? null : completion.Note;
        values["link_label"] = words.Deliverable;
        values["link"] = string.IsNullOrWhiteSpace(completion.Link) ? null : completion.Link;
        // Validated when it was stored; a link that is not http(s) is still shown, as text only.
        values["link_url"] = IsWebAddress(completion.Link) ? completion.Link : null;
        values["stopped_note"] = words.DoneStopped;
        // A no-break space keeps the method with its path at the end of a line.
        values["reopen_note"] = words.Reopen($"POST\u00A0/api/commitments/{commitment.Id}/reopen");
        values["footer"] = words.DoneFooter;
        AddProgressLink(values, input, language.Code);
        var replyTo = ReplyTo(owner, words, values);
        var (html, text) = EmailTemplates.Render("commitment-done", values);

        return new EmailMessage(
            new EmailAddress(coordinator.Email, coordinator.Name),
            subject, html, text, [],
            [Slots.Category(MessageKind.CommitmentDone), commitment.Track],
            CustomArgs(commitment, message))
        {
            ReplyTo = replyTo,
        };
    }

    /// <summary>An owner asks for more time (their latest request): who, the date they propose beside the current due
    /// moment, their note, and the coordinator's two choices: a PUT with the new due date, or nothing.</summary>
    private static EmailMessage MoreTime(CommitmentCompositionInput input)
    {
        var (commitment, message) = (input.Commitment, input.Message);
        // The request this notice's slot names (more-time-{version}), not merely the latest: two owners asking close
        // together get one notice each, each about its own request.
        var version = Slots.VersionOf(message.Offset);
        var request = commitment.ExtensionRequests.LastOrDefault(r => r.Version == version)
            ?? throw new InvalidOperationException($"{message.Kind} {message.ReminderId}: the commitment has no request for more time of version {version}.");
        var coordinator = commitment.Coordinator;
        var language = EmailLanguage.For(coordinator.Language);
        var words = CommitmentText.For(language.Code);
        var owner = commitment.FindOwner(request.OwnerId);
        var subject = words.MoreTimeSubject(EmailParts.OneLine(commitment.Title));

        var values = Details(commitment, language, words);
        values["subject"] = subject;
        values["greeting"] = language.Greeting(coordinator.Name);
        values["headline"] = words.MoreTimeHeadline(owner?.Name, commitment.Title);
        values["when_note"] = words.AskedWhen(language.Describe(MeetingTime.InZone(request.At, commitment.TimeZone), commitment.TimeZone));
        values["proposed_label"] = words.Proposed;
        values["proposed"] = Proposed(commitment, request.ProposedDate, language, words);
        values["current_label"] = words.CurrentlyDue;
        values["current"] = Due(commitment, language, words);
        values["note_label"] = words.Note;
        values["note"] = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note;
        values["actions_label"] = words.WhatNow;
        values["extend_note"] = words.GiveMoreTime($"PUT\u00A0/api/commitments/{commitment.Id}");
        values["keep_note"] = words.KeepTheDate(owner?.Name);
        values["footer"] = words.MoreTimeFooter;
        AddProgressLink(values, input, language.Code);
        var replyTo = ReplyTo(owner, words, values);
        var (html, text) = EmailTemplates.Render("commitment-more-time", values);

        return new EmailMessage(
            new EmailAddress(coordinator.Email, coordinator.Name),
            subject, html, text, [],
            [Slots.Category(MessageKind.CommitmentMoreTime), commitment.Track],
            CustomArgs(commitment, message))
        {
            ReplyTo = replyTo,
        };
    }

    /// <summary>The owner a notice is about, when still on the commitment with an address: the coordinator's reply goes
    /// to them (the owner is not told anything otherwise).</summary>
    private static EmailAddress? ReplyTo(Participant? owner, CommitmentText words, Dictionary<string, string?> values)
    {
        if (owner is null || owner.Email.Length == 0) return null;
        values["reply_note"] = words.ReplyToOwner(owner.Name);
        return new EmailAddress(owner.Email, owner.Name);
    }

    /// <summary>The proposed date as the end of that day in the commitment's zone, with how much later than the
    /// current due date it is ("Friday 29 January 2027, end of day Seoul time (14 more days)"); a stored value that is
    /// not a date is shown as it is.</summary>
    private static string Proposed(Commitment commitment, string proposedDate, EmailLanguage language, CommitmentText words)
    {
        if (LocalDatePattern.Iso.Parse(proposedDate) is not { Success: true } parsed) return proposedDate;
        var proposed = words.EndOfDay(LocalDatePattern.Create(words.DatePattern, language.Culture).Format(parsed.Value), commitment.TimeZone);
        var currentDay = commitment.DueDate is { } dueDate && LocalDatePattern.Iso.Parse(dueDate) is { Success: true } due
            ? due.Value
            : MeetingTime.InZone(commitment.DueUtc, commitment.TimeZone).Date;
        var more = NodaTime.Period.Between(currentDay, parsed.Value, NodaTime.PeriodUnits.Days).Days;
        return more > 0 ? words.DaysMore(proposed, more) : proposed;
    }

    private static bool IsWebAddress(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    /// <summary>The values every commitment email shares: the language, the track and the details.</summary>
    private static Dictionary<string, string?> Details(Commitment commitment, EmailLanguage language, CommitmentText words)
    {
        var values = new Dictionary<string, string?>
        {
            ["lang"] = language.Code,
            ["track_label"] = language.Track,
            ["details_label"] = words.Details,
            ["details"] = commitment.Details,
        };
        EmailParts.AddTrack(values, commitment.Track, language);
        return values;
    }

    /// <summary>The due moment in the commitment's zone: the end of its date ("Friday 15 January 2027, end of day Seoul
    /// time"), or the exact instant given as dueAt with the zone and its offset.</summary>
    private static string Due(Commitment commitment, EmailLanguage language, CommitmentText words)
    {
        if (commitment.DueDate is { } dueDate && LocalDatePattern.Iso.Parse(dueDate) is { Success: true } parsed)
            return words.EndOfDay(LocalDatePattern.Create(words.DatePattern, language.Culture).Format(parsed.Value), commitment.TimeZone);
        return language.Describe(MeetingTime.InZone(commitment.DueUtc, commitment.TimeZone), commitment.TimeZone);
    }

    /// <summary>Whole days, hours and minutes of a length, rounded to the minute (never negative).</summary>
    private static (int Days, int Hours, int Minutes) Parts(TimeSpan length)
    {
        var total = Math.Max(0, (int)Math.Round(length.TotalMinutes));
        return (total / (24 * 60), total % (24 * 60) / 60, total % 60);
    }

    /// <summary>As every email: SendGrid's events come back with these, and the webhook correlates by <c>meeting_id</c>
    /// (here the commitment's id) and <c>reminder_id</c>.</summary>
    private static Dictionary<string, string> CustomArgs(Commitment commitment, ReminderMessage message) => new()
    {
        ["reminder_id"] = message.ReminderId,
        ["meeting_id"] = commitment.Id,
        ["plan_version"] = message.PlanVersion.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The coordinator's signed link to the track's progress page, when delivery gave one.</summary>
    private static void AddProgressLink(Dictionary<string, string?> values, CommitmentCompositionInput input, string languageCode)
    {
        values["progress_url"] = input.ProgressUrl;
        values["progress_label"] = languageCode switch
        {
            "ko" => "이 분야의 진행 현황 보기",
            "tr" => "Bu alanın ilerlemesini görün",
            _ => "See the progress of this track",
        };
    }
}
