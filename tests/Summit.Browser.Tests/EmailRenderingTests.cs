using Microsoft.Playwright;
using Summit.Reminders.Commitments;
using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;
using Summit.Reminders.Notifications;

namespace Summit.Browser.Tests;

/// <summary>Every email template in every language, rendered by Chromium as a mail client's web view would.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EmailRenderingTests(BrowserFixture chromium)
{
    public static TheoryData<string, string> KindsAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in SampleEmails.Kinds)
            foreach (var language in new[] { "en", "ko", "tr" })
                data.Add(kind, language);
        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public async Task RendersWithoutErrorsInTheParticipantsLanguageWithoutImagesOrLayoutTables(string kind, string language)
    {
        var email = SampleEmails.Compose(kind, language);
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors);
        await page.SetContentAsync(email.Html);

        Assert.Empty(errors);
        Assert.Equal(language, await page.EvaluateAsync<string>("document.documentElement.lang"));
        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        Assert.True(await heading.IsVisibleAsync());
        Assert.Equal(SampleEmails.ExpectedHeadline(kind, language), (await heading.InnerTextAsync()).Trim());
        // The track in the reader's language (issue 19), as the details list shows it.
        var track = Tracks.Find("nuclear-energy")!.NameIn(language);
        Assert.Equal(track, await page.EvaluateAsync<string>(
            "label => [...document.querySelectorAll('dt')].find(dt => dt.innerText.trim() === label)?.nextElementSibling.innerText.trim()",
            EmailLanguage.For(language).Track));
        // Works without images, and no layout tables.
        Assert.Equal(0, await page.EvaluateAsync<int>("document.images.length"));
        Assert.Equal(0, await page.EvaluateAsync<int>("document.querySelectorAll('table').length"));
        // Every link says where it goes in words.
        Assert.All(await page.Locator("a").AllInnerTextsAsync(), text => Assert.False(string.IsNullOrWhiteSpace(text)));
        if (language == "ko")
        {
            // Hangul has a real font (Debian's fonts-noto-cjk); without it Chromium draws empty boxes.
            Assert.True(await page.EvaluateAsync<bool>("document.fonts.check('16px \"Noto Sans CJK KR\"', '알림')"));
        }
        await page.Context.CloseAsync();
    }

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public async Task StaysReadableInDarkModeAndOnAPhone(string kind, string language)
    {
        var email = SampleEmails.Compose(kind, language);
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(errors, ColorScheme.Dark, width: 360);
        await page.SetContentAsync(email.Html);

        // Every text, links included, differs enough from what is behind it to read (WCAG AA: 4.5:1) in the dark scheme too.
        var contrast = await page.EvaluateAsync<double>(ContrastScript);
        Assert.True(contrast >= 4.5, $"{kind}/{language}: contrast {contrast:0.0}:1 in dark mode");
        // Nothing is wider than a phone screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            $"{kind}/{language} scrolls sideways at 360 px");
        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ko")]
    [InlineData("tr")]
    public async Task TheEmailsAsParticipantsSeeThemArePhotographedForTheDocs(string language)
    {
        foreach (var kind in SampleEmails.Kinds)
            await PhotographAsync(kind, language);
    }

    private async Task PhotographAsync(string kind, string language)
    {
        var email = SampleEmails.Compose(kind, language);
        var page = await chromium.NewPageAsync([], width: 640);
        await page.SetContentAsync(email.Html);
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        Assert.True(png.Length > 10_000, "the screenshot is suspiciously small");
        foreach (var target in Paths.ScreenshotTargets($"{kind}-{language}.png"))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, png);
        }
        await page.Context.CloseAsync();
    }

    /// <summary>The lowest contrast ratio between any text (links and buttons included) and the background behind it,
    /// as the browser computed them.</summary>
    internal const string ContrastScript = """
        () => {
          const parse = c => { const m = c.match(/[\d.]+/g).map(Number); return m.length > 3 && m[3] === 0 ? null : m.slice(0, 3); };
          const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
          // No background anywhere: the canvas, dark only when the reader prefers dark and the page allows it (color-scheme).
          const allowed = getComputedStyle(document.documentElement).colorScheme + ' ' + (document.querySelector('meta[name="color-scheme"]')?.content ?? '');
          const dark = matchMedia('(prefers-color-scheme: dark)').matches && allowed.includes('dark');
          const canvas = dark ? [18, 18, 18] : [255, 255, 255];
          const background = el => { for (; el; el = el.parentElement) { const bg = parse(getComputedStyle(el).backgroundColor); if (bg) return bg; } return canvas; };
          let worst = 21;
          for (const el of document.querySelectorAll('main *')) {
            if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
            const [a, b] = [lum(parse(getComputedStyle(el).color)), lum(background(el))].sort((x, y) => y - x);
            worst = Math.min(worst, (a + 0.05) / (b + 0.05));
          }
          return worst;
        }
        """;
}

