using NodaTime;
using NodaTime.Text;
using Summit.Reminders.Meetings;
using Summit.Reminders.SendWindows;

namespace Summit.LocalHost;

/// <summary>One registered sample meeting, as the sample-data endpoint reports it.</summary>
public sealed record SampleMeeting(string Id, string Title, string Track, string Start, string TimeZone, DateTimeOffset FirstReminderDue, int Participants);

/// <summary>
/// The follow-up meetings the South Korea–Türkiye summit announced, registered through the same use case as
/// <c>POST /api/meetings</c>. Each meeting starts so that its first reminder falls due 2 to 7 minutes after loading,
/// so a local run shows reminders within minutes, whatever the hour or the day: their send window is every hour of
/// every day (a real meeting keeps to 08:00–21:00 and working days). Participants are in Asia/Seoul and
/// Europe/Istanbul, and one is abroad in a zone with daylight saving time. People and addresses are fictitious (example.org).
/// </summary>
public sealed class SampleData(MeetingService meetings, TimeProvider time)
{
    private static readonly LocalDateTimePattern StartPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");

    private sealed record Plan(string Title, string Track, string Zone, string Location, string Agenda, Duration Lead, string[] Offsets,
        string Coordinator, string CoordinatorEmail, (string Name, string Email, string Zone, string Language)[] People);

    private static readonly (string, string, string, string)[] Seoul =
    [
        ("Kim Seo-yeon", "seoyeon.kim@mofa.example.org", "Asia/Seoul", "ko"),
        ("Park Ji-ho", "jiho.park@motie.example.org", "Asia/Seoul", "ko"),
    ];

    private static readonly (string, string, string, string)[] Ankara =
    [
        ("Ayşe Yılmaz", "ayse.yilmaz@ticaret.example.org", "Europe/Istanbul", "tr"),
        ("Mehmet Demir", "mehmet.demir@enerji.example.org", "Europe/Istanbul", "tr"),
    ];

    /// <summary>A Korean trade attaché posted in Berlin: a participant whose zone changes offset twice a year.</summary>
    private static readonly (string, string, string, string) Berlin = ("Lee Min-jun", "minjun.lee@kotra-berlin.example.org", "Europe/Berlin", "en");

    private static readonly Plan[] Plans =
    [
        new("Joint Economic Committee — restart session", "joint-economic-committee", "Asia/Seoul", "Seoul, Ministry of Foreign Affairs",
            "Trade volume target, investment protection, the first JEC work programme since the restart",
            Duration.FromDays(1), ["P1D", "PT2H"], "Choi Yuna", "yuna.choi@mofa.example.org", [.. Seoul, .. Ankara, Berlin]),
        new("Sinop nuclear power plant — detailed evaluation", "nuclear-energy", "Europe/Istanbul", "Ankara, Ministry of Energy and Natural Resources",
            "Site studies, financing model, localisation share, timeline of the detailed evaluation",
            Duration.FromDays(7), ["P7D", "P1D", "PT1H"], "Mehmet Demir", "mehmet.demir@enerji.example.org", [.. Seoul, Ankara[0]]),
        new("Altay tank co-production and crew training", "defence-industry", "Europe/Istanbul", "Ankara, Presidency of Defence Industries",
            "Power pack deliveries, co-production milestones, training of Turkish crews",
            Duration.FromHours(2), ["PT2H", "PT30M"], "Emre Kaya", "emre.kaya@ssb.example.org", [Seoul[1], .. Ankara]),
        new("Biotechnology and medical technology working group", "biotechnology", "Asia/Seoul", "Online",
            "Joint research calls, clinical trial cooperation, medical device certification",
            Duration.FromDays(3), ["P3D", "PT1H"], "Park Ji-ho", "jiho.park@motie.example.org", [Seoul[0], Ankara[0], Berlin]),
        new("Wind energy and road construction projects", "infrastructure-energy", "Europe/Istanbul", "Istanbul, Ministry of Transport",
            "Offshore wind pipeline, motorway PPP projects, Korean contractor participation",
            Duration.FromDays(1), ["P1D", "PT15M"], "Ayşe Yılmaz", "ayse.yilmaz@ticaret.example.org", [.. Seoul, Ankara[1]]),
        new("Cultural exchange, refugee and public-health support", "culture-humanitarian", "Asia/Seoul", "Seoul, Korea Foundation",
            "Cultural year events, support for refugees hosted in Türkiye, public-health cooperation",
            Duration.FromHours(1), ["PT1H", "PT10M"], "Kim Seo-yeon", "seoyeon.kim@mofa.example.org", [Seoul[1], .. Ankara]),
    ];

    public async Task<IReadOnlyList<SampleMeeting>> LoadAsync(CancellationToken cancellationToken)
    {
        var loaded = new List<SampleMeeting>();
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        for (var i = 0; i < Plans.Length; i++)
        {
            var plan = Plans[i];
            var zone = DateTimeZoneProviders.Tzdb[plan.Zone];
            // First reminder due 2 + i minutes from now, rounded up to a whole minute of meeting time.
            var local = (now + plan.Lead + Duration.FromMinutes(2 + i)).InZone(zone).LocalDateTime;
            var start = local.Second == 0 && local.NanosecondOfSecond == 0 ? local : local.PlusMinutes(1).With(TimeAdjusters.TruncateToMinute);
            var draft = new MeetingDraft
            {
                Title = plan.Title,
                Track = plan.Track,
                Agenda = plan.Agenda,
                Start = StartPattern.Format(start),
                TimeZone = plan.Zone,
                Duration = "PT2H",
                Location = plan.Location,
                Coordinator = new PersonDraft { Name = plan.Coordinator, Email = plan.CoordinatorEmail },
                Participants = plan.People.Select(p => (ParticipantDraft?)new ParticipantDraft { Name = p.Name, Email = p.Email, TimeZone = p.Zone, Language = p.Language }).ToList(),
                ReminderOffsets = plan.Offsets,
                SendWindow = new SendWindowDraft { Start = "00:00", End = "23:59", Days = SendWindow.AllDays },
            };
            var result = await meetings.RegisterAsync(draft, null, cancellationToken);
            if (result is not MeetingResult.Created created)
                throw new InvalidOperationException($"The sample meeting '{plan.Title}' was refused: {result}");
            var meeting = created.View.Meeting;
            loaded.Add(new SampleMeeting(meeting.Id, meeting.Title, meeting.Track, meeting.StartLocal, meeting.TimeZone,
                created.View.Reminders.Min(r => r.DueAt), meeting.Participants.Count));
        }
        return loaded;
    }
}
