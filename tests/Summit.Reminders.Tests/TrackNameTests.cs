using Summit.Reminders.Delivery;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;
using Summit.Reminders.Participation;

namespace Summit.Reminders.Tests;

/// <summary>Issue 19: a track has its name and description in English, Korean and Turkish, and every meeting email
/// names it in the reader's language (a Korean reminder used to say "분야: Nuclear energy").</summary>
public sealed class TrackNameTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 9, 7, 0, 0, TimeSpan.Zero);
    private static readonly LinkPair Links = new("https://x.example/api/p/acknowledge?token=a", "https://x.example/api/p/unsubscribe?token=u");

    [Fact]
    public void EveryTrackHasANameAndOneSentenceOfDescriptionInEachLanguage()
    {
        Assert.Equal(6, Tracks.All.Count);
        foreach (var track in Tracks.All)
        {
            foreach (var text in new[] { track.Names, track.Descriptions })
            {
                Assert.All(new[] { text.En, text.Ko, text.Tr }, value => Assert.False(string.IsNullOrWhiteSpace(value), track.Id));
                // Translated, not copied: the Korean is Hangul and the Turkish is not the English.
                Assert.Contains(text.Ko, c => c is >= '\uAC00' and <= '\uD7A3');
                Assert.NotEqual(text.En, text.Tr);
            }
            Assert.All(new[] { track.Descriptions.En, track.Descriptions.Ko, track.Descriptions.Tr }, d =>
            {
                Assert.EndsWith(".", d);
                Assert.Equal(1, d.Count(c => c == '.'));
            });
            // The API's English fields stay what they were.
            Assert.Equal(track.Names.En, track.Name);
            Assert.Equal(track.Descriptions.En, track.Description);
        }
        Assert.Equal("원자력", Tracks.Find("nuclear-energy")!.NameIn("ko"));
        Assert.Equal("Nükleer enerji", Tracks.Find("nuclear-energy")!.NameIn("tr"));
        Assert.Equal("Nuclear energy", Tracks.Find("nuclear-energy")!.NameIn("de")); // another language: English, as emails
        Assert.Equal("retired-track", Tracks.NameOf("retired-track", "ko"));
    }

    private static Meeting Meeting(string language, bool templates = false) => new()
    {
        Id = "m1",
        Title = "Sinop nuclear power plant — detailed evaluation",
        Track = "nuclear-energy",
        StartLocal = "2026-12-10T10:00",
        TimeZone = "Europe/Istanbul",
        StartUtc = new DateTimeOffset(2026, 12, 10, 7, 0, 0, TimeSpan.Zero),
        Duration = "PT2H",
        Coordinator = new Person("Mehmet Demir", "mehmet@example.org", language),
        Participants = [new Participant("pa", "Park Ji-ho", "jiho@example.org", "Asia/Seoul", language)],
        ReminderOffsets = ["P1D"],
        Plan = new ReminderPlan("plan1", 1, []),
        CreatedAt = Now.AddDays(-10),
        UpdatedAt = Now.AddDays(-10),
        UseSendGridTemplates = templates,
    };

    public static readonly string[] MeetingKinds = ["reminder", "invitation", "update", "cancellation", "removal", "escalation", "undeliverable"];

    public static TheoryData<string, string> KindsInKoreanAndTurkish()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in MeetingKinds)
            foreach (var language in new[] { "ko", "tr" })
                data.Add(kind, language);
        return data;
    }

    private static EmailMessage Compose(string kind, Meeting meeting)
    {
        var participant = meeting.Participants[0];
        ReminderMessage Message(string slot) => new($"m1.plan1.{slot}.pa", meeting.Id, "plan1", 1, slot, participant.Id, Now);
        return kind switch
        {
            "reminder" => ReminderEmailComposer.Compose(meeting, participant, Message("P1D"), Now, Links),
            "invitation" => NoticeEmailComposer.Compose(meeting, participant, Message(Slots.Invitation), Now, Links),
            "update" => NoticeEmailComposer.Compose(meeting with { Version = 2, LastChange = new MeetingChange(["location"], null) },
                participant, Message(Slots.Update), Now, Links),
            "cancellation" => NoticeEmailComposer.Compose(meeting with { Status = MeetingStatus.Cancelled, Version = 2 }, participant, Message(Slots.Cancellation), Now, Links),
            "removal" => NoticeEmailComposer.Compose(meeting with { Version = 2, Participants = [], RemovedParticipants = [new RemovedParticipant(participant, 1)] },
                participant, Message(Slots.Removal), Now, Links),
            "escalation" => EscalationEmailComposer.Compose(meeting, Message(Slots.Escalation) with { ParticipantId = Slots.Coordinator }, [], [], Now),
            "undeliverable" => UndeliverableEmailComposer.Compose(meeting, Message(Slots.UndeliverablePrefix + "2026-12-09") with { ParticipantId = Slots.Coordinator }, [],
                [new ParticipantResponse(participant.Id, UndeliverableAt: Now.AddMinutes(-12), UndeliverableReason: "bounce: 550 5.1.1 user unknown")]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    [Theory]
    [MemberData(nameof(KindsInKoreanAndTurkish))]
    public void EveryMeetingEmailNamesTheTrackInTheReadersLanguage(string kind, string language)
    {
        var email = Compose(kind, Meeting(language));
        var line = language == "ko" ? "분야: 원자력" : "Alan: Nükleer enerji";

        Assert.Contains(line, email.Text);
        Assert.Contains(language == "ko" ? "원자력" : "Nükleer enerji", System.Net.WebUtility.HtmlDecode(email.Html));
        Assert.DoesNotContain("Nuclear energy", email.Text);
        Assert.DoesNotContain("Nuclear energy", email.Html);
        // The category stays the id: SendGrid's statistics per track do not split by language.
        Assert.Contains("nuclear-energy", email.Categories);
    }

    [Theory]
    [MemberData(nameof(KindsInKoreanAndTurkish))]
    public void SendGridTemplatesGetTheTrackInTheReadersLanguageWithItsIdAndDescription(string kind, string language)
    {
        var data = Compose(kind, Meeting(language, templates: true)).Template!.Data;
        var track = Tracks.Find("nuclear-energy")!;

        Assert.Equal(track.NameIn(language), data["track"]);
        Assert.Equal("nuclear-energy", data["track_id"]);
        Assert.Equal(track.DescriptionIn(language), data["track_description"]);
        Assert.Equal(EmailLanguage.For(language).Track, data["track_label"]);
    }

    [Fact]
    public void EnglishReadersStillReadTheEnglishName()
    {
        var email = Compose("reminder", Meeting("en"));
        Assert.Contains("Track: Nuclear energy", email.Text);
    }
}
