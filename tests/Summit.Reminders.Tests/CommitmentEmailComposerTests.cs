using Summit.Reminders.Commitments;
using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Tests;

/// <summary>Issue 17: the owners' reminder and the coordinator's rungs, in the reader's language and zone, with the
/// end of a due date said as the end of that day in the commitment's zone.</summary>
public sealed class CommitmentEmailComposerTests
{
    private static readonly DateTimeOffset Now = Drafts.Now; // 2026-11-27 09:00 UTC

    private static readonly CommitmentLinkPair Links = new(
        "https://reminders.example/api/c/done?token=D&x=1", "https://reminders.example/api/c/more-time?token=M");

    private static CommitmentDraft Draft(string? language = "en", string? dueDate = "2027-01-15", string? dueAt = null,
        string title = "Data package for the Sinop evaluation", string? details = "Site survey data and the seismic report\nThe financing model",
        string? ownerZone = "Europe/Istanbul", string? coordinatorLanguage = null) => new()
    {
        Title = title,
        Track = "nuclear-energy",
        Details = details,
        Owners =
        [
            new ParticipantDraft { Name = "Ayşe Yılmaz", Email = "ayse@example.org", TimeZone = ownerZone, Language = language },
            new ParticipantDraft { Name = "Park Ji-ho", Email = "jiho@example.org", TimeZone = "Asia/Seoul", Language = "ko" },
        ],
        Coordinator = new PersonDraft { Name = "Kim Min-jun", Email = "coordinator@example.org", Language = coordinatorLanguage },
        DueDate = dueDate,
        DueAt = dueAt,
        TimeZone = "Asia/Seoul",
    };

