using Microsoft.Extensions.DependencyInjection;
using Summit.Reminders.Email;
using Summit.TestSupport.SendGrid;

namespace Summit.Functions.Tests;

/// <summary>Fails to write the emails <paramref name="fails"/> picks, as a template bug or unexpected data would.</summary>
internal sealed class FailingComposer(IEmailComposer inner, Func<CompositionInput, bool> fails) : IEmailComposer
{
    public EmailMessage Compose(CompositionInput input) =>
        fails(input) ? throw new FormatException("template could not be rendered") : inner.Compose(input);

    public EmailMessage Compose(CommitmentCompositionInput input) => inner.Compose(input);

    public EmailMessage Compose(DigestCompositionInput input) => inner.Compose(input);
}

/// <summary>Issue 13: one recipient's broken email stays that recipient's problem; nobody is told about a meeting they
/// were never invited to.</summary>
public sealed class NoticeAndIsolationTests : AppTest
{
    private static readonly object[] Three =
    [
        new { name = "Ayşe Yılmaz", email = "ayse@example.org", language = "tr" },
        new { name = "Lee Seo-yeon", email = "seoyeon@example.org" },
        new { name = "Park Ji-ho", email = "jiho@example.org" },
    ];

    // Every email to her fails to be written, as a template bug or unexpected data would.
    protected override void Decorate(IServiceCollection services) =>
        Wrap<IEmailComposer>(services, (inner, _) => new FailingComposer(inner, input => input.Participant?.Email == "seoyeon@example.org"));

    [Fact]
    public async Task WhenOneParticipantsEmailCannotBeWrittenOnlyThatMessageIsDeadLetteredOnceAndTheOthersGoOut()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: Three));
        await App.RunTimersAsync();
        await App.RunTimersAsync(App.Time.GetUtcNow().AddMinutes(10)); // a later run finds nothing left to retry

        Assert.Equal(["ayse@example.org", "jiho@example.org"], App.SendGrid.AcceptedOf("invitation").Select(m => m.To).Order());
        var dead = Assert.Single(App.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.Equal("ComposeFailed", dead.DeadLetterReason);
        Assert.Contains("FormatException", dead.DeadLetterErrorDescription);
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
        var notices = (await Api.GetAsync(id)).Json.GetProperty("notices").EnumerateArray().ToList();
        var failed = Assert.Single(notices, n => n.GetProperty("state").GetString() == "failed");
        Assert.StartsWith("the email could not be written (FormatException", failed.GetProperty("reason").GetString());

        // The reminders of the other two still go; hers fails alone again.
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        Assert.Equal(["ayse@example.org", "jiho@example.org"], App.SendGrid.Reminders.Select(m => m.To).Order());
        Assert.Equal(2, App.Broker.DeadLetteredMessages(TestApp.QueueName).Count);
    }

    [Fact]
    public async Task AUnicodeDomainIsStoredAndSentAsPunycodeWhichSendGridAccepts()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [new { name = "Kim Ji-woo", email = "kim@한국.example" }]));
        Assert.Equal("kim@xn--3e0b707e.example", (await Api.GetAsync(id)).Json.GetProperty("participants")[0].GetProperty("email").GetString());
        await App.RunTimersAsync();
        var invitation = Assert.Single(App.SendGrid.Requests);
        Assert.Equal(202, invitation.AnsweredStatus);
        Assert.Equal("kim@xn--3e0b707e.example", invitation.To);
    }

    [Fact]
    public async Task AMeetingCancelledBeforeItsInvitationsWentOutSendsNoCancellation()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [Three[0], Three[2]]));
        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        await App.RunTimersAsync();
        await App.RunTimersAsync();

        Assert.Empty(App.SendGrid.Requests);
        var notices = (await Api.GetAsync(id)).Json.GetProperty("notices").EnumerateArray().Where(n => n.GetProperty("kind").GetString() == "cancellation").ToList();
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n =>
        {
            Assert.Equal("skipped", n.GetProperty("state").GetString());
            Assert.Equal("no invitation was sent to this participant: there is nothing in their calendar to cancel", n.GetProperty("reason").GetString());
        });
    }

    [Fact]
    public async Task AParticipantRemovedBeforeTheirInvitationWentOutGetsNoCancellationAndTheOthersGetTheirInvitationOnce()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [Three[0], Three[2]]));
        var etag = (await Api.GetAsync(id)).Header("ETag");
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"], participants: [Three[2]]), etag)).Status);
        await App.RunTimersAsync();
        await App.RunTimersAsync();

        Assert.DoesNotContain(App.SendGrid.Requests, m => m.To == "ayse@example.org");
        Assert.Equal(["jiho@example.org"], App.SendGrid.Accepted.Select(m => m.To));
        var removal = Assert.Single((await Api.GetAsync(id)).Json.GetProperty("notices").EnumerateArray(), n => n.GetProperty("kind").GetString() == "removal");
        Assert.Equal("skipped", removal.GetProperty("state").GetString());
    }

    [Fact]
    public async Task AParticipantWhoGotTheInvitationStillGetsTheCancellation()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [Three[0], Three[2]]));
        await App.SendInvitationsAsync();
        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        await App.RunTimersAsync();

        Assert.Equal(["ayse@example.org", "jiho@example.org"], App.SendGrid.AcceptedOf("cancellation").Select(m => m.To).Order());
    }
}

