using Summit.Reminders.Meetings;

namespace Summit.Reminders.Tests;

public class MeetingValidatorTests
{
    private static IReadOnlyList<FieldError> Errors(MeetingDraft draft) => MeetingValidator.Validate(draft, Drafts.Now).Errors;

    [Fact]
    public void AValidDraftGivesContentWithDefaultOffsetsLongestFirst()
    {
        var (content, errors) = MeetingValidator.Validate(Drafts.Valid(), Drafts.Now);
        Assert.Empty(errors);
        Assert.NotNull(content);
        Assert.Equal(["P7D", "P1D", "PT2H"], content.Offsets.Select(o => o.ToString()));
        Assert.Equal(new DateTimeOffset(2026, 12, 10, 1, 0, 0, TimeSpan.Zero), content.StartUtc.ToDateTimeOffset());
    }

    [Fact]
    public void NamesEveryMissingRequiredField()
    {
        var fields = Errors(new MeetingDraft()).Select(e => e.Field).ToHashSet();
        Assert.Superset(new HashSet<string> { "title", "track", "start", "timeZone", "coordinator", "participants" }, fields);
    }

    [Fact]
    public void RefusesCrLfInTitlesSoNoHeaderCanBeInjected()
    {
        var error = Assert.Single(Errors(Drafts.Valid() with { Title = "Hello\r\nBcc: victim@example.org" }));
        Assert.Equal("title", error.Field);
    }

