using System.Text.Json;

namespace Summit.Functions.Tests;

/// <summary>
/// Issue 18 over HTTP, on Azurite, with the real default window (08:00–21:00 on each recipient's clock): what
/// GET shows about moved reminders, and that the scheduler and delivery send each at its moved moment, once, and never at
/// the nominal due moment; registration warnings for public holidays.
/// </summary>
public sealed class SendWindowsTests : AppTest
{
    // Thursday 14 January 2027, 09:00 in Seoul = 00:00 UTC = 03:00 in Istanbul (docs/architecture.md, "Send windows").
    private const string SeoulMorning = "2027-01-14T09:00";
    private const string Ayse = "ayse@example.org";      // Europe/Istanbul
    private const string Seoyeon = "seoyeon@example.org"; // the meeting's zone, Asia/Seoul

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int second = 0) => new(2027, month, day, hour, minute, second, TimeSpan.Zero);

    protected override void Configure(Dictionary<string, string?> settings)
    {
        // The test app opens every hour for the other tests; these are about the real default.
        settings["SendWindow:Start"] = "08:00";
        settings["SendWindow:End"] = "21:00";
    }

    private static JsonElement Reminder(JsonElement meeting, string email, string offset)
    {
        var participant = meeting.GetProperty("participants").EnumerateArray().Single(p => p.GetProperty("email").GetString() == email).GetProperty("id").GetString();
        return meeting.GetProperty("reminders").EnumerateArray()
            .Single(r => r.GetProperty("participantId").GetString() == participant && r.GetProperty("offset").GetString() == offset);
    }

    private static DateTimeOffset? Time(JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? null : element.GetProperty(property).GetDateTimeOffset();

    /// <summary>The reminder ids of every reminder email SendGrid accepted so far, in order.</summary>
    private List<string> SentReminders() => App.SendGrid.Reminders.Select(m => m.CustomArg("reminder_id")).ToList();

    /// <summary>Runs both timers at <paramref name="at"/> and returns the reminder ids sent by that run.</summary>
    private async Task<List<string>> RemindersSentAtAsync(DateTimeOffset at)
    {
        var before = App.SendGrid.Reminders.Count;
        await App.RunTimersAsync(at);
        return SentReminders().Skip(before).ToList();
    }

    [Theory]
    [InlineData("meeting", "sendWindow")]
    [InlineData("participant", "participants[0].sendWindow")]
    [InlineData("owner", "owners[0].sendWindow")]
    public async Task ASendWindowWrittenAsOneStringIsRefusedSayingAnObjectIsExpected(string of, string field)
    {
        const string window = "08:00-21:00";
        var body = of switch
        {
            "meeting" => Api.With(Api.Meeting(start: SeoulMorning), new Dictionary<string, object?> { ["sendWindow"] = window }),
            "participant" => Api.With(Api.Meeting(start: SeoulMorning), new Dictionary<string, object?>
            {
                ["participants"] = new object[] { new { name = "Ayşe Yılmaz", email = Ayse, sendWindow = window } },
            }),
            _ => new Dictionary<string, object?>(Api.Commitment()) { ["owners"] = new object[] { new { name = "Ayşe Yılmaz", email = Ayse, sendWindow = window } } },
        };
        var before = await Api.StorageSnapshotAsync();

        var answer = of == "owner"
            ? await App.CallAsync("POST", "/api/commitments", r => App.Function<Commitments.CommitmentsApi>().Create(r, default), body)
            : await Api.CreateAsync(body);

        Assert.True(answer.Status == 400, answer.Body);
        var error = Assert.Single(answer.Json.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains("expected an object", error.GetProperty("message").GetString()); // not "a string": that is what was sent
        Assert.Equal(before, await Api.StorageSnapshotAsync());
    }

    [Fact]
    public async Task ASeoulMeetingAt0900ShowsItsIstanbulParticipantsTwoHourReminderMovedToTheEveningBefore()
    {
        var created = await Api.CreateAsync(Api.Meeting(start: SeoulMorning, offsets: ["P1D", "PT2H"]));

        Assert.True(created.Status == 201, created.Body);
        var meeting = created.Json;
        Assert.Equal(JsonValueKind.Null, meeting.GetProperty("sendWindow").ValueKind); // none of its own: the default applies

        // Ayşe's PT2H is due at 01:00 in Istanbul and goes at 21:00 there the evening before.
        var ayseTwoHours = Reminder(meeting, Ayse, "PT2H");
        Assert.Equal(Utc(1, 13, 22), Time(ayseTwoHours, "dueAt"));
        Assert.Equal(Utc(1, 13, 18), Time(ayseTwoHours, "sendAt"));
        Assert.Contains("send window 08:00–21:00 (Europe/Istanbul)", ayseTwoHours.GetProperty("sendReason").GetString());
        Assert.Equal("pending", ayseTwoHours.GetProperty("state").GetString());

        // Seo-yeon's PT2H is due at 07:00 in Seoul and goes at 08:00, still more than an hour before the start.
        var seoyeonTwoHours = Reminder(meeting, Seoyeon, "PT2H");
        Assert.Equal(Utc(1, 13, 22), Time(seoyeonTwoHours, "dueAt"));
        Assert.Equal(Utc(1, 13, 23), Time(seoyeonTwoHours, "sendAt"));
        Assert.Contains("send window 08:00–21:00 (Asia/Seoul)", seoyeonTwoHours.GetProperty("sendReason").GetString());

        // P1D at 09:00 in Seoul is inside the window: not moved, nothing to explain. In Istanbul it is 03:00: 08:00 that morning.
        var seoyeonDay = Reminder(meeting, Seoyeon, "P1D");
        Assert.Equal(Utc(1, 13, 0), Time(seoyeonDay, "dueAt"));
        Assert.Null(Time(seoyeonDay, "sendAt"));
        Assert.Equal(JsonValueKind.Null, seoyeonDay.GetProperty("sendReason").ValueKind);
        Assert.Equal(Utc(1, 13, 5), Time(Reminder(meeting, Ayse, "P1D"), "sendAt"));

        // GET shows what the write answered.
        var read = (await Api.GetAsync(meeting.GetProperty("id").GetString()!)).Json;
        Assert.Equal(meeting.GetProperty("reminders").GetRawText(), read.GetProperty("reminders").GetRawText());
    }

    [Fact]
    public async Task EachReminderIsSentOnceAtItsMovedMomentAndNothingAtTheNominalDueMoment()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(start: SeoulMorning, offsets: ["P1D", "PT2H"]));
        await App.SendInvitationsAsync();
        var plan = (await Api.GetAsync(id)).Json;
        string IdOf(string email, string offset) => Reminder(plan, email, offset).GetProperty("id").GetString()!;

        // P1D: Seo-yeon at 09:00 Seoul (as due), Ayşe at 08:00 Istanbul (not at 03:00, its due moment for her).
        Assert.Equal([IdOf(Seoyeon, "P1D")], await RemindersSentAtAsync(Utc(1, 13, 0, 0, 30)));
        Assert.Empty(await RemindersSentAtAsync(Utc(1, 13, 4, 58)));
        Assert.Equal([IdOf(Ayse, "P1D")], await RemindersSentAtAsync(Utc(1, 13, 5, 0, 30)));

        // PT2H: Ayşe at 21:00 Istanbul the evening before, not a minute earlier.
        Assert.Empty(await RemindersSentAtAsync(Utc(1, 13, 17, 58)));
        Assert.Equal([IdOf(Ayse, "PT2H")], await RemindersSentAtAsync(Utc(1, 13, 18, 0, 30)));
        var evening = App.SendGrid.Reminders.Single(m => m.CustomArg("reminder_id") == IdOf(Ayse, "PT2H"));
        Assert.Equal(Ayse, evening.To);
        Assert.EndsWith("6 saat sonra başlıyor", evening.Subject); // the wording follows the real time left, not the offset

        // Nothing at the nominal due moment (01:00 Istanbul, 07:00 Seoul); Seo-yeon's goes at 08:00 Seoul.
        Assert.Empty(await RemindersSentAtAsync(Utc(1, 13, 22, 0, 30)));
        Assert.Empty(await RemindersSentAtAsync(Utc(1, 13, 22, 58)));
        Assert.Equal([IdOf(Seoyeon, "PT2H")], await RemindersSentAtAsync(Utc(1, 13, 23, 0, 30)));
        Assert.Equal(Seoyeon, App.SendGrid.Reminders.Single(m => m.CustomArg("reminder_id") == IdOf(Seoyeon, "PT2H")).To);

        // Running again, and on to the start, sends nothing more: each reminder went exactly once.
        Assert.Empty(await RemindersSentAtAsync(Utc(1, 13, 23, 5)));
        Assert.Empty(await RemindersSentAtAsync(Utc(1, 13, 23, 55)));
        Assert.Equal(4, App.SendGrid.Reminders.Count);
        Assert.Equal(4, SentReminders().Distinct().Count());

        var view = (await Api.GetAsync(id)).Json;
        Assert.All(view.GetProperty("reminders").EnumerateArray(), r =>
        {
            Assert.Equal("sent", r.GetProperty("state").GetString());
            // Sent at its moment: the moved one, or the due one where nothing moved it.
            var moment = Time(r, "sendAt") ?? Time(r, "dueAt")!.Value;
            var sentAt = Time(r, "sentAt")!.Value;
            Assert.True(sentAt >= moment && sentAt < moment.AddMinutes(1), $"{r.GetProperty("offset")} to {r.GetProperty("participantId")} sent at {sentAt:O}, its moment {moment:O}");
        });
    }

    [Fact]
    public async Task MovingTheMeetingMovesTheMovedMomentsAndTheOldOnesSendNothing()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(start: SeoulMorning, offsets: ["PT2H"]));
        await App.SendInvitationsAsync();
        // A tick a little before 18:00 UTC queues Ayşe's reminder for its moment ...
        App.MoveClockTo(Utc(1, 13, 17, 59, 30));
        await App.Function<Pipeline.ReminderTimers>().ScheduleDueReminders(new Microsoft.Azure.Functions.Worker.TimerInfo(), default);
        Assert.Single(App.Broker.ActiveMessages(TestApp.QueueName));

        // ... then the meeting moves a week later, to Thursday 21 January, 09:00 Seoul.
        var moved = await Api.UpdateAsync(id, Api.Meeting(start: "2027-01-21T09:00", offsets: ["PT2H"]), "\"1\"");
        Assert.True(moved.Status == 200, moved.Body);
        var ayse = Reminder(moved.Json, Ayse, "PT2H");
        var seoyeon = Reminder(moved.Json, Seoyeon, "PT2H");
        Assert.Equal(Utc(1, 20, 22), Time(ayse, "dueAt"));
        Assert.Equal(Utc(1, 20, 18), Time(ayse, "sendAt"));
        Assert.Equal(Utc(1, 20, 23), Time(seoyeon, "sendAt"));

        foreach (var old in new[] { Utc(1, 13, 18, 0, 30), Utc(1, 13, 22, 0, 30), Utc(1, 13, 23, 0, 30) })
            Assert.Empty(await RemindersSentAtAsync(old));

        Assert.Empty(await RemindersSentAtAsync(Utc(1, 20, 17, 58)));
        Assert.Equal([ayse.GetProperty("id").GetString()!], await RemindersSentAtAsync(Utc(1, 20, 18, 0, 30)));
        Assert.Empty(await RemindersSentAtAsync(Utc(1, 20, 22, 0, 30)));
        Assert.Equal([seoyeon.GetProperty("id").GetString()!], await RemindersSentAtAsync(Utc(1, 20, 23, 0, 30)));
        Assert.All(App.SendGrid.Reminders, m => Assert.Equal("2", m.CustomArg("plan_version")));
        Assert.Equal(2, App.SendGrid.Reminders.Count);
    }

    [Fact]
    public async Task AMeetingOnRepublicDayIsRegisteredWithAWarningThatAMoveToAWorkingDayClears()
    {
        object Meeting(string start) => Api.Meeting(start: start, zone: "Europe/Istanbul", participants:
        [
            new { name = "Ayşe Yılmaz", email = Ayse, timeZone = "Europe/Istanbul", language = "tr" },
            new { name = "Lee Seo-yeon", email = Seoyeon, timeZone = "Asia/Seoul" },
        ]);

        // Friday 29 October 2027, 10:00 in Istanbul: Cumhuriyet Bayramı for the coordinator (the meeting's zone) and Ayşe;
        // a working Friday in Seoul.
        var created = await Api.CreateAsync(Meeting("2027-10-29T10:00"));
        Assert.True(created.Status == 201, created.Body);
        var warning = Assert.Single(created.Json.GetProperty("warnings").EnumerateArray());
        Assert.Equal("public-holiday", warning.GetProperty("code").GetString());
        Assert.Equal("2027-10-29", warning.GetProperty("date").GetString());
        Assert.Equal("TR", warning.GetProperty("country").GetString());
        Assert.Equal(["coordinator", "participants[0]"], warning.GetProperty("people").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("Republic Day", warning.GetProperty("message").GetString());
        Assert.DoesNotContain(Ayse, created.Json.GetProperty("warnings").GetRawText()); // people by position, not by address

        var id = created.Json.GetProperty("id").GetString()!;
        Assert.Equal(created.Json.GetProperty("warnings").GetRawText(), (await Api.GetAsync(id)).Json.GetProperty("warnings").GetRawText());

        // Tuesday 2 November 2027 is a working day in both countries.
        var moved = await Api.UpdateAsync(id, Meeting("2027-11-02T10:00"), "\"1\"");
        Assert.True(moved.Status == 200, moved.Body);
        Assert.Empty(moved.Json.GetProperty("warnings").EnumerateArray());
        Assert.Empty((await Api.GetAsync(id)).Json.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task ACommitmentsRungDueAtMidnightGoesToTheCoordinatorAt0800NotBefore()
    {
        // Due at the end of Friday 15 January 2027 in Seoul: midnight there, 15:00 UTC. The coordinator has no zone of
        // their own: the commitment's.
        var id = await Api.CreateCommitmentIdAsync(Api.Commitment("2027-01-15", offsets: ["P1D"], escalateAfter: ["PT0M"]));

        var emails = (await Api.GetCommitmentAsync(id)).Json.GetProperty("emails").EnumerateArray().ToList();
        var rung = Assert.Single(emails, e => e.GetProperty("kind").GetString() == "escalation");
        Assert.Equal(Utc(1, 15, 15), Time(rung, "dueAt"));
        // 21:00 the evening before is nearer, but a rung never goes before the due moment: 08:00 on Saturday in Seoul.
        Assert.Equal(Utc(1, 15, 23), Time(rung, "sendAt"));
        Assert.Contains("send window 08:00–21:00 (Asia/Seoul)", rung.GetProperty("sendReason").GetString());
        // The owners' day-before reminders keep to their windows too, before the due moment.
        Assert.All(emails.Where(e => e.GetProperty("kind").GetString() == "reminder"), e =>
            Assert.True((Time(e, "sendAt") ?? Time(e, "dueAt")) < Utc(1, 15, 15), e.GetRawText()));

        // Each owner's reminder at its moment, so that only the rung is left.
        foreach (var moment in emails.Where(e => e.GetProperty("kind").GetString() == "reminder").Select(e => (Time(e, "sendAt") ?? Time(e, "dueAt")!.Value).AddSeconds(30)).Distinct().Order())
            await App.RunTimersAsync(moment);
        Assert.Equal(2, App.SendGrid.AcceptedOf("commitment-reminder").Count);

        await App.RunTimersAsync(Utc(1, 15, 15, 0, 30)); // midnight in Seoul
        await App.RunTimersAsync(Utc(1, 15, 22, 58));
        Assert.Empty(App.SendGrid.AcceptedOf("commitment-escalation"));

        await App.RunTimersAsync(Utc(1, 15, 23, 0, 30));
        await App.RunTimersAsync(Utc(1, 15, 23, 5));
        var mail = Assert.Single(App.SendGrid.AcceptedOf("commitment-escalation"));
        Assert.Equal("coordinator@example.org", mail.To);
        var sent = Assert.Single((await Api.GetCommitmentAsync(id)).Json.GetProperty("emails").EnumerateArray(), e => e.GetProperty("kind").GetString() == "escalation");
        Assert.Equal("sent", sent.GetProperty("state").GetString());
        Assert.True(Time(sent, "sentAt") >= Utc(1, 15, 23), sent.GetRawText());
    }
}