/// <summary>The summit's Sinop follow-up and its data package, addressed to one participant, owner or coordinator per language, for rendering.</summary>
public static class SampleEmails
{
    public static readonly string[] Kinds = ["reminder", "invitation", "update", "cancellation", "removal", "escalation", "undeliverable",
        "commitment-reminder", "commitment-escalation", "commitment-done", "commitment-more-time",
        "invitation-no-calendar", "update-no-calendar", "calendar-withdrawn", "digest"];

    private static readonly DateTimeOffset Now = new(2026, 12, 9, 7, 0, 0, TimeSpan.Zero);

    public static Meeting Meeting(string language) => new()
    {
        Id = "m0123456789abcdef01234567",
        Title = "Sinop nuclear power plant — detailed evaluation",
        Track = "nuclear-energy",
        Agenda = "Site studies and the seismic report\nFinancing model\nTimeline to a decision",
        StartLocal = "2026-12-10T10:00",
        TimeZone = "Europe/Istanbul",
        StartUtc = new DateTimeOffset(2026, 12, 10, 7, 0, 0, TimeSpan.Zero),
        Duration = "PT3H",
        Location = "Ankara, Ministry of Energy and Natural Resources",
        Coordinator = new Person("Mehmet Demir", "mehmet.demir@example.org", language),
        Participants = [language switch
        {
            "ko" => new Participant("pko", "박지호", "jiho@example.org", "Asia/Seoul", "ko"),
            "tr" => new Participant("ptr", "Ayşe Yılmaz", "ayse@example.org", "Europe/Istanbul", "tr"),
            _ => new Participant("pen", "Hannah Weber", "hannah@example.org", "Europe/Berlin", "en"),
        }],
        ReminderOffsets = ["P1D", "PT2H"],
        Plan = new ReminderPlan("plan1", 1, []),
        CreatedAt = Now.AddDays(-10),
        UpdatedAt = Now.AddDays(-10),
    };

    /// <summary>The Sinop evaluation's data package, agreed at the meeting: due at the end of 15 January 2027 in Seoul,
    /// owned by the reader (in Seoul or Istanbul) and a colleague in the other city.</summary>
    public static Commitment Commitment(string language)
    {
        ParticipantDraft seoul = new() { Name = language == "ko" ? "박지호" : "Park Ji-ho", Email = "jiho@example.org", TimeZone = "Asia/Seoul", Language = "ko" };
        ParticipantDraft istanbul = new() { Name = "Ayşe Yılmaz", Email = "ayse@example.org", TimeZone = "Europe/Istanbul", Language = "tr" };
        ParticipantDraft[] owners = language switch
        {
            "ko" => [seoul, istanbul],
            "tr" => [istanbul, seoul],
            _ => [new() { Name = "Hannah Weber", Email = "hannah@example.org", TimeZone = "Europe/Istanbul", Language = "en" }, seoul],
        };
        var (content, errors) = CommitmentValidator.Validate(new CommitmentDraft
        {
            Title = "Data package for the Sinop evaluation",
            Track = "nuclear-energy",
            MeetingId = "m0123456789abcdef01234567",
            Details = "Site survey data, the seismic report and the financing model, as agreed in Ankara on 10 December.\n" +
                "Upload them to the shared nuclear-energy folder, then mark this done.",
            Owners = owners,
            Coordinator = new PersonDraft { Name = "Kim Min-jun", Email = "minjun.kim@example.org", Language = language },
            DueDate = "2027-01-15",
            TimeZone = "Asia/Seoul",
        }, Now);
        if (content is null) throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
        return Summit.Reminders.Commitments.Commitment.Create("c0123456789abcdef01234567",
            content with { Owners = content.Owners.Select((o, i) => o with { Id = $"o{i}" }).ToList() }, Now);
    }

