using System.Text.Json;
using Summit.Functions.Webhooks;
using Summit.TestSupport.SendGrid;

namespace Summit.Functions.Tests;

/// <summary>Issue 16: SendGrid's signed Event Webhook, on Azurite, through the function as SendGrid calls it.</summary>
public sealed class DeliveryStatusTests : AppTest
{
    private readonly EventWebhookSigner _signer = new();

    protected override void Configure(Dictionary<string, string?> settings) => settings["EventWebhook:PublicKey"] = _signer.PublicKey;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _signer.Dispose();
    }

    private static readonly object[] Two =
    [
        new { name = "Ayşe Yılmaz", email = "ayse@example.org", language = "tr" },
        new { name = "Lee Seo-yeon", email = "seoyeon@example.org" },
    ];

    private Task<HttpAnswer> PostAsync(string body, string? signature, string? timestamp, string contentType = "application/json")
    {
        var headers = new Dictionary<string, string>();
        if (signature is not null) headers[SendGridEventsApi.SignatureHeader] = signature;
        if (timestamp is not null) headers[SendGridEventsApi.TimestampHeader] = timestamp;
        return App.CallAsync("POST", "/api/sendgrid/events", r => App.Function<SendGridEventsApi>().Receive(r, default), rawBody: body,
            contentType: contentType, headers: headers);
    }

    private Task<HttpAnswer> PostSignedAsync(IEnumerable<Dictionary<string, object?>> events)
    {
        var body = EventWebhookSigner.Body(events);
        var timestamp = EventWebhookSigner.Timestamp(App.Time.GetUtcNow());
        return PostAsync(body, _signer.Sign(body, timestamp), timestamp);
    }

    /// <summary>A meeting whose invitations went out; the id of each participant's invitation, by address.</summary>
    private async Task<(string Meeting, Dictionary<string, string> Invitations)> InvitedAsync(string[]? offsets = null)
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: offsets ?? ["P1D"], participants: Two));
        await App.SendInvitationsAsync();
        var meeting = (await Api.GetAsync(id)).Json;
        var emails = meeting.GetProperty("participants").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => p.GetProperty("email").GetString()!);
        var invitations = meeting.GetProperty("notices").EnumerateArray()
            .ToDictionary(n => emails[n.GetProperty("recipientId").GetString()!], n => n.GetProperty("id").GetString()!);
        return (id, invitations);
    }

    /// <summary>Sends the meeting's invitations; the id of each participant's invitation, by address.</summary>
    private async Task<Dictionary<string, string>> InvitationsAsync(string meeting)
    {
        await App.SendInvitationsAsync();
        var view = (await Api.GetAsync(meeting)).Json;
        var emails = view.GetProperty("participants").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => p.GetProperty("email").GetString()!);
        return view.GetProperty("notices").EnumerateArray().Where(n => n.GetProperty("kind").GetString() == "invitation")
            .ToDictionary(n => emails[n.GetProperty("recipientId").GetString()!], n => n.GetProperty("id").GetString()!);
    }

    private async Task<JsonElement> InvitationOfAsync(string meeting, string reminderId) =>
        (await Api.GetAsync(meeting)).Json.GetProperty("notices").EnumerateArray().Single(n => n.GetProperty("id").GetString() == reminderId);

    [Fact]
    public async Task EventsInAnyOrderEndInTheStatusOfHighestPrecedenceAndAReplayChangesNothing()
    {
        var (meeting, invitations) = await InvitedAsync();
        var at = App.Time.GetUtcNow();
        var ayse = invitations["ayse@example.org"];
        var events = new[]
        {
            EventWebhookSigner.Event("processed", meeting, ayse, at),
            EventWebhookSigner.Event("deferred", meeting, ayse, at.AddSeconds(5), reason: "421 try again later"),
            EventWebhookSigner.Event("delivered", meeting, ayse, at.AddSeconds(40)),
            EventWebhookSigner.Event("open", meeting, ayse, at.AddSeconds(60)),
            EventWebhookSigner.Event("delivered", "m000000000000000000000000", "m0.p.invite.x", at),
        };
        // Every order SendGrid might send them in, each batch on its own meeting state: shuffled by a seeded generator.
        var random = new Random(16);
        for (var round = 0; round < 4; round++)
        {
            var shuffled = events.OrderBy(_ => random.Next()).ToList();
            var answer = await PostSignedAsync(shuffled);
            Assert.True(answer.Status == 200, answer.Body);
        }

        var delivery = (await InvitationOfAsync(meeting, ayse)).GetProperty("delivery");
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal(at.AddSeconds(40), delivery.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, (await InvitationOfAsync(meeting, invitations["seoyeon@example.org"])).GetProperty("delivery").ValueKind);

        // The same batch again, as SendGrid retries it: every event is recognised, nothing stored changes.
        var before = await Api.StorageSnapshotAsync();
        var again = await PostSignedAsync(events);
        Assert.Equal(200, again.Status);
        Assert.Equal(0, again.Json.GetProperty("applied").GetInt32());
        Assert.Equal(3, again.Json.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, again.Json.GetProperty("unknown").GetInt32());
        Assert.Equal(1, again.Json.GetProperty("ignored").GetInt32());
        Assert.Equal(before, await Api.StorageSnapshotAsync());
    }

    [Fact]
    public async Task ABounceAfterDeliveredWinsAndAHardBounceStopsThatParticipantsLaterEmailsWithTheReason()
    {
        var (meeting, invitations) = await InvitedAsync();
        await Api.CreateIdAsync(Api.Meeting(participants: Two)); // a meeting nobody bounced from
        var at = App.Time.GetUtcNow();
        var answer = await PostSignedAsync(
        [
            EventWebhookSigner.Event("delivered", meeting, invitations["ayse@example.org"], at),
            EventWebhookSigner.Event("bounce", meeting, invitations["ayse@example.org"], at.AddMinutes(2),
                reason: "550 5.1.1 ayse@example.org: user unknown", bounceType: "bounce"),
            EventWebhookSigner.Event("bounce", meeting, invitations["seoyeon@example.org"], at.AddMinutes(2),
                reason: "421 rate limited", bounceType: "blocked"),
        ]);
        Assert.Equal(200, answer.Status);

        var delivery = (await InvitationOfAsync(meeting, invitations["ayse@example.org"])).GetProperty("delivery");
        Assert.Equal("bounce", delivery.GetProperty("status").GetString());
        Assert.Equal("550 5.1.1 [address]: user unknown", delivery.GetProperty("detail").GetString());
        var answers = (await Api.GetAsync(meeting)).Json.GetProperty("responses").EnumerateArray().ToDictionary(r => r.GetProperty("email").GetString()!);
        Assert.True(answers["ayse@example.org"].GetProperty("undeliverable").GetBoolean());
        Assert.False(answers["seoyeon@example.org"].GetProperty("undeliverable").GetBoolean()); // a block is for now, not for good
        var listed = (await Api.ListAsync("?undeliverable=true")).Json.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString());
        Assert.Equal([meeting], listed);

        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero)); // the P1D reminders
        Assert.Equal(["seoyeon@example.org"], App.SendGrid.Reminders.Where(m => m.CustomArg("meeting_id") == meeting).Select(m => m.To));
        var skipped = (await Api.GetAsync(meeting)).Json.GetProperty("reminders").EnumerateArray()
            .Single(r => r.GetProperty("participantId").GetString() == answers["ayse@example.org"].GetProperty("participantId").GetString());
        Assert.Equal("skipped", skipped.GetProperty("state").GetString());
        Assert.Equal("the participant's address cannot receive email (bounce: 550 5.1.1 [address]: user unknown)", skipped.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task TheCoordinatorsEscalationNamesTheUndeliverableParticipantWithSendGridsReason()
    {
        var meeting = await Api.CreateIdAsync(Api.With(Api.Meeting(offsets: ["P1D"], participants: Two),
            new Dictionary<string, object?> { ["escalateBefore"] = "PT12H" }));
        await App.SendInvitationsAsync();
        var view = (await Api.GetAsync(meeting)).Json;
        var ayse = view.GetProperty("participants")[0].GetProperty("id").GetString();
        var invitation = view.GetProperty("notices").EnumerateArray().First(n => n.GetProperty("recipientId").GetString() == ayse);
        Assert.Equal(200, (await PostSignedAsync([EventWebhookSigner.Event("dropped", meeting, invitation.GetProperty("id").GetString()!, App.Time.GetUtcNow(),
            reason: "Bounced Address")])).Status);

        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 13, 0, 30, TimeSpan.Zero)); // 12 hours before the start

        var escalation = Assert.Single(App.SendGrid.AcceptedOf("escalation"));
        Assert.Contains("Ayşe Yılmaz", escalation.Content("text/plain"));
        Assert.Contains("the address cannot receive email (dropped: Bounced Address)", escalation.Content("text/plain"));
    }

    private async Task BounceAsync(string meeting, string reminderId, string reason = "550 5.1.1 user unknown") =>
        Assert.Equal(200, (await PostSignedAsync([EventWebhookSigner.Event("bounce", meeting, reminderId, App.Time.GetUtcNow(), reason: reason, bounceType: "bounce")])).Status);

    private static readonly object KoreanCoordinator = new { name = "Kim Min-jun", email = "coordinator@example.org", language = "ko" };

    [Fact]
    public async Task TheCoordinatorLearnsOnceInTheirLanguageAndAtMostOnceADayWhoCannotReceiveEmail()
    {
        // 18:00 in Seoul, the meeting's zone: the coordinator's day.
        var meeting = await Api.CreateIdAsync(Api.With(Api.Meeting(offsets: ["P1D"], participants: Two),
            new Dictionary<string, object?> { ["coordinator"] = KoreanCoordinator }));
        var invitations = await InvitationsAsync(meeting);
        await BounceAsync(meeting, invitations["ayse@example.org"]);

        await App.RunTimersAsync(App.Time.GetUtcNow().AddMinutes(5));
        Assert.Empty(App.SendGrid.AcceptedOf("undeliverable")); // it waits for the other bounces of the same send
        await App.RunTimersAsync(App.Time.GetUtcNow().AddMinutes(6));
        var first = Assert.Single(App.SendGrid.AcceptedOf("undeliverable"));
        Assert.Equal("coordinator@example.org", first.To);
        Assert.Equal("이메일 전달 불가 참석자 1명: Joint Economic Committee — restart session", first.Subject);
        var text = first.Content("text/plain");
        Assert.Contains("Ayşe Yılmaz <ayse@example.org> — bounce: 550 5.1.1 user unknown (확인: ", text);
        Assert.DoesNotContain("seoyeon@example.org>", text);
        var notice = Assert.Single((await Api.GetAsync(meeting)).Json.GetProperty("notices").EnumerateArray(), n => n.GetProperty("kind").GetString() == "undeliverable");
        Assert.Equal("coordinator", notice.GetProperty("recipientId").GetString());
        Assert.Equal("sent", notice.GetProperty("state").GetString());

        // Seo-yeon bounces an hour later, the same day in Seoul: nothing more today; tomorrow at 08:00 one email names
        // her as new and Ayşe as reported before.
        App.MoveClockTo(App.Time.GetUtcNow().AddHours(1));
        await BounceAsync(meeting, invitations["seoyeon@example.org"], "550 mailbox disabled");
        await App.RunTimersAsync(new DateTimeOffset(2026, 11, 27, 22, 59, 0, TimeSpan.Zero)); // 07:59 in Seoul
        Assert.Single(App.SendGrid.AcceptedOf("undeliverable"));
        await App.RunTimersAsync(new DateTimeOffset(2026, 11, 27, 23, 0, 30, TimeSpan.Zero));
        var second = App.SendGrid.AcceptedOf("undeliverable")[1];
        Assert.Equal("이메일 전달 불가 참석자 2명: Joint Economic Committee — restart session", second.Subject);
        var secondText = second.Content("text/plain");
        var earlier = secondText.IndexOf("이전에 알려 드린 전달 불가 주소", StringComparison.Ordinal);
        Assert.InRange(secondText.IndexOf("Lee Seo-yeon <seoyeon@example.org> — bounce: 550 mailbox disabled", StringComparison.Ordinal), 0, earlier);
        Assert.True(secondText.IndexOf("Ayşe Yılmaz <ayse@example.org>", StringComparison.Ordinal) > earlier, secondText);

        // Neither gets a reminder, and nothing more is reported.
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        Assert.Equal(2, App.SendGrid.AcceptedOf("undeliverable").Count);
        Assert.DoesNotContain(App.SendGrid.Reminders, m => m.CustomArg("meeting_id") == meeting);
    }

    [Fact]
    public async Task WhenTheEscalationIsDueTheSameDayItNamesThemAndNoSeparateNoticeGoes()
    {
        var meeting = await Api.CreateIdAsync(Api.With(Api.Meeting(offsets: ["P1D"], participants: Two),
            new Dictionary<string, object?> { ["escalateBefore"] = "PT18H" })); // 16:00 on 9 December in Seoul
        var invitations = await InvitationsAsync(meeting);
        App.MoveClockTo(new DateTimeOffset(2026, 12, 9, 1, 30, 0, TimeSpan.Zero)); // 10:30 in Seoul, after the P1D reminders
        await App.RunTimersAsync();
        await BounceAsync(meeting, invitations["ayse@example.org"]);

        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 6, 59, 0, TimeSpan.Zero)); // 15:59
        Assert.Empty(App.SendGrid.AcceptedOf("undeliverable"));
        Assert.Empty(App.SendGrid.AcceptedOf("escalation"));
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 7, 0, 30, TimeSpan.Zero));
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 7, 3, 0, TimeSpan.Zero));

        var escalation = Assert.Single(App.SendGrid.AcceptedOf("escalation"));
        Assert.Contains("Ayşe Yılmaz <ayse@example.org> — the address cannot receive email (bounce: 550 5.1.1 user unknown)", escalation.Content("text/plain"));
        Assert.Empty(App.SendGrid.AcceptedOf("undeliverable"));
        var notice = Assert.Single((await Api.GetAsync(meeting)).Json.GetProperty("notices").EnumerateArray(), n => n.GetProperty("kind").GetString() == "undeliverable");
        Assert.Equal("skipped", notice.GetProperty("state").GetString());
        Assert.Equal("every undeliverable participant was already reported to the coordinator", notice.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ErasingTheParticipantTakesTheirIdOffTheNoticeThatReportedThem()
    {
        var meeting = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: Two));
        var invitations = await InvitationsAsync(meeting);
        await BounceAsync(meeting, invitations["ayse@example.org"]);
        await App.RunTimersAsync(App.Time.GetUtcNow().AddMinutes(11));
        Assert.Single(App.SendGrid.AcceptedOf("undeliverable"));
        var ayseId = (await Api.GetAsync(meeting)).Json.GetProperty("participants")[0].GetProperty("id").GetString()!;
        Assert.Contains(await Stored.MentionsAsync(App, ayseId), l => l.Contains(".coordinator|", StringComparison.Ordinal) && l.Contains("Reports=" + ayseId, StringComparison.Ordinal));

        Assert.Equal(200, (await Api.ErasePersonAsync("ayse@example.org")).Status);

        Assert.DoesNotContain(await Stored.EntitiesAsync(App), l => l.StartsWith("ledger|", StringComparison.Ordinal) && l.Contains(ayseId, StringComparison.Ordinal));
        var kept = Assert.Single((await Api.GetAsync(meeting)).Json.GetProperty("notices").EnumerateArray(), n => n.GetProperty("kind").GetString() == "undeliverable");
        Assert.Equal("sent", kept.GetProperty("state").GetString());
    }

    [Fact]
    public async Task ASpamReportUnsubscribesTheParticipantLikeTheirLink()
    {
        var (meeting, invitations) = await InvitedAsync();
        Assert.Equal(200, (await PostSignedAsync([EventWebhookSigner.Event("spamreport", meeting, invitations["seoyeon@example.org"], App.Time.GetUtcNow())])).Status);

        var answers = (await Api.GetAsync(meeting)).Json.GetProperty("responses").EnumerateArray().ToDictionary(r => r.GetProperty("email").GetString()!);
        Assert.True(answers["seoyeon@example.org"].GetProperty("unsubscribed").GetBoolean());
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        Assert.Equal(["ayse@example.org"], App.SendGrid.Reminders.Select(m => m.To));
    }

    public static TheoryData<string> Refusals() => new(["no signature", "wrong key", "tampered body", "six minutes old", "six minutes ahead", "not an array", "an array of numbers", "not JSON"]);

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ARequestNotSignedBySendGridJustNowIsRefusedAndChangesNothing(string refusal)
    {
        var (meeting, invitations) = await InvitedAsync();
        var body = EventWebhookSigner.Body([EventWebhookSigner.Event("bounce", meeting, invitations["ayse@example.org"], App.Time.GetUtcNow(), bounceType: "bounce")]);
        var now = EventWebhookSigner.Timestamp(App.Time.GetUtcNow());
        using var other = new EventWebhookSigner();
        var before = await Api.StorageSnapshotAsync();

        var old = EventWebhookSigner.Timestamp(App.Time.GetUtcNow().AddMinutes(-6));
        var ahead = EventWebhookSigner.Timestamp(App.Time.GetUtcNow().AddMinutes(6));
        var (status, field, sent, signature, timestamp) = refusal switch
        {
            "no signature" => (401, SendGridEventsApi.SignatureHeader, body, null, now),
            "wrong key" => (401, SendGridEventsApi.SignatureHeader, body, other.Sign(body, now), now),
            "tampered body" => (401, SendGridEventsApi.SignatureHeader, body.Replace("bounce", "delivered", StringComparison.Ordinal), _signer.Sign(body, now), now),
            "six minutes old" => (401, SendGridEventsApi.TimestampHeader, body, _signer.Sign(body, old), old),
            "six minutes ahead" => (401, SendGridEventsApi.TimestampHeader, body, _signer.Sign(body, ahead), ahead),
            "not an array" => (400, "body", "{\"event\":\"bounce\"}", _signer.Sign("{\"event\":\"bounce\"}", now), now),
            "an array of numbers" => (400, "body", "[1,2]", _signer.Sign("[1,2]", now), now),
            _ => (400, "body", "[{\"event\":", _signer.Sign("[{\"event\":", now), now),
        };

        var answer = await PostAsync(sent, signature, timestamp);

        Assert.True(status == answer.Status, $"{refusal}: {answer.Status} {answer.Body}");
        Assert.Contains(field, answer.ErrorFields);
        Assert.Equal(before, await Api.StorageSnapshotAsync());
    }

    [Fact]
    public async Task ABodyOverOneMegabyteIsRefusedBeforeItIsRead()
    {
        var body = "[" + new string(' ', SendGridEventsApi.MaxBytes) + "]";
        var now = EventWebhookSigner.Timestamp(App.Time.GetUtcNow());
        var answer = await PostAsync(body, _signer.Sign(body, now), now);
        Assert.Equal(413, answer.Status);
    }
}

public sealed class DeliveryStatusNotConfiguredTests : AppTest
{
    [Fact]
    public async Task WithoutAVerificationKeyEveryRequestIsAnsweredSendAgainLater()
    {
        using var signer = new EventWebhookSigner();
        var body = EventWebhookSigner.Body([]);
        var now = EventWebhookSigner.Timestamp(App.Time.GetUtcNow());
        var answer = await App.CallAsync("POST", "/api/sendgrid/events", r => App.Function<SendGridEventsApi>().Receive(r, default), rawBody: body,
            headers: new Dictionary<string, string> { [SendGridEventsApi.SignatureHeader] = signer.Sign(body, now), [SendGridEventsApi.TimestampHeader] = now });
        Assert.Equal(503, answer.Status);
    }
}