    private static Commitment Create(CommitmentDraft draft)
    {
        var (content, errors) = CommitmentValidator.Validate(draft, Now);
        Assert.True(content is not null, string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
        // The ids the service gives owners (from their addresses).
        return Commitment.Create("c1", content with { Owners = content.Owners.Select((o, i) => o with { Id = $"o{i}" }).ToList() }, Now);
    }

    private static ReminderMessage Message(Commitment c, string slot, string recipient) =>
        new(NotificationIds.For(c.Id, c.Plan.PlanId, slot, recipient), c.Id, c.Plan.PlanId, c.Plan.PlanVersion, slot, recipient,
            Assert.Single(c.Plan.Slots, s => s.Offset == slot).DueAt);

    /// <summary>The P2D reminder to the first owner, composed at its moment.</summary>
    private static EmailMessage Reminder(Commitment c, CommitmentLinkPair? links = null, string slot = "due-P2D", TimeSpan late = default)
    {
        var message = Message(c, slot, c.Owners[0].Id);
        return CommitmentEmailComposer.Compose(new CommitmentCompositionInput(c, c.Owners[0], message, message.DueAt + late, links));
    }

    private static EmailMessage Rung(Commitment c, string slot, TimeSpan late = default)
    {
        var message = Message(c, slot, Slots.Coordinator);
        return CommitmentEmailComposer.Compose(new CommitmentCompositionInput(c, null, message, message.DueAt + late));
    }

    [Theory]
    [InlineData("en", "Due in 2 days: Data package for the Sinop evaluation", "Due in 2 days: Data package for the Sinop evaluation",
        "It is due in 2 days, Friday 15 January 2027, end of day Seoul time.",
        "In your time zone that is Friday 15 January 2027, 18:00 (Europe/Istanbul, UTC+03:00).", "Dear Ayşe Yılmaz,")]
    [InlineData("ko", "2일 후 마감: Data package for the Sinop evaluation", "Data package for the Sinop evaluation — 2일 후 마감입니다",
        "마감은 2일 후인 2027년 1월 15일 금요일 24:00 (Asia/Seoul 기준)입니다.",
        "계신 곳의 시각으로는 2027년 1월 15일 금요일 18:00 (Europe/Istanbul, UTC+03:00)입니다.", "Ayşe Yılmaz 님께,")]
    [InlineData("tr", "Son teslim tarihi 2 gün sonra: Data package for the Sinop evaluation", "Data package for the Sinop evaluation için son teslim tarihi 2 gün sonra",
        "Son teslim tarihi 2 gün sonra: 15 Ocak 2027 Cuma, gün sonu (Asia/Seoul saatiyle).",
        "Yerel saatinizle: 15 Ocak 2027 Cuma, 18:00 (Europe/Istanbul, UTC+03:00).", "Sayın Ayşe Yılmaz,")]
    public void TheReminderSaysTheEndOfTheDueDayInTheCommitmentsZoneAndTheOwnersClockBeside(
        string language, string subject, string headline, string due, string local, string greeting)
    {
        var email = Reminder(Create(Draft(language)));

        Assert.Equal(subject, email.Subject);
        Assert.Contains($"<html lang=\"{language}\">", email.Html);
        Assert.Contains($"<h1 style=\"font-size:1.3em;margin:0.5em 0\">{headline}</h1>", email.Html);
        Assert.Contains($"{headline}.", email.Text);
        foreach (var body in new[] { email.Text, email.Html })
        {
            Assert.Contains(due, body);
            Assert.Contains(local, body);
            Assert.Contains(greeting, body);
        }
        Assert.DoesNotContain("<table", email.Html);
        Assert.DoesNotContain("<img", email.Html);
    }

    [Fact]
    public void AnOwnerInTheCommitmentsZoneOrWithoutOneGetsNoSecondClock()
    {
        foreach (var zone in new[] { "Asia/Seoul", null })
        {
            var email = Reminder(Create(Draft(ownerZone: zone)));
            Assert.Contains("It is due in 2 days, Friday 15 January 2027, end of day Seoul time.", email.Text);
            Assert.DoesNotContain("In your time zone", email.Text);
        }
    }

    [Fact]
    public void AnExactDueInstantIsGivenAsThatMomentInTheCommitmentsZoneWithTheOwnersBeside()
    {
        var email = Reminder(Create(Draft(dueDate: null, dueAt: "2027-01-15T09:00+09:00")));

        Assert.Equal("Due in 2 days: Data package for the Sinop evaluation", email.Subject);
        Assert.Contains("It is due in 2 days, Friday 15 January 2027, 09:00 (Asia/Seoul, UTC+09:00).", email.Text);
        Assert.Contains("In your time zone that is Friday 15 January 2027, 03:00 (Europe/Istanbul, UTC+03:00).", email.Text);
        Assert.DoesNotContain("end of day", email.Text);
    }

    [Theory]
    [InlineData("due-P7D", "en", "Due in 7 days: ")]
    [InlineData("due-P1D", "en", "Due in 1 day: ")]
    [InlineData("due-P1D", "ko", "1일 후 마감: ")]
    [InlineData("due-P1D", "tr", "Son teslim tarihi 1 gün sonra: ")]
    public void TheTimeLeftComesFromTheSlot(string slot, string language, string subjectStart) =>
        Assert.StartsWith(subjectStart, Reminder(Create(Draft(language)), slot: slot).Subject);

    [Fact]
    public void AReminderSentLateSaysTheRealTimeLeft()
    {
        var email = Reminder(Create(Draft()), slot: "due-P2D", late: TimeSpan.FromHours(20));
        Assert.Equal("Due in 1 day and 4 hours: Data package for the Sinop evaluation", email.Subject);
        // A retry within the hour still says the slot's words.
        Assert.StartsWith("Due in 2 days:", Reminder(Create(Draft()), late: TimeSpan.FromMinutes(30)).Subject);
    }

    [Fact]
    public void InADayOf23HoursTheP1DReminderStillSaysOneDay()
    {
        // 14 March 2027: New York's clocks go forward, so the P1D reminder is 23 hours before the end of the day.
        var c = Create(Draft(dueDate: "2027-03-14") with { TimeZone = "America/New_York" });
        var email = Reminder(c, slot: "due-P1D");
        Assert.Equal("Due in 1 day: Data package for the Sinop evaluation", email.Subject);
        Assert.Contains("It is due in 1 day, Sunday 14 March 2027, end of day New York time.", email.Text);
    }

    [Theory]
    [InlineData("en", "Done", "I need more time", "it stops every reminder, for every owner")]
    [InlineData("ko", "완료했습니다", "시간이 더 필요합니다", "모든 책임자에게 가는 알림이 중지됩니다")]
    [InlineData("tr", "Tamamlandı", "Daha fazla süreye ihtiyacım var", "tüm sorumlulara giden hatırlatmaları durdurur")]
    public void TheOwnersLinksAreDoneAndINeedMoreTimeAndDoneStopsEveryonesReminders(string language, string done, string moreTime, string note)
    {
        var email = Reminder(Create(Draft(language)), Links);

        Assert.Contains($"<a href=\"https://reminders.example/api/c/done?token=D&amp;x=1\"", email.Html);
        Assert.Contains($">{done}</a>", email.Html);
        Assert.Contains($"<a href=\"https://reminders.example/api/c/more-time?token=M\"", email.Html);
        Assert.Contains($">{moreTime}</a>", email.Html);
        var text = email.Text.ReplaceLineEndings("\n");
        Assert.Contains($"{done}:\n{Links.Done}", text);
        Assert.Contains($"{moreTime}:\n{Links.MoreTime}", text);
        Assert.Contains(note, email.Html);
        Assert.Contains(note, text);
    }

    [Fact]
    public void WithoutLinksThereAreNoButtonsAndNoWordsAboutThem()
    {
        var email = Reminder(Create(Draft()));

        Assert.DoesNotContain("<a ", email.Html);
        Assert.DoesNotContain("Done", email.Text);
        Assert.DoesNotContain("I need more time", email.Text);
        Assert.DoesNotContain("stops every reminder", email.Html);
    }

    [Fact]
    public void TheReminderGoesToTheOwnerWithRepliesToTheCoordinatorAndTheIdsTheWebhookCorrelatesBy()
    {
        var c = Create(Draft());
        var email = Reminder(c, Links);

        Assert.Equal(new EmailAddress("ayse@example.org", "Ayşe Yılmaz"), email.To);
        Assert.Equal(new EmailAddress("coordinator@example.org", "Kim Min-jun"), email.ReplyTo);
        Assert.Equal(["commitment-reminder", "nuclear-energy"], email.Categories);
        Assert.Equal(new Dictionary<string, string>
        {
            ["reminder_id"] = $"c1.{c.Plan.PlanId}.due-P2D.{c.Owners[0].Id}",
            ["meeting_id"] = "c1",
            ["plan_version"] = "1",
        }, email.CustomArgs);
        Assert.Empty(email.Attachments);
        Assert.Empty(email.Headers);
        Assert.Null(email.Template);
    }

    [Fact]
    public void TheReminderShowsTheTrackTheDetailsTheCoordinatorAndTheOtherOwnersOnly()
    {
        var email = Reminder(Create(Draft()));
        var text = email.Text.ReplaceLineEndings("\n");

        Assert.Contains("Track: Nuclear energy", text);
        Assert.Contains("Coordinator: Kim Min-jun <coordinator@example.org>", text);
        Assert.Contains("Other owners: Park Ji-ho\n", text);
        Assert.Contains("Details:\nSite survey data and the seismic report\nThe financing model", text);
        Assert.Contains("white-space:pre-line", email.Html);
        Assert.Contains("Kim Min-jun &lt;coordinator@example.org&gt;", email.Html);
        Assert.Contains("Replying to this email reaches the coordinator.", text);
    }

    [Fact]
    public void ASoleOwnerSeesNoOtherOwnersAndNoDetailsWhenThereAreNone()
    {
        var draft = Draft(details: null);
        var email = Reminder(Create(draft with { Owners = [draft.Owners![0]] }));

        Assert.DoesNotContain("Other owners", email.Text);
        Assert.DoesNotContain("Details", email.Text);
        Assert.DoesNotContain("Other owners", email.Html);
    }

    [Fact]
    public void MarkupInTheTitleAndDetailsShowsAsText()
    {
        var c = Create(Draft(title: "Sinop <b>data</b> package", details: "<script>alert(1)</script>\nline two"));

        foreach (var email in new[] { Reminder(c, Links), Rung(c, "overdue-PT0M") })
        {
            Assert.DoesNotContain("<script>", email.Html);
            Assert.DoesNotContain("<b>", email.Html);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", email.Html);
            Assert.Contains("Sinop &lt;b&gt;data&lt;/b&gt; package", email.Html);
            // The text part is not HTML: it says what was written.
            Assert.Contains("<script>alert(1)</script>\nline two", email.Text.ReplaceLineEndings("\n"));
        }
    }

    [Fact]
    public void AReminderWithoutAnOwnerIsABug()
    {
        var c = Create(Draft());
        var message = Message(c, "due-P2D", c.Owners[0].Id);
        Assert.Throws<InvalidOperationException>(() => CommitmentEmailComposer.Compose(new CommitmentCompositionInput(c, null, message, message.DueAt)));
    }

    [Fact]
    public void AMeetingsMessageIsNotACommitmentEmail()
    {
        var c = Create(Draft());
        var message = Message(c, "due-P2D", c.Owners[0].Id) with { Offset = "P1D" };
        Assert.Throws<ArgumentOutOfRangeException>(() => CommitmentEmailComposer.Compose(new CommitmentCompositionInput(c, c.Owners[0], message, message.DueAt)));
    }

    [Theory]
    [InlineData("en", "overdue-PT0M", "Overdue: Data package for the Sinop evaluation", "Data package for the Sinop evaluation is due now and not marked done")]
    [InlineData("en", "overdue-P2D", "Overdue by 2 days: Data package for the Sinop evaluation", "Data package for the Sinop evaluation is 2 days overdue")]
    [InlineData("ko", "overdue-PT0M", "기한 도래: Data package for the Sinop evaluation", "Data package for the Sinop evaluation — 마감 시각이 되었으나 아직 완료 처리되지 않았습니다")]
    [InlineData("ko", "overdue-P2D", "기한 2일 경과: Data package for the Sinop evaluation", "Data package for the Sinop evaluation — 마감 후 2일이 지났습니다")]
    [InlineData("tr", "overdue-PT0M", "Teslim zamanı geldi: Data package for the Sinop evaluation", "Data package for the Sinop evaluation: teslim zamanı geldi, ancak henüz tamamlandı olarak işaretlenmedi")]
    [InlineData("tr", "overdue-P2D", "Teslim tarihinden 2 gün geçti: Data package for the Sinop evaluation", "Data package for the Sinop evaluation: son teslim tarihinden 2 gün geçti")]
    public void EachRungTellsTheCoordinatorInTheirLanguageHowLongItIsOverdue(string language, string slot, string subject, string headline)
    {
        var email = Rung(Create(Draft(coordinatorLanguage: language)), slot);

        Assert.Equal(subject, email.Subject);
        Assert.Contains($"<html lang=\"{language}\">", email.Html);
        Assert.Contains($">{headline}</h1>", email.Html);
        Assert.Contains($"{headline}.", email.Text);
    }

    [Fact]
    public void TheRungListsTheOwnersAndTheDueMomentAndSaysWhyTheCoordinatorGetsIt()
    {
        var c = Create(Draft());
        var email = Rung(c, "overdue-P2D");
        var text = email.Text.ReplaceLineEndings("\n");

        Assert.Equal(new EmailAddress("coordinator@example.org", "Kim Min-jun"), email.To);
        Assert.StartsWith("Dear Kim Min-jun,", text);
        Assert.Contains("Owners:\n- Ayşe Yılmaz <ayse@example.org>\n- Park Ji-ho <jiho@example.org>\n", text);
        Assert.Contains("<strong>Park Ji-ho</strong> &lt;jiho@example.org&gt;", email.Html);
        Assert.Contains("Due: Friday 15 January 2027, end of day Seoul time", text);
        Assert.Contains("Track: Nuclear energy", text);
        Assert.Contains("one email for each rung of its escalation ladder", text);
        Assert.DoesNotContain("Coordinator:", text);
        Assert.Equal(["commitment-escalation", "nuclear-energy"], email.Categories);
        Assert.Equal(new Dictionary<string, string>
        {
            ["reminder_id"] = $"c1.{c.Plan.PlanId}.overdue-P2D.coordinator",
            ["meeting_id"] = "c1",
            ["plan_version"] = "1",
        }, email.CustomArgs);
        Assert.Empty(email.Attachments);
        Assert.Null(email.Template);
    }

    [Fact]
    public void ARungSentLateSaysHowLongItReallyIsOverdue()
    {
        var email = Rung(Create(Draft()), "overdue-PT0M", late: TimeSpan.FromHours(5));
        Assert.Equal("Overdue by 5 hours: Data package for the Sinop evaluation", email.Subject);
    }

    [Fact]
    public void TheRungShowsAnExactDueInstantInTheCommitmentsZone()
    {
        var email = Rung(Create(Draft(dueDate: null, dueAt: "2027-01-15T09:00+09:00", coordinatorLanguage: "tr")), "overdue-PT0M");
        Assert.Contains("Son teslim: 15 Ocak 2027 Cuma, 09:00 (Asia/Seoul, UTC+09:00)", email.Text);
    }

    [Fact]
    public void SubjectsNeverCarryALineBreak()
    {
        // Titles are validated to one line; a stored one that is not still makes a one-line subject.
        var c = Create(Draft()) with { Title = "A\r\nBcc: x@example.org" };
        foreach (var email in new[] { Reminder(c), Rung(c, "overdue-P2D") })
        {
            Assert.DoesNotContain('\r', email.Subject);
            Assert.DoesNotContain('\n', email.Subject);
        }
    }
}