    private static EmailMessage ComposeCommitment(string slot, string language)
    {
        var commitment = Commitment(language);
        var due = commitment.Plan.Slots.Single(s => s.Offset == slot).DueAt;
        var recipient = Slots.KindOf(slot) == MessageKind.CommitmentReminder ? commitment.Owners[0] : null;
        var message = new ReminderMessage($"{commitment.Id}.{commitment.Plan.PlanId}.{slot}.{recipient?.Id ?? Slots.Coordinator}",
            commitment.Id, commitment.Plan.PlanId, commitment.Plan.PlanVersion, slot, recipient?.Id ?? Slots.Coordinator, due);
        var links = new CommitmentLinkPair($"https://reminders.example/api/c/done?token=v1.sample.{language}",
            $"https://reminders.example/api/c/more-time?token=v1.sample.{language}");
        return CommitmentEmailComposer.Compose(new CommitmentCompositionInput(commitment, recipient, message, due, recipient is null ? null : links,
            recipient is null ? $"https://reminders.example/api/p/progress?token=v1.sample.{language}&lang={language}" : null));
    }

    /// <summary>The coordinator's notices about the data package: Ayşe Yılmaz marked it done a day late (Saturday evening
    /// in Istanbul) with a note and the folder's link; Lee Seo-yeon, who joined the owners, asks for two more weeks.</summary>
    private static EmailMessage ComposeOwnerNotice(string slot, string language)
    {
        var commitment = Commitment(language);
        Participant ayse = commitment.Owners.FirstOrDefault(o => o.Email == "ayse@example.org")
            ?? new Participant("o2", "Ayşe Yılmaz", "ayse@example.org", "Europe/Istanbul", "tr");
        var seoyeon = new Participant("o3", language == "ko" ? "이서연" : "Lee Seo-yeon", "seoyeon@example.org", "Asia/Seoul", "ko");
        commitment = commitment with { Owners = [.. commitment.Owners.Where(o => o != ayse), ayse, seoyeon] };
        DateTimeOffset at;
        if (slot.StartsWith(Slots.CommitmentDone, StringComparison.Ordinal))
        {
            at = new DateTimeOffset(2027, 1, 16, 18, 20, 0, TimeSpan.FromHours(3));
            commitment = commitment.Complete(ayse.Id,
                "The site survey data, the seismic report and the financing model are in the shared folder.\n" +
                "The seismic report is the version reviewed on 14 January; the review took a day longer than planned.",
                "https://files.example.org/nuclear-energy/sinop/data-package", at);
        }
        else
        {
            at = new DateTimeOffset(2027, 1, 11, 10, 15, 0, TimeSpan.FromHours(9));
            commitment = commitment.RequestMoreTime(seoyeon.Id, "2027-01-29",
                "The external reviewers return the seismic report on 25 January.\nEverything else in the package is ready.", at);
        }
        slot = $"{slot}-{commitment.Version}"; // the notice of the change that made this version
        var message = new ReminderMessage($"{commitment.Id}.{commitment.Plan.PlanId}.{slot}.{Slots.Coordinator}",
            commitment.Id, commitment.Plan.PlanId, commitment.Plan.PlanVersion, slot, Slots.Coordinator, at);
        return CommitmentEmailComposer.Compose(new CommitmentCompositionInput(commitment, null, message, at.AddMinutes(1),
            ProgressUrl: $"https://reminders.example/api/p/progress?token=v1.sample.{language}&lang={language}"));
    }