/// <summary>A reminder carries the invitation too: someone whose invitation never went out but who got a reminder has
/// the meeting in their calendar, and must get its cancellation.</summary>
public sealed class CalendarEntryTests : AppTest
{
    // Her invitation cannot be written; her reminders can.
    protected override void Decorate(IServiceCollection services) =>
        Wrap<IEmailComposer>(services, (inner, _) => new FailingComposer(inner, input =>
            input.Message.Kind == Summit.Reminders.Notifications.MessageKind.Invitation && input.Participant?.Email == "ayse@example.org"));

    [Fact]
    public async Task SomeoneWhoseInvitationFailedButWhoGotAReminderGetsTheCancellation()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await App.RunTimersAsync();
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        Assert.Equal(["seoyeon@example.org"], App.SendGrid.AcceptedOf("invitation").Select(m => m.To));
        Assert.Contains(App.SendGrid.Reminders, m => m.To == "ayse@example.org");

        Assert.Equal(200, (await Api.CancelAsync(id)).Status);
        await App.RunTimersAsync();
        Assert.Equal(["ayse@example.org", "seoyeon@example.org"], App.SendGrid.AcceptedOf("cancellation").Select(m => m.To).Order());
    }
}

/// <summary>Issue 13.4: SendGrid refusing our key is an outage of our configuration, not a bad email.</summary>
public sealed class CredentialsRefusedTests : AppTest
{
    // One send at a time, so "the rest of the run is not sent" is visible in the requests SendGrid gets.
    protected override void Configure(Dictionary<string, string?> settings) => settings["Delivery:MaxConcurrency"] = "1";

    private static readonly DateTimeOffset Due = new(2026, 12, 9, 1, 0, 30, TimeSpan.Zero);

    [Theory]
    [InlineData(401, "The provided authorization grant is invalid, expired, or revoked")]
    [InlineData(403, "access forbidden")]
    public async Task ARefusedKeyKeepsEveryEmailQueuedReportsSendGridUnhealthyAndDeliveryResumesOnceTheKeyWorks(int status, string message)
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants:
        [
            new { name = "Ayşe Yılmaz", email = "ayse@example.org" },
            new { name = "Lee Seo-yeon", email = "seoyeon@example.org" },
            new { name = "Park Ji-ho", email = "jiho@example.org" },
        ]));
        await App.SendInvitationsAsync();
        App.SendGrid.Responder = _ => FakeAnswer.CredentialsRefused(status, message);

        await App.RunTimersAsync(Due);
        await App.RunTimersAsync(Due.AddMinutes(2)); // a second run: the key still fails

        // One try per run, then the rest of the run waits: nothing dead-lettered, no delivery attempt spent.
        Assert.Equal(2, App.SendGrid.ReminderRequests.Count);
        Assert.Empty(App.SendGrid.Reminders);
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.Equal(3, App.Broker.ActiveMessages(TestApp.QueueName).Count);
        Assert.All(App.Broker.ActiveMessages(TestApp.QueueName), m => Assert.Equal(0, m.DeliveryCount));
        var health = await Api.HealthAsync();
        Assert.Equal(503, health.Status);
        var sendGrid = health.Json.GetProperty("dependencies").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "SendGrid");
        Assert.Equal("unhealthy", sendGrid.GetProperty("status").GetString());
        Assert.StartsWith($"answered {status}: our API key is refused", sendGrid.GetProperty("error").GetString());
        Assert.DoesNotContain(message, health.Body); // SendGrid's own words stay in the ledger and the log
        Assert.Equal(2, App.Logs.Lines.Count(l => l.Contains("The email provider refused our credentials", StringComparison.Ordinal)));
        var reminders = (await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray().ToList();
        Assert.Contains(reminders, r => r.GetProperty("reason").GetString() == $"waiting: SendGrid answered {status}: {message} (our credentials, not this email; it goes once the key works)");

        App.SendGrid.Responder = null; // the key is fixed
        for (var at = Due.AddMinutes(4); App.SendGrid.Reminders.Count < 3 && at < Due.AddMinutes(30); at = at.AddMinutes(1))
            await App.RunTimersAsync(at);

        Assert.Equal(["ayse@example.org", "jiho@example.org", "seoyeon@example.org"], App.SendGrid.Reminders.Select(m => m.To).Order());
        Assert.Equal(200, (await Api.HealthAsync()).Status);
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.All((await Api.GetAsync(id)).Json.GetProperty("reminders").EnumerateArray(), r => Assert.Equal("sent", r.GetProperty("state").GetString()));
    }
}