    [Fact]
    public void RefusesDuplicateEmailsIgnoringCase()
    {
        var draft = Drafts.Valid() with
        {
            Participants =
            [
                new ParticipantDraft { Name = "A", Email = "same@example.org" },
                new ParticipantDraft { Name = "B", Email = "SAME@example.org" },
            ],
        };
        var error = Assert.Single(Errors(draft));
        Assert.Equal("participants[1].email", error.Field);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@localhost")]
    [InlineData("Name <a@example.org>")]
    [InlineData("a b@example.org")]
    public void RefusesInvalidEmails(string email)
    {
        var draft = Drafts.Valid() with { Participants = [new ParticipantDraft { Name = "A", Email = email }] };
        Assert.Equal("participants[0].email", Assert.Single(Errors(draft)).Field);
    }

    [Theory]
    [InlineData("\"a;b\"@example.org")]
    [InlineData("\"a,b\"@example.org")]
    [InlineData("\"<x>\"@example.org")]
    [InlineData("a@[127.0.0.1]")]
    [InlineData("a@127.0.0.1")]
    [InlineData("a@ex%41mple.org")]
    [InlineData("=?utf-8?b?YQ==?=@example.org")]
    [InlineData("ay\u200Bse@example.org")]
    [InlineData("ayse@exa\u202Emple.org")]
    [InlineData("ayşe@example.org")]
    [InlineData(".ayse@example.org")]
    [InlineData("ay..se@example.org")]
    [InlineData("ayse@-example.org")]
    [InlineData("ayse@example..org")]
    public void RefusesAddressesThatSomeHopCannotCarry(string email)
    {
        var draft = Drafts.Valid() with { Participants = [new ParticipantDraft { Name = "A", Email = email }] };
        var error = Assert.Single(Errors(draft));
        Assert.Equal("participants[0].email", error.Field);
        Assert.Contains("is not an address every mail system can carry", error.Message);
    }

    [Theory]
    [InlineData("o'brien@example.org", "o'brien@example.org")]
    [InlineData("first.last+summit@mofa.go.kr", "first.last+summit@mofa.go.kr")]
    [InlineData("Kim@Example.ORG", "Kim@example.org")]
    [InlineData("kim@한국.example", "kim@xn--3e0b707e.example")]
    [InlineData("ayse@dışişleri.gov.tr", "ayse@xn--dileri-p9a28ab.gov.tr")]
    public void AcceptsDotAtomAddressesAndStoresAUnicodeDomainInPunycode(string email, string stored)
    {
        var (content, errors) = MeetingValidator.Validate(Drafts.Valid() with { Participants = [new ParticipantDraft { Name = "A", Email = email }] }, Drafts.Now);
        Assert.Empty(errors);
        Assert.Equal(stored, Assert.Single(content!.Participants).Email);
    }

    [Theory]
    [InlineData("PT1H", "PT60M")]
    [InlineData("P1D", "PT24H")]
    [InlineData("P7D", "P1W")]
    public void RefusesTwoOffsetsOfTheSameLength(string first, string second)
    {
        var error = Assert.Single(Errors(Drafts.Valid() with { ReminderOffsets = [first, second] }));
        Assert.Equal("reminderOffsets[1]", error.Field);
    }

    [Fact]
    public void RefusesAStartBeyondTheTwoYearHorizonBeforeAnythingElse()
    {
        var error = Assert.Single(Errors(Drafts.Valid() with { Start = "9999-12-31T10:00" }));
        Assert.Equal("start", error.Field);
        Assert.StartsWith("must be at most 730 days (two years) ahead", error.Message);
    }

    [Theory]
    [InlineData("9999-12-31T20:00", "America/New_York")]
    [InlineData("9999-12-31T23:59", "Pacific/Kiritimati")]
    [InlineData("0001-01-01T00:00", "Asia/Seoul")]
    [InlineData("0001-01-01T00:00", "Pacific/Kiritimati")]
    public void RefusesStartsAtTheEdgesOfTheCalendarInAnyZoneWithoutOverflowing(string start, string zone) =>
        Assert.Equal("start", Assert.Single(Errors(Drafts.Valid(zone: zone) with { Start = start })).Field);

    [Theory]
    [InlineData("\u202E")]
    [InlineData("\u200B")]
    [InlineData("\u2028")]
    [InlineData("\u2029")]
    [InlineData("\uFEFF")]
    public void RefusesInvisibleFormatAndSeparatorCharactersInSingleLineFields(string invisible)
    {
        var errors = Errors(Drafts.Valid() with { Title = "JEC" + invisible + "restart", Location = "Seoul" + invisible });
        Assert.Equal(["location", "title"], errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void KeepsMarkupInATitle() => Assert.Empty(Errors(Drafts.Valid() with { Title = "<b>JEC</b> & \"Sinop\"" }));

    [Fact]
    public void RefusesAStartLessThanFiveMinutesAhead()
    {
        var draft = Drafts.Valid(start: "2026-11-27T18:04", zone: "Asia/Seoul"); // 09:04 UTC, now is 09:00
        Assert.Equal("start", Assert.Single(Errors(draft)).Field);
    }

    [Fact]
    public void RefusesAStartThatDoesNotExistBecauseOfDst()
    {
        var draft = Drafts.Valid(start: "2027-03-14T02:30", zone: "America/New_York");
        var error = Assert.Single(Errors(draft));
        Assert.Equal("start", error.Field);
        Assert.Contains("daylight saving", error.Message);
    }

    [Fact]
    public void RefusesAMisspelledZone()
    {
        Assert.Equal("timeZone", Assert.Single(Errors(Drafts.Valid(zone: "Europe/Istambul"))).Field);
    }

    [Theory]
    [InlineData(new[] { "PT4M" }, "reminderOffsets[0]")]
    [InlineData(new[] { "P181D" }, "reminderOffsets[0]")]
    [InlineData(new[] { "P1D", "PT2H", "P1D" }, "reminderOffsets[2]")]
    [InlineData(new string[0], "reminderOffsets")]
    [InlineData(new[] { "P1D", "P2D", "P3D", "P4D", "P5D", "P6D", "P7D", "P8D", "P9D", "P10D", "P11D" }, "reminderOffsets")]
    public void RefusesOffsetsOutsideTheLimits(string[] offsets, string field)
    {
        Assert.Equal(field, Assert.Single(Errors(Drafts.Valid(offsets: offsets))).Field);
    }

    [Fact]
    public void RefusesMoreThanTwoHundredParticipants()
    {
        var many = Enumerable.Range(0, 201).Select(i => (ParticipantDraft?)new ParticipantDraft { Name = $"P{i}", Email = $"p{i}@example.org" }).ToList();
        Assert.Equal("participants", Assert.Single(Errors(Drafts.Valid() with { Participants = many })).Field);
    }

    [Fact]
    public void RefusesATitleOverTwoHundredCharacters()
    {
        Assert.Equal("title", Assert.Single(Errors(Drafts.Valid() with { Title = new string('x', 201) })).Field);
    }
}
