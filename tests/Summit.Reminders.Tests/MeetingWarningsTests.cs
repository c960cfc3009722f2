using Summit.Reminders.Meetings;

namespace Summit.Reminders.Tests;

/// <summary>A meeting on a weekend, a public holiday or a half day's afternoon for some of its people is still registered,
/// with warnings that say for whom (by position, never by name).</summary>
public sealed class MeetingWarningsTests
{
    private static readonly DateTimeOffset Registered = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<MeetingWarning> WarningsOf(MeetingDraft draft)
    {
        var (content, errors) = MeetingValidator.Validate(draft, Registered);
        Assert.True(content is not null, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        return MeetingWarnings.For(Meeting.Create("m1", content with { Participants = content.Participants.Select(p => p with { Id = p.Email }).ToList() }, Registered));
    }

    [Fact]
    public void AMeetingOnRepublicDay2027WarnsForEveryoneInTurkiyeAndNoOneInKorea()
    {
        // Friday 29 October 2027, 10:00 in Ankara: Cumhuriyet Bayramı. Ayşe (Istanbul) and the coordinator (zone of the
        // meeting) are in Türkiye; Seo-yeon's zone is Seoul's, where it is a working Friday.
        var warnings = WarningsOf(Drafts.Valid("2027-10-29T10:00", "Europe/Istanbul") with
        {
            Participants =
            [
                new ParticipantDraft { Name = "Ayşe Yılmaz", Email = "ayse@example.org", TimeZone = "Europe/Istanbul" },
                new ParticipantDraft { Name = "Lee Seo-yeon", Email = "seoyeon@example.org", TimeZone = "Asia/Seoul" },
            ],
        });

        var warning = Assert.Single(warnings);
        Assert.Equal("public-holiday", warning.Code);
        Assert.Equal("2027-10-29", warning.Date);
        Assert.Equal("TR", warning.Country);
        Assert.Equal(["coordinator", "participants[0]"], warning.People);
        Assert.Equal("Friday 29 October 2027 is Republic Day (Cumhuriyet Bayramı), a public holiday in TR, for the coordinator and 1 participant", warning.Message);
    }

    [Fact]
    public void EachPersonsDateIsReadOnTheirOwnClock()
    {
        // Thursday 28 October 2027, 20:00 in New York is already Friday 29th, 03:00, in Istanbul.
        var warnings = WarningsOf(Drafts.Valid("2027-10-28T20:00", "America/New_York") with
        {
            Participants = [new ParticipantDraft { Name = "Ayşe Yılmaz", Email = "ayse@example.org", TimeZone = "Europe/Istanbul" }],
        });

        var warning = Assert.Single(warnings);
        Assert.Equal(("public-holiday", "2027-10-29"), (warning.Code, warning.Date));
        Assert.Equal(["participants[0]"], warning.People);
    }

    [Fact]
    public void AnAfternoonMeetingOnTheEveOfRepublicDayWarnsOfTheHalfDay()
    {
        var morning = WarningsOf(Drafts.Valid("2027-10-28T10:00", "Europe/Istanbul") with { Duration = "PT2H" });
        var afternoon = WarningsOf(Drafts.Valid("2027-10-28T12:00", "Europe/Istanbul") with { Duration = "PT2H" });

        Assert.DoesNotContain(morning, w => w.Code == "half-day");
        var half = Assert.Single(afternoon, w => w.Code == "half-day");
        Assert.Contains("a half day from 13:00", half.Message);
    }

    [Fact]
    public void ChuseokWarnsForKoreaAndAWeekendForEveryoneWithoutAKnownCountry()
    {
        // Wednesday 15 September 2027 is Chuseok; in New York the meeting (10:00 Seoul) is still Tuesday evening.
        var chuseok = WarningsOf(Drafts.Valid("2027-09-15T10:00", "Asia/Seoul") with
        {
            Participants =
            [
                new ParticipantDraft { Name = "Lee Seo-yeon", Email = "seoyeon@example.org" },
                new ParticipantDraft { Name = "Dana Cole", Email = "dana@example.org", TimeZone = "America/New_York" },
            ],
        });
        var saturday = WarningsOf(Drafts.Valid("2027-01-16T10:00", "Asia/Seoul") with
        {
            Participants = [new ParticipantDraft { Name = "Dana Cole", Email = "dana@example.org", TimeZone = "America/New_York" }],
        });

        var holiday = Assert.Single(chuseok);
        Assert.Equal(("KR", "Chuseok"), (holiday.Country, holiday.Holiday));
        Assert.Equal(["coordinator", "participants[0]"], holiday.People);
        // 10:00 Saturday in Seoul is 20:00 Friday in New York: the weekend is the coordinator's only.
        var weekend = Assert.Single(saturday);
        Assert.Equal("weekend", weekend.Code);
        Assert.Equal(["coordinator"], weekend.People);
    }

    [Fact]
    public void AWorkingDayForEveryoneHasNoWarnings() =>
        Assert.Empty(WarningsOf(Drafts.Valid("2027-01-14T10:00", "Asia/Seoul")));
}