/// <summary>Issue 13.6: a meeting's participant history cannot outgrow Table Storage's 1 MB entity.</summary>
public sealed class ParticipantHistoryTests : AppTest
{
    private static object[] TwoHundred(int round) =>
        Enumerable.Range(0, 200).Select(i => (object)new { name = $"Delegate {round}-{i}", email = $"d{round}x{i}@example.org" }).ToArray();

    /// <summary>The meeting's own entity as stored: the characters of its JSON document.</summary>
    private async Task<int> StoredSizeAsync(string id)
    {
        var entity = (await App.Get<Summit.Reminders.Infrastructure.Tables.SummitTables>().Meetings.GetEntityAsync<Azure.Data.Tables.TableEntity>(id, "meeting")).Value;
        return Enumerable.Range(0, entity.GetInt32("DocChunks") ?? 0).Sum(i => entity.GetString($"Doc{i}")!.Length);
    }

    [Fact]
    public async Task AHundredReplacementsOfTwoHundredParticipantsAllSucceedAndTheMeetingStaysTheSameSize()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: TwoHundred(0)));
        var sizes = new List<int> { await StoredSizeAsync(id) };
        for (var round = 1; round <= 100; round++)
        {
            var etag = (await Api.GetAsync(id)).Header("ETag");
            var answer = await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"], participants: TwoHundred(round)), etag);
            Assert.True(answer.Status == 200, $"replacement {round} answered {answer.Status}: {answer.Body}");
            if (round is 9 or 100) sizes.Add(await StoredSizeAsync(id));
        }

        // The ninth and the hundredth replacement leave a meeting no larger than the first version (give or take the
        // digits of longer names): the removed people are in records of their own.
        Assert.All(sizes, size => Assert.InRange(size, sizes[0] - 2_000, sizes[0] + 2_000));
        Assert.Equal(101, (await Api.GetAsync(id)).Json.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task PeopleRemovedFromAMeetingWithAPastOfRemovalsGetTheirOwnCancellationOnce()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: TwoHundred(0)));
        await App.SendInvitationsAsync();
        for (var round = 1; round <= 3; round++)
        {
            var etag = (await Api.GetAsync(id)).Header("ETag");
            Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"], participants: TwoHundred(round)), etag)).Status);
            await App.RunTimersAsync();
            await App.RunTimersAsync();
        }

        // Round 0 was invited, so round 1 owes them a cancellation; each later round was invited by an update.
        var removals = App.SendGrid.AcceptedOf("removal");
        Assert.Equal(600, removals.Count);
        Assert.Equal(600, removals.Select(m => m.To).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 3).SelectMany(r => Enumerable.Range(0, 200).Select(i => $"d{r}x{i}@example.org")).Order(), removals.Select(m => m.To).Order());
    }
}

/// <summary>Issue 13.7: keyed participant ids, and meetings stored with the unkeyed ids of before keep working.</summary>
public sealed class ParticipantIdTests : AppTest
{
    private static string Unkeyed(string email) =>
        "p" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email)))[..15];

    [Fact]
    public async Task NewParticipantsGetKeyedIdsThatNobodyCanComputeFromTheirAddress()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        var ids = (await Api.GetAsync(id)).Json.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain(Unkeyed("ayse@example.org"), ids);
        Assert.DoesNotContain(Unkeyed("seoyeon@example.org"), ids);
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public async Task AMeetingStoredWithUnkeyedIdsKeepsThemThroughUpdatesAndSomeoneWhoUnsubscribedStaysUnsubscribedWhenAddedBack()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        // As a meeting registered before keyed ids: the same meeting with the unkeyed ids.
        var store = App.Get<Summit.Reminders.Ports.IMeetingStore>();
        var stored = (await store.GetAsync(id, default))!;
        var legacy = stored.Meeting with { Participants = stored.Meeting.Participants.Select(p => p with { Id = Unkeyed(p.Email) }).ToList() };
        await store.ReplaceAsync(legacy, stored.RequestFingerprint, stored.ConcurrencyToken, default);
        await App.SendInvitationsAsync();
        await App.Get<Summit.Reminders.Ports.IParticipantResponses>().UnsubscribeAsync(id, Unkeyed("ayse@example.org"), App.Time.GetUtcNow(), default);

        var onlySeoyeon = new object[] { new { name = "Lee Seo-yeon", email = "seoyeon@example.org" } };
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"], participants: onlySeoyeon), (await Api.GetAsync(id)).Header("ETag"))).Status);
        Assert.Equal(200, (await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"]), (await Api.GetAsync(id)).Header("ETag"))).Status);

        var participants = (await Api.GetAsync(id)).Json.GetProperty("participants").EnumerateArray()
            .ToDictionary(p => p.GetProperty("email").GetString()!, p => p.GetProperty("id").GetString());
        Assert.Equal(Unkeyed("seoyeon@example.org"), participants["seoyeon@example.org"]);
        Assert.Equal(Unkeyed("ayse@example.org"), participants["ayse@example.org"]);
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        Assert.Equal(["seoyeon@example.org"], App.SendGrid.Reminders.Select(m => m.To));
    }
}
