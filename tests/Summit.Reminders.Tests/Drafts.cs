using Summit.Reminders.Meetings;

namespace Summit.Reminders.Tests;

/// <summary>A valid registration to start each test from.</summary>
internal static class Drafts
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    public static MeetingDraft Valid(string start = "2026-12-10T10:00", string zone = "Asia/Seoul", IReadOnlyList<string?>? offsets = null) => new()
    {
        Title = "Joint Economic Committee — restart session",
        Track = "joint-economic-committee",
        Agenda = "Trade and investment work programme",
        Start = start,
        TimeZone = zone,
        Duration = "PT2H",
        Location = "Seoul, Ministry of Trade",
        Coordinator = new PersonDraft { Name = "Kim Min-jun", Email = "coordinator@example.org" },
        Participants =
        [
            new ParticipantDraft { Name = "Ayşe Yılmaz", Email = "ayse@example.org", TimeZone = "Europe/Istanbul", Language = "tr" },
            new ParticipantDraft { Name = "Lee Seo-yeon", Email = "seoyeon@example.org" },
        ],
        ReminderOffsets = offsets,
    };
}