    public static EmailMessage Compose(string kind, string language)
    {
        if (kind == "commitment-reminder") return ComposeCommitment(Slots.CommitmentReminderPrefix + "P2D", language);
        if (kind == "commitment-escalation") return ComposeCommitment(Slots.CommitmentEscalationPrefix + "P2D", language);
        if (kind == "commitment-done") return ComposeOwnerNotice(Slots.CommitmentDone, language);
        if (kind == "commitment-more-time") return ComposeOwnerNotice(Slots.CommitmentMoreTimePrefix.TrimEnd('-'), language);
        if (kind == "digest") return ComposeDigest(language);
        var meeting = Meeting(language);
        var participant = meeting.Participants[0];
        var links = new LinkPair($"https://reminders.example/api/p/acknowledge?token=v1.sample.{language}", $"https://reminders.example/api/p/unsubscribe?token=v1.sample.{language}");
        ReminderMessage Message(string slot) => new("r1", meeting.Id, "plan1", 1, slot, participant.Id, Now);
        return kind switch
        {
            "reminder" => ReminderEmailComposer.Compose(meeting, participant, Message("P1D"), Now, links),
            "invitation" => NoticeEmailComposer.Compose(meeting, participant, Message(Slots.Invitation), Now, links),
            "update" => NoticeEmailComposer.Compose(meeting with { Version = 2, LastChange = new MeetingChange(["start", "location"], meeting.StartUtc.AddDays(-1)) },
                participant, Message(Slots.Update), Now, links),
            "cancellation" => NoticeEmailComposer.Compose(meeting with { Status = MeetingStatus.Cancelled, Version = 3 }, participant, Message(Slots.Cancellation), Now, links),
            // The coordinator invites from their own calendar: our emails say so, and carry no entry.
            "invitation-no-calendar" => NoticeEmailComposer.Compose(meeting with { CalendarInvitations = false }, participant, Message(Slots.Invitation), Now, links),
            "update-no-calendar" => NoticeEmailComposer.Compose(
                meeting with { CalendarInvitations = false, Version = 2, LastChange = new MeetingChange(["start", "location"], meeting.StartUtc.AddDays(-1)) },
                participant, Message(Slots.Update), Now, links),
            // Switched off after our invitation went out: the update withdraws our entry, the meeting stands.
            "calendar-withdrawn" => NoticeEmailComposer.Compose(
                meeting with { CalendarInvitations = false, Version = 2, LastChange = new MeetingChange([Summit.Reminders.Meetings.Meeting.CalendarInvitationsField], null) },
                participant, Message(Slots.Update), Now, links),
            "removal" => NoticeEmailComposer.Compose(meeting with { Version = 2, Participants = [], RemovedParticipants = [new RemovedParticipant(participant, 1)] },
                participant, Message(Slots.Removal), Now, links),
            "escalation" => EscalationEmailComposer.Compose(
                meeting with { Participants = [participant, new Participant("px", "Lee Seo-yeon", "seoyeon@example.org", "Asia/Seoul", "ko")] },
                Message(Slots.Escalation),
                [new Summit.Reminders.Notifications.DeliveryRecord("d1", "plan1", "P1D", participant.Id, Summit.Reminders.Notifications.DeliveryState.Sent, Now, SentAt: Now)],
                // SendGrid reported her address undeliverable: the coordinator sees why she got nothing.
                [new Summit.Reminders.Participation.ParticipantResponse("px", UndeliverableAt: Now, UndeliverableReason: "bounce: 550 5.1.1 [address]: user unknown")],
                Now),
            // Her invitation bounced today; Lee Seo-yeon's address was reported yesterday and still cannot receive email.
            "undeliverable" => UndeliverableEmailComposer.Compose(
                meeting with { Participants = [participant, new Participant("px", "Lee Seo-yeon", "seoyeon@example.org", "Asia/Seoul", "ko")] },
                Message(Slots.UndeliverablePrefix + "2026-12-09") with { ParticipantId = Slots.Coordinator },
                [new Summit.Reminders.Notifications.DeliveryRecord("d0", "plan1", Slots.UndeliverablePrefix + "2026-12-08", Slots.Coordinator,
                    Summit.Reminders.Notifications.DeliveryState.Sent, Now.AddDays(-1), SentAt: Now.AddDays(-1)) { Reports = ["px"] }],
                [
                    new Summit.Reminders.Participation.ParticipantResponse(participant.Id, UndeliverableAt: Now.AddMinutes(-12), UndeliverableReason: "bounce: 550 5.1.1 [address]: user unknown"),
                    new Summit.Reminders.Participation.ParticipantResponse("px", UndeliverableAt: Now.AddDays(-1).AddHours(-3), UndeliverableReason: "dropped: Bounced Address"),
                ]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>The coordinator Kim Min-jun's digest of Wednesday 9 December, in Seoul (ko) or Istanbul (en, tr): the Sinop
    /// evaluation tomorrow, with who has not acknowledged and an address that bounced, and two commitments of the track,
    /// one overdue and one due in three days.</summary>
    private static EmailMessage ComposeDigest(string language)
    {
        var zone = language == "ko" ? "Asia/Seoul" : "Europe/Istanbul";
        var subscriber = new Summit.Reminders.Digest.DigestSubscriber("sample", "minjun.kim@example.org", "Kim Min-jun", language, zone, null);
        var subject = Summit.Reminders.Digest.DigestIds.SubjectOf("sample");
        var subscription = new Summit.Reminders.Digest.DigestSubscription(subscriber, subject, "plan1", 1, Now, Now.AddDays(-3), Now.AddDays(-3));
        var meeting = Meeting(language);
        var seoyeon = new Participant("px", "Lee Seo-yeon", "seoyeon@example.org", "Asia/Seoul", "ko");
        var tolga = new Participant("py", "Tolga Kaya", "tolga@example.org", "Europe/Istanbul", "tr");
        var commitment = Commitment(language);
        var day = Summit.Reminders.Digest.DigestSchedule.DayOf(zone, Now);
        var report = new Summit.Reminders.Digest.DigestReport(subscription, day, Now,
            [new Summit.Reminders.Digest.DigestMeeting(meeting with { Participants = [meeting.Participants[0], seoyeon, tolga] },
                [new Summit.Reminders.Digest.Unacknowledged(meeting.Participants[0], false), new Summit.Reminders.Digest.Unacknowledged(tolga, true)],
                [new Summit.Reminders.Digest.UndeliverableParticipant(seoyeon, "bounce: 550 5.1.1 [address]: user unknown", Now.AddDays(-1))])],
            [commitment with { Title = "Seismic report, second reading", DueUtc = Now.AddDays(-2) }, commitment with { DueUtc = Now.AddDays(3) }]);
        var message = new ReminderMessage(Summit.Reminders.Digest.DigestIds.EmailOf(subject, day), subject, Summit.Reminders.Digest.DigestIds.Daily, 1,
            Slots.Digest(day), Slots.Coordinator, Now);
        return DigestEmailComposer.Compose(report, message);
    }

    public static string ExpectedHeadline(string kind, string language) => (kind, language) switch
    {
        ("digest", "en") => "Your digest for Wednesday 9 December 2026",
        ("digest", "ko") => "2026년 12월 9일 수요일 일일 요약",
        ("digest", "tr") => "9 Aralık 2026 Çarşamba için günlük özetiniz",
        ("reminder", "en") => "Sinop nuclear power plant — detailed evaluation starts in 1 day",
        ("reminder", "ko") => "Sinop nuclear power plant — detailed evaluation — 1일 후 시작합니다",
        ("reminder", "tr") => "Sinop nuclear power plant — detailed evaluation 1 gün sonra başlıyor",
        ("invitation", "en") => "You are invited: Sinop nuclear power plant — detailed evaluation",
        ("invitation", "ko") => "Sinop nuclear power plant — detailed evaluation 회의에 초대합니다",
        ("invitation", "tr") => "Sinop nuclear power plant — detailed evaluation toplantısına davetlisiniz",
        ("update", "en") => "Sinop nuclear power plant — detailed evaluation has changed",
        ("update", "ko") => "Sinop nuclear power plant — detailed evaluation 회의 내용이 변경되었습니다",
        ("update", "tr") => "Sinop nuclear power plant — detailed evaluation toplantısında değişiklik var",
        ("invitation-no-calendar", "en") => "You are on the participant list for Sinop nuclear power plant — detailed evaluation",
        ("invitation-no-calendar", "ko") => "Sinop nuclear power plant — detailed evaluation 회의 참석자 명단에 등록되었습니다",
        ("invitation-no-calendar", "tr") => "Sinop nuclear power plant — detailed evaluation toplantısının katılımcı listesindesiniz",
        ("update-no-calendar" or "calendar-withdrawn", _) => ExpectedHeadline("update", language),
        ("cancellation", "en") => "Sinop nuclear power plant — detailed evaluation is cancelled",
        ("cancellation", "ko") => "Sinop nuclear power plant — detailed evaluation 회의가 취소되었습니다",
        ("cancellation", "tr") => "Sinop nuclear power plant — detailed evaluation toplantısı iptal edildi",
        ("removal", "en") => "You are no longer on the list for Sinop nuclear power plant — detailed evaluation",
        ("removal", "ko") => "Sinop nuclear power plant — detailed evaluation 회의 참석 대상에서 제외되었습니다",
        ("removal", "tr") => "Sinop nuclear power plant — detailed evaluation toplantısının katılımcı listesinden çıkarıldınız",
        ("escalation", "en") => "2 participants have not acknowledged Sinop nuclear power plant — detailed evaluation",
        ("escalation", "ko") => "Sinop nuclear power plant — detailed evaluation: 2명이 아직 확인하지 않았습니다",
        ("escalation", "tr") => "Sinop nuclear power plant — detailed evaluation: 2 katılımcı henüz onaylamadı",
        ("undeliverable", "en") => "2 participants of Sinop nuclear power plant — detailed evaluation cannot receive email",
        ("undeliverable", "ko") => "Sinop nuclear power plant — detailed evaluation: 참석자 2명에게 이메일을 전달할 수 없습니다",
        ("undeliverable", "tr") => "Sinop nuclear power plant — detailed evaluation: 2 katılımcıya e-posta ulaştırılamıyor",
        ("commitment-reminder", "en") => "Due in 2 days: Data package for the Sinop evaluation",
        ("commitment-reminder", "ko") => "Data package for the Sinop evaluation — 2일 후 마감입니다",
        ("commitment-reminder", "tr") => "Data package for the Sinop evaluation için son teslim tarihi 2 gün sonra",
        ("commitment-escalation", "en") => "Data package for the Sinop evaluation is 2 days overdue",
        ("commitment-escalation", "ko") => "Data package for the Sinop evaluation — 마감 후 2일이 지났습니다",
        ("commitment-escalation", "tr") => "Data package for the Sinop evaluation: son teslim tarihinden 2 gün geçti",
        ("commitment-done", "en") => "Ayşe Yılmaz marked Data package for the Sinop evaluation done",
        ("commitment-done", "ko") => "Data package for the Sinop evaluation — Ayşe Yılmaz 님이 완료 처리했습니다",
        ("commitment-done", "tr") => "Data package for the Sinop evaluation: Ayşe Yılmaz tamamlandı olarak işaretledi",
        ("commitment-more-time", "en") => "Lee Seo-yeon asks for more time for Data package for the Sinop evaluation",
        ("commitment-more-time", "ko") => "Data package for the Sinop evaluation — 이서연 님이 기한 연장을 요청했습니다",
        ("commitment-more-time", "tr") => "Data package for the Sinop evaluation: Lee Seo-yeon ek süre istiyor",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
