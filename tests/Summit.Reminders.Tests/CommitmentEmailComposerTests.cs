using Summit.Reminders.Commitments;
using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Tests;

/// <summary>Issue 17: the owners' reminder and the coordinator's rungs, in the reader's language and zone, with the
/// end of a due date said as the end of that day in the commitment's zone; and the coordinator's notices that an owner
/// marked it done or asks for more time.</summary>
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
    [InlineData("en", "See the progress of this track")]
    [InlineData("ko", "이 분야의 진행 현황 보기")]
    [InlineData("tr", "Bu alanın ilerlemesini görün")]
    public void TheCoordinatorsRungCarriesTheSignedLinkToTheTracksProgressPageWhenDeliveryGivesOne(string language, string label)
    {
        var c = Create(Draft(language, coordinatorLanguage: language));
        var message = Message(c, "overdue-PT0M", Slots.Coordinator);
        const string url = "https://reminders.test/api/p/progress?token=v1.abc&lang=xx";
        var withLink = CommitmentEmailComposer.Compose(new CommitmentCompositionInput(c, null, message, message.DueAt, ProgressUrl: url));
        Assert.Contains($"<a href=\"https://reminders.test/api/p/progress?token=v1.abc&amp;lang=xx\" style=\"color:inherit\">{label}</a>", withLink.Html);
        Assert.Contains($"{label}: {url}", withLink.Text);
        Assert.DoesNotContain("/api/p/progress", Rung(c, "overdue-PT0M").Html);
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
    public void AReminderMovedByASendWindowOrAWeekendSaysTheRealTimeLeftNotTheSlots()
    {
        // Due at the end of Friday 15 January in Seoul: its P2D reminder (Thursday midnight) moved two days earlier says so.
        var c = Create(Draft());
        var moved = Message(c, "due-P2D", c.Owners[0].Id) with { DueAt = c.Plan.FindSlot("due-P2D")!.DueAt.AddDays(-2) };

        var email = CommitmentEmailComposer.Compose(new CommitmentCompositionInput(c, c.Owners[0], moved, moved.DueAt, Links));

        Assert.Equal("Due in 4 days: Data package for the Sinop evaluation", email.Subject);
    }

    [Fact]
    public void AnOverdueRungMovedIntoTheWindowSaysHowLongItHasBeenOverdue()
    {
        // The PT0M rung is due at midnight; sent at 08:00 it says eight hours, not "due now".
        var c = Create(Draft() with { EscalateAfter = ["PT0M"] });
        var moved = Message(c, "overdue-PT0M", Slots.Coordinator) with { DueAt = c.DueUtc.AddHours(8) };

        var email = CommitmentEmailComposer.Compose(new CommitmentCompositionInput(c, null, moved, moved.DueAt));

        Assert.Contains("8 hours", email.Subject);
    }

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

        foreach (var email in new[] { Reminder(c, Links), Rung(c, "overdue-PT0M"), DoneNotice(c), MoreTimeNotice(c) })
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

    /// <summary>The coordinator's notice for an owner's Done (by default the first owner, Ayşe Yılmaz, a day and 3 hours
    /// after the end of 15 January in Seoul), composed a minute after.</summary>
    private static EmailMessage DoneNotice(Commitment c, string? by = null, string? note = "Uploaded to the shared folder.", string? link = "https://files.example.org/sinop?v=2&x=1",
        TimeSpan? after = null)
    {
        var at = c.DueUtc + (after ?? TimeSpan.FromHours(27));
        var done = c.Complete(by ?? c.Owners[0].Id, note, link, at);
        var slot = $"{Slots.CommitmentDone}-{done.Version}";
        var message = new ReminderMessage(NotificationIds.For(c.Id, done.Plan.PlanId, slot, Slots.Coordinator), c.Id, done.Plan.PlanId,
            done.Plan.PlanVersion, slot, Slots.Coordinator, at);
        return CommitmentEmailComposer.Compose(new CommitmentCompositionInput(done, null, message, at.AddMinutes(1)));
    }

    /// <summary>The coordinator's notice for a request for more time (by default the second owner, Park Ji-ho,
    /// for 29 January), composed a minute after.</summary>
    private static EmailMessage MoreTimeNotice(Commitment c, string? by = null, string proposed = "2027-01-29", string? note = "The seismic report comes back from review on the 25th.")
    {
        var at = new DateTimeOffset(2027, 1, 11, 1, 15, 0, TimeSpan.Zero);
        var asked = c.RequestMoreTime(by ?? c.Owners[1].Id, proposed, note, at);
        var slot = Slots.CommitmentMoreTimePrefix + asked.Version;
        var message = new ReminderMessage(NotificationIds.For(c.Id, asked.Plan.PlanId, slot, Slots.Coordinator), c.Id, asked.Plan.PlanId,
            asked.Plan.PlanVersion, slot, Slots.Coordinator, at);
        return CommitmentEmailComposer.Compose(new CommitmentCompositionInput(asked, null, message, at.AddMinutes(1)));
    }

    [Theory]
    [InlineData("en", "Done: Data package for the Sinop evaluation", "Ayşe Yılmaz marked Data package for the Sinop evaluation done", "Dear Kim Min-jun,")]
    [InlineData("ko", "완료: Data package for the Sinop evaluation", "Data package for the Sinop evaluation — Ayşe Yılmaz 님이 완료 처리했습니다", "Kim Min-jun 님께,")]
    [InlineData("tr", "Tamamlandı: Data package for the Sinop evaluation", "Data package for the Sinop evaluation: Ayşe Yılmaz tamamlandı olarak işaretledi", "Sayın Kim Min-jun,")]
    public void TheDoneNoticeTellsTheCoordinatorInTheirLanguageWhichOwnerMarkedItDone(string language, string subject, string headline, string greeting)
    {
        var email = DoneNotice(Create(Draft(coordinatorLanguage: language)));

        Assert.Equal(subject, email.Subject);
        Assert.Contains($"<html lang=\"{language}\">", email.Html);
        Assert.Contains($"<h1 style=\"font-size:1.3em;margin:0.5em 0\">{headline}</h1>", email.Html);
        Assert.Contains($"{headline}.", email.Text);
        Assert.StartsWith(greeting, email.Text);
        Assert.DoesNotContain("<table", email.Html);
        Assert.DoesNotContain("<img", email.Html);
    }

    [Theory]
    [InlineData("en", "Marked done on Sunday 17 January 2027, 03:00 (Asia/Seoul, UTC+09:00).",
        "That is 1 day and 3 hours late: it was due Friday 15 January 2027, end of day Seoul time.",
        "That is on time: it was due Friday 15 January 2027, end of day Seoul time.")]
    [InlineData("ko", "2027년 1월 17일 일요일 03:00 (Asia/Seoul, UTC+09:00)에 완료 처리되었습니다.",
        "마감 시각은 2027년 1월 15일 금요일 24:00 (Asia/Seoul 기준)이며, 1일 3시간 늦게 완료되었습니다.",
        "마감 시각은 2027년 1월 15일 금요일 24:00 (Asia/Seoul 기준)이며, 기한 내에 완료되었습니다.")]
    [InlineData("tr", "Tamamlandı olarak işaretlendiği zaman: 17 Ocak 2027 Pazar, 03:00 (Asia/Seoul, UTC+09:00).",
        "Son teslim zamanı 15 Ocak 2027 Cuma, gün sonu (Asia/Seoul saatiyle) idi: 1 gün 3 saat gecikmeyle tamamlandı.",
        "Son teslim zamanı 15 Ocak 2027 Cuma, gün sonu (Asia/Seoul saatiyle) idi: zamanında tamamlandı.")]
    public void TheDoneNoticeSaysWhenInTheCommitmentsZoneAndHowLateAgainstTheDueMoment(string language, string when, string late, string onTime)
    {
        var c = Create(Draft(coordinatorLanguage: language));

        var lateEmail = DoneNotice(c);
        foreach (var body in new[] { lateEmail.Text, lateEmail.Html })
        {
            Assert.Contains(when, body);
            Assert.Contains(late, body);
        }
        var onTimeEmail = DoneNotice(c, after: TimeSpan.FromHours(-5));
        Assert.Contains(onTime, onTimeEmail.Text);
        Assert.Contains(onTime, onTimeEmail.Html);
        Assert.DoesNotContain(late, onTimeEmail.Text);
    }

    [Fact]
    public void DoneLessThanAMinuteLateIsAMinuteLate()
    {
        var email = DoneNotice(Create(Draft()), after: TimeSpan.FromSeconds(20));
        Assert.Contains("That is 1 minute late: it was due Friday 15 January 2027, end of day Seoul time.", email.Text);
        // At the due moment itself it is on time (due "by" then).
        Assert.Contains("That is on time", DoneNotice(Create(Draft()), after: TimeSpan.Zero).Text);
    }

    [Theory]
    [InlineData("en", "Every later reminder and escalation has stopped", "reopen it (POST\u00A0/api/commitments/c1/reopen)")]
    [InlineData("ko", "이후 예정된 알림과 에스컬레이션은 모두 중지되었습니다", "과제를 다시 열어 주십시오(POST\u00A0/api/commitments/c1/reopen)")]
    [InlineData("tr", "Sonraki tüm hatırlatmalar ve gecikme bildirimleri durduruldu", "yeniden açın (POST\u00A0/api/commitments/c1/reopen)")]
    public void TheDoneNoticeSaysEverythingStoppedAndHowToReopen(string language, string stopped, string reopen)
    {
        var email = DoneNotice(Create(Draft(coordinatorLanguage: language)));
        foreach (var body in new[] { email.Text, email.Html })
        {
            Assert.Contains(stopped, body);
            Assert.Contains(reopen, body);
        }
    }

    [Fact]
    public void TheDoneNoticeShowsTheOwnersMultiLineNoteAndTheirLinkAsALink()
    {
        var email = DoneNotice(Create(Draft()), note: "Uploaded to the shared folder.\nThe financing model follows on Monday.");
        var text = email.Text.ReplaceLineEndings("\n");

        Assert.Contains("Note:\nUploaded to the shared folder.\nThe financing model follows on Monday.\n", text);
        Assert.Contains("Deliverable:\nhttps://files.example.org/sinop?v=2&x=1\n", text);
        Assert.Contains("white-space:pre-line;overflow-wrap:anywhere;margin:0\">Uploaded to the shared folder.\nThe financing model follows on Monday.</p>",
            email.Html.ReplaceLineEndings("\n"));
        Assert.Contains("<a href=\"https://files.example.org/sinop?v=2&amp;x=1\" style=\"color:inherit\">https://files.example.org/sinop?v=2&amp;x=1</a>", email.Html);
    }

    [Fact]
    public void WithoutANoteOrALinkTheDoneNoticeLeavesThemOut()
    {
        var email = DoneNotice(Create(Draft()), note: null, link: "  ");

        Assert.DoesNotContain("Note", email.Text);
        Assert.DoesNotContain("Deliverable", email.Text);
        Assert.DoesNotContain("Note", email.Html);
        Assert.DoesNotContain("<a ", email.Html);
        Assert.Contains("That is 1 day and 3 hours late", email.Text);
    }

    [Fact]
    public void MarkupInTheOwnersNoteShowsAsTextAndALinkThatIsNotAWebAddressIsNoLink()
    {
        var email = DoneNotice(Create(Draft()), note: "<script>alert(1)</script>\n<b>done</b>", link: "javascript:alert(1)");

        Assert.DoesNotContain("<script>", email.Html);
        Assert.DoesNotContain("<b>", email.Html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;\n&lt;b&gt;done&lt;/b&gt;", email.Html.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("<a ", email.Html);
        Assert.Contains("javascript:alert(1)", email.Html);
        Assert.Contains("<script>alert(1)</script>\n<b>done</b>", email.Text.ReplaceLineEndings("\n"));

        var asked = MoreTimeNotice(Create(Draft()), note: "<img src=x onerror=alert(1)> & more");
        Assert.DoesNotContain("<img", asked.Html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; &amp; more", asked.Html);
        Assert.Contains("<img src=x onerror=alert(1)> & more", asked.Text);
    }

    [Fact]
    public void TheNoticesGoToTheCoordinatorWithRepliesToTheOwnerAndTheIdsTheWebhookCorrelatesBy()
    {
        var c = Create(Draft());
        var done = DoneNotice(c);
        var asked = MoreTimeNotice(c);

        foreach (var (email, category, slot, owner) in new[]
        {
            (done, "commitment-done", $"{Slots.CommitmentDone}-2", new EmailAddress("ayse@example.org", "Ayşe Yılmaz")),
            (asked, "commitment-more-time", "more-time-2", new EmailAddress("jiho@example.org", "Park Ji-ho")),
        })
        {
            Assert.Equal(new EmailAddress("coordinator@example.org", "Kim Min-jun"), email.To);
            Assert.Equal(owner, email.ReplyTo);
            Assert.Contains($"Replying to this email reaches {owner.Name}.\n\nYou receive this because you coordinate this commitment", email.Text.ReplaceLineEndings("\n"));
            Assert.Equal([category, "nuclear-energy"], email.Categories);
            Assert.Equal(new Dictionary<string, string>
            {
                ["reminder_id"] = $"c1.{c.Plan.PlanId}.{slot}.coordinator",
                ["meeting_id"] = "c1",
                ["plan_version"] = "1",
            }, email.CustomArgs);
            Assert.Empty(email.Attachments);
            Assert.Empty(email.Headers);
            Assert.Null(email.Template);
            Assert.Contains("Track: Nuclear energy", email.Text);
            Assert.Contains("Site survey data and the seismic report", email.Text);
        }
    }

    [Fact]
    public void AnOwnerNoLongerOnTheCommitmentIsAnOwner()
    {
        var c = Create(Draft());
        var done = DoneNotice(c, by: "gone");
        var asked = MoreTimeNotice(c, by: "gone");

        Assert.Contains(">An owner marked Data package for the Sinop evaluation done</h1>", done.Html);
        Assert.Contains(">An owner asks for more time for Data package for the Sinop evaluation</h1>", asked.Html);
        Assert.Contains("the owner is not told automatically", asked.Text);
        Assert.Null(done.ReplyTo);
        Assert.DoesNotContain("Replying", asked.Text);
        Assert.Contains("— 책임자 한 분이 완료 처리했습니다", DoneNotice(Create(Draft(coordinatorLanguage: "ko")), by: "gone").Text);
        Assert.Contains(": bir sorumlu ek süre istiyor", MoreTimeNotice(Create(Draft(coordinatorLanguage: "tr")), by: "gone").Text);
    }

    [Theory]
    [InlineData("en", "More time asked: Data package for the Sinop evaluation", "Park Ji-ho asks for more time for Data package for the Sinop evaluation", "Dear Kim Min-jun,")]
    [InlineData("ko", "기한 연장 요청: Data package for the Sinop evaluation", "Data package for the Sinop evaluation — Park Ji-ho 님이 기한 연장을 요청했습니다", "Kim Min-jun 님께,")]
    [InlineData("tr", "Ek süre istendi: Data package for the Sinop evaluation", "Data package for the Sinop evaluation: Park Ji-ho ek süre istiyor", "Sayın Kim Min-jun,")]
    public void TheMoreTimeNoticeTellsTheCoordinatorInTheirLanguageWhoAsks(string language, string subject, string headline, string greeting)
    {
        var email = MoreTimeNotice(Create(Draft(coordinatorLanguage: language)));

        Assert.Equal(subject, email.Subject);
        Assert.Contains($"<html lang=\"{language}\">", email.Html);
        Assert.Contains($"<h1 style=\"font-size:1.3em;margin:0.5em 0\">{headline}</h1>", email.Html);
        Assert.Contains($"{headline}.", email.Text);
        Assert.StartsWith(greeting, email.Text);
    }

    [Theory]
    [InlineData("en", "Proposed new due date: Friday 29 January 2027, end of day Seoul time (14 more days)",
        "Currently due: Friday 15 January 2027, end of day Seoul time", "Asked on Monday 11 January 2027, 10:15 (Asia/Seoul, UTC+09:00).")]
    [InlineData("ko", "제안된 새 마감: 2027년 1월 29일 금요일 24:00 (Asia/Seoul 기준) — 14일 연장",
        "현재 마감: 2027년 1월 15일 금요일 24:00 (Asia/Seoul 기준)", "2027년 1월 11일 월요일 10:15 (Asia/Seoul, UTC+09:00)에 요청되었습니다.")]
    [InlineData("tr", "Önerilen yeni son teslim: 29 Ocak 2027 Cuma, gün sonu (Asia/Seoul saatiyle) — 14 gün ek süre",
        "Şu anki son teslim: 15 Ocak 2027 Cuma, gün sonu (Asia/Seoul saatiyle)", "Talep zamanı: 11 Ocak 2027 Pazartesi, 10:15 (Asia/Seoul, UTC+09:00).")]
    public void TheProposedDateIsTheEndOfThatDayInTheCommitmentsZoneBesideTheCurrentDueMoment(string language, string proposed, string current, string asked)
    {
        var email = MoreTimeNotice(Create(Draft(coordinatorLanguage: language)));
        var text = email.Text.ReplaceLineEndings("\n");

        Assert.Contains(proposed + "\n", text);
        Assert.Contains(current + "\n", text);
        Assert.Contains(asked, text);
        var (proposedLabel, proposedValue) = (proposed[..proposed.IndexOf(": ", StringComparison.Ordinal)], proposed[(proposed.IndexOf(": ", StringComparison.Ordinal) + 2)..]);
        Assert.Contains($"<dt style=\"font-weight:bold\">{proposedLabel}</dt>\n<dd style=\"margin:0 0 0.6em 0\">{proposedValue}</dd>", email.Html.ReplaceLineEndings("\n"));
        // The details part does not say the due moment a second time.
        Assert.Equal(2, text.Split(current[(current.IndexOf(": ", StringComparison.Ordinal) + 2)..]).Length);
    }

    [Fact]
    public void AProposalNoLaterThanTheDueDateOrNotADateIsShownWithoutHowMuchMore()
    {
        Assert.Contains("Proposed new due date: Friday 15 January 2027, end of day Seoul time\n",
            MoreTimeNotice(Create(Draft()), proposed: "2027-01-15").Text.ReplaceLineEndings("\n"));
        Assert.Contains("Proposed new due date: soon\n", MoreTimeNotice(Create(Draft()), proposed: "soon").Text.ReplaceLineEndings("\n"));
        // An exact due instant counts from its day in the commitment's zone.
        Assert.Contains("Proposed new due date: Saturday 16 January 2027, end of day Seoul time (1 more day)",
            MoreTimeNotice(Create(Draft(dueDate: null, dueAt: "2027-01-15T09:00+09:00")), proposed: "2027-01-16").Text);
    }

    [Theory]
    [InlineData("en", "change the due date with a PUT of the commitment (PUT\u00A0/api/commitments/c1)", "Nothing changes, and Park Ji-ho is not told automatically")]
    [InlineData("ko", "과제를 PUT으로 수정하여 마감일을 변경하십시오(PUT\u00A0/api/commitments/c1)", "변경되는 것은 없으며 Park Ji-ho 님에게 자동으로 알려지지 않으므로")]
    [InlineData("tr", "taahhüdü PUT ile güncelleyerek değiştirin (PUT\u00A0/api/commitments/c1)", "hiçbir şey değişmez ve Park Ji-ho kişisine otomatik olarak bildirilmez")]
    public void TheMoreTimeNoticeSaysTheCoordinatorsTwoChoices(string language, string extend, string keep)
    {
        var email = MoreTimeNotice(Create(Draft(coordinatorLanguage: language)));
        foreach (var body in new[] { email.Text, email.Html })
        {
            Assert.Contains(extend, body);
            Assert.Contains(keep, body);
        }
    }

    [Fact]
    public void EachMoreTimeNoticeIsAboutItsOwnRequestAndWithoutANoteLeavesItOut()
    {
        var c = Create(Draft()).RequestMoreTime("o0", "2027-02-28", "An earlier request", Now);
        var email = MoreTimeNotice(c, note: null);

        // The earlier request's own notice, sent after the second request was made, is still about the earlier one.
        var both = c.RequestMoreTime(c.Owners[1].Id, "2027-01-29", null, Now.AddMinutes(1));
        var slot = Slots.CommitmentMoreTimePrefix + c.Version;
        var earlier = CommitmentEmailComposer.Compose(new CommitmentCompositionInput(both, null,
            new ReminderMessage($"{c.Id}.{c.Plan.PlanId}.{slot}.coordinator", c.Id, c.Plan.PlanId, 1, slot, Slots.Coordinator, Now), Now));
        Assert.Contains("28 February", earlier.Text);
        Assert.Contains("An earlier request", earlier.Text);

        Assert.Contains(">Park Ji-ho asks for more time", email.Html);
        Assert.Contains("Friday 29 January 2027", email.Text);
        Assert.DoesNotContain("28 February", email.Text);
        Assert.DoesNotContain("An earlier request", email.Text);
        Assert.DoesNotContain("Note", email.Text);
        Assert.DoesNotContain("Note", email.Html);
    }

    [Fact]
    public void ANoticeWithoutItsCompletionOrRequestIsABug()
    {
        var c = Create(Draft());
        foreach (var slot in new[] { Slots.CommitmentDone + "-2", "more-time-2" })
        {
            var message = new ReminderMessage($"c1.{c.Plan.PlanId}.{slot}.coordinator", c.Id, c.Plan.PlanId, 1, slot, Slots.Coordinator, Now);
            Assert.Throws<InvalidOperationException>(() => CommitmentEmailComposer.Compose(new CommitmentCompositionInput(c, null, message, Now)));
        }
    }

    [Fact]
    public void SubjectsNeverCarryALineBreak()
    {
        // Titles are validated to one line; a stored one that is not still makes a one-line subject.
        var c = Create(Draft()) with { Title = "A\r\nBcc: x@example.org" };
        foreach (var email in new[] { Reminder(c), Rung(c, "overdue-P2D"), DoneNotice(c), MoreTimeNotice(c) })
        {
            Assert.DoesNotContain('\r', email.Subject);
            Assert.DoesNotContain('\n', email.Subject);
        }
    }

    [Theory]
    [InlineData("ko", "분야: 원자력", "원자력")]
    [InlineData("tr", "Alan: Nükleer enerji", "Nükleer enerji")]
    public void EveryCommitmentEmailNamesTheTrackInTheReadersLanguage(string language, string line, string name)
    {
        // Issue 19: the owner's reminder, the coordinator's rung and both notices, each in its reader's language.
        var c = Create(Draft(language, coordinatorLanguage: language));
        foreach (var email in new[] { Reminder(c, Links), Rung(c, "overdue-P2D"), DoneNotice(c), MoreTimeNotice(c) })
        {
            Assert.Contains(line, email.Text);
            Assert.Contains(name, System.Net.WebUtility.HtmlDecode(email.Html));
            Assert.DoesNotContain("Nuclear energy", email.Text + email.Html);
            Assert.Contains("nuclear-energy", email.Categories);
        }
    }
}
