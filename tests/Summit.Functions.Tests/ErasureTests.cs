using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Summit.Reminders;
using Summit.Reminders.Erasure;
using Summit.Reminders.Ports;
using Summit.TestSupport.Storage;

namespace Summit.Functions.Tests;

/// <summary>Issue 15.5: erasure and retention, on Azurite.</summary>
public static class Stored
{
    /// <summary>Every entity of the app's tables, each as one line of its keys and property values.</summary>
    public static async Task<IReadOnlyList<string>> EntitiesAsync(TestApp app)
    {
        var service = new TableServiceClient(Azurite.ConnectionString);
        var lines = new List<string>();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(app.TablePrefix) >= 0 && t.Name.CompareTo(app.TablePrefix + "{") < 0))
        {
            await foreach (var e in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
                lines.Add($"{table.Name[app.TablePrefix.Length..]}|{e.PartitionKey}|{e.RowKey}|" + string.Join('|', e.Where(p => p.Key is not ("odata.etag" or "Timestamp")).Select(p => $"{p.Key}={p.Value}")));
        }
        return lines;
    }

    /// <summary>Lines of <see cref="EntitiesAsync"/> that mention any of <paramref name="needles"/> (case-insensitive).</summary>
    public static async Task<IReadOnlyList<string>> MentionsAsync(TestApp app, params string[] needles) =>
        (await EntitiesAsync(app)).Where(l => needles.Any(n => l.Contains(n, StringComparison.OrdinalIgnoreCase))).ToList();
}

/// <summary>Fails the next <see cref="Failures"/> ledger erasures, as a crash or a storage outage midway would.</summary>
internal sealed class FlakyErasureLedger(IDeliveryLedger inner) : IDeliveryLedger
{
    public int Failures;

    public Task<LedgerErasure> EraseAsync(string meetingId, IReadOnlySet<string>? participantIds, CancellationToken cancellationToken) =>
        Interlocked.Decrement(ref Failures) >= 0
            ? throw new DependencyUnavailableException("Table Storage", new IOException("connection reset midway"))
            : inner.EraseAsync(meetingId, participantIds, cancellationToken);

    public Task<Summit.Reminders.Notifications.LedgerClaim> TryClaimAsync(string meetingId, Summit.Reminders.Notifications.DeliveryRecord sending, CancellationToken cancellationToken) => inner.TryClaimAsync(meetingId, sending, cancellationToken);
    public Task FinishAsync(string meetingId, string token, Summit.Reminders.Notifications.DeliveryRecord outcome, CancellationToken cancellationToken) => inner.FinishAsync(meetingId, token, outcome, cancellationToken);
    public Task RecordSkippedAsync(string meetingId, Summit.Reminders.Notifications.DeliveryRecord skipped, CancellationToken cancellationToken) => inner.RecordSkippedAsync(meetingId, skipped, cancellationToken);
    public Task<Summit.Reminders.Notifications.DeliveryState?> ReopenAsync(string meetingId, string reminderId, string reason, DateTimeOffset at, CancellationToken cancellationToken) => inner.ReopenAsync(meetingId, reminderId, reason, at, cancellationToken);
    public Task MarkQueuedAsync(string meetingId, Summit.Reminders.Notifications.QueuedSlot slot, CancellationToken cancellationToken) => inner.MarkQueuedAsync(meetingId, slot, cancellationToken);
    public Task<(IReadOnlyList<Summit.Reminders.Notifications.QueuedSlot> Slots, IReadOnlyList<Summit.Reminders.Notifications.DeliveryRecord> Deliveries)> ListAsync(string meetingId, CancellationToken cancellationToken) => inner.ListAsync(meetingId, cancellationToken);
    public Task<IReadOnlyList<Summit.Reminders.DeliveryStatus.TrackedEmail>> FindTrackedAsync(string meetingId, IReadOnlySet<string> reminderIds, CancellationToken cancellationToken) => inner.FindTrackedAsync(meetingId, reminderIds, cancellationToken);
    public Task SaveStatusesAsync(string meetingId, IReadOnlyList<(Summit.Reminders.DeliveryStatus.ProviderStatus Status, string? Token)> statuses, CancellationToken cancellationToken) => inner.SaveStatusesAsync(meetingId, statuses, cancellationToken);
}

public sealed class MeetingErasureTests : AppTest
{
    private FlakyErasureLedger _ledger = null!;

    protected override void Decorate(IServiceCollection services) =>
        Wrap<IDeliveryLedger>(services, (inner, _) => _ledger = new FlakyErasureLedger(inner));

    private static readonly object[] Three =
    [
        new { name = "Ayşe Yılmaz", email = "ayse@example.org", language = "tr" },
        new { name = "Lee Seo-yeon", email = "seoyeon@example.org" },
        new { name = "Park Ji-ho", email = "jiho@example.org" },
    ];

    /// <summary>A meeting with everything personal the app stores: invitations sent, an answer, a participant taken off.</summary>
    private async Task<string> LivedInMeetingAsync()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: Three));
        await App.SendInvitationsAsync();
        var meeting = (await Api.GetAsync(id)).Json;
        var ayse = meeting.GetProperty("participants")[0].GetProperty("id").GetString()!;
        await App.Get<IParticipantResponses>().AcknowledgeAsync(id, ayse, App.Time.GetUtcNow(), meeting.GetProperty("startUtc").GetDateTimeOffset(), default);
        var update = await Api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"], participants: [Three[0], Three[1]]), "\"1\"");
        Assert.Equal(200, update.Status);
        await App.RunTimersAsync(); // the update and Park Ji-ho's removal notice go out
        Assert.Contains(await Stored.EntitiesAsync(App), l => l.StartsWith($"meetings|{id}|removed-", StringComparison.Ordinal));
        return id;
    }

    [Fact]
    public async Task DeleteErasesEveryPersonalDetailAndLeavesAnAnonymousTombstoneThatAnswers410()
    {
        var id = await LivedInMeetingAsync();
        var other = await Api.CreateIdAsync(Api.Meeting(participants: [Three[2]]));
        var sentBefore = App.SendGrid.Accepted.Count;

        var deleted = await Api.DeleteAsync(id, "\"2\"");

        Assert.True(deleted.Status == 200, deleted.Body);
        var tombstone = deleted.Json;
        Assert.Equal(id, tombstone.GetProperty("id").GetString());
        Assert.Equal("joint-economic-committee", tombstone.GetProperty("track").GetString());
        Assert.Equal(2, tombstone.GetProperty("participants").GetInt32());
        Assert.Equal(sentBefore, tombstone.GetProperty("emailsSent").GetInt32());
        Assert.Equal("requested", tombstone.GetProperty("reason").GetString());
        Assert.Equal("erased", tombstone.GetProperty("state").GetString());
        Assert.DoesNotContain("Joint Economic", deleted.Body);
        Assert.DoesNotContain("example.org", deleted.Body);

        // Nothing personal is left anywhere: not the title, a name, an address, an answer or a delivery row.
        var mentions = await Stored.MentionsAsync(App, "Joint Economic Committee", "ayse@", "seoyeon@", "Seo-yeon", "Kim Min-jun", "coordinator@");
        Assert.DoesNotContain(mentions, l => !l.Contains(other, StringComparison.Ordinal));
        var left = (await Stored.EntitiesAsync(App)).Where(l => l.Contains(id, StringComparison.Ordinal)).ToList();
        Assert.Contains(left, l => l.StartsWith($"meetings|{id}|tombstone|", StringComparison.Ordinal));
        // The history stays (issue 19), with its personal values replaced by the marker (the mentions above cover them).
        Assert.All(left, l => Assert.True(l.StartsWith($"meetings|{id}|tombstone|", StringComparison.Ordinal) || l.StartsWith("dueindex|", StringComparison.Ordinal)
            || l.StartsWith($"audit|{id}|", StringComparison.Ordinal), l));
        Assert.Contains(left, l => l.StartsWith($"audit|{id}|", StringComparison.Ordinal) && l.Contains("[erased]", StringComparison.Ordinal));

        // Later requests make sense: 410 with the tombstone, not 404; the list no longer shows it.
        foreach (var answer in new[] { await Api.GetAsync(id), await Api.UpdateAsync(id, Api.Meeting(), "*"), await Api.CancelAsync(id), await Api.DeleteAsync(id) })
        {
            Assert.Equal(410, answer.Status);
            Assert.Equal("https://summit-followups.example/problems/meeting-erased", answer.Json.GetProperty("type").GetString());
            Assert.Equal(id, answer.Json.GetProperty("tombstone").GetProperty("id").GetString());
        }
        Assert.Equal(404, (await Api.GetAsync("m000000000000000000000000")).Status);
        var listed = (await Api.ListAsync()).Json.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal([other], listed);
    }

    [Fact]
    public async Task EmailsAlreadyQueuedForAnErasedMeetingAreDroppedAndItsRemindersNeverGo()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: Three));
        await App.Function<Pipeline.ReminderTimers>().ScheduleDueReminders(new(), default); // three invitations queued
        Assert.Equal(3, App.Broker.ActiveMessages(TestApp.QueueName).Count);

        Assert.Equal(200, (await Api.DeleteAsync(id)).Status);
        await App.RunTimersAsync();
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero)); // the P1D moment

        Assert.Empty(App.SendGrid.Requests);
        Assert.Empty(App.Broker.ActiveMessages(TestApp.QueueName));
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.DoesNotContain(await Stored.EntitiesAsync(App), l => l.StartsWith("ledger|" + id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDeadLettersOfAnErasedMeetingGoAndOtherMeetingsKeepTheirs()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [Three[0]]));
        var other = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [Three[1]]));
        await App.SendInvitationsAsync();
        // SendGrid refuses both reminders for good: each is dead-lettered.
        App.SendGrid.Script(Summit.TestSupport.SendGrid.FakeAnswer.BadRequest("rejected"), Summit.TestSupport.SendGrid.FakeAnswer.BadRequest("rejected"));
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        Assert.Equal(2, App.Broker.DeadLetteredMessages(TestApp.QueueName).Count);

        Assert.Equal(200, (await Api.DeleteAsync(id)).Status);

        var left = Assert.Single(App.Broker.DeadLetteredMessages(TestApp.QueueName));
        Assert.Equal(other, left.ApplicationProperties["meetingId"]);
    }

    [Fact]
    public async Task ARetriedRegistrationWithTheErasedMeetingsIdempotencyKeyDoesNotBringItBack()
    {
        var created = await Api.CreateAsync(Api.Meeting(), idempotencyKey: "jec-2026-12");
        var id = created.Json.GetProperty("id").GetString()!;
        Assert.Equal(200, (await Api.DeleteAsync(id)).Status);

        var retried = await Api.CreateAsync(Api.Meeting(), idempotencyKey: "jec-2026-12");

        Assert.Equal(410, retried.Status);
        Assert.Equal(410, (await Api.GetAsync(id)).Status);
    }

    [Fact]
    public async Task AMeetingBackNextToItsTombstoneKeepsItsRowsAndCanBeErasedAgain()
    {
        // A registration retried with the Idempotency-Key raced the erasure and stored the meeting again.
        var id = (await Api.CreateAsync(Api.Meeting(offsets: ["P1D"]), idempotencyKey: "jec-raced")).Json.GetProperty("id").GetString()!;
        await App.SendInvitationsAsync();
        var store = App.Get<IMeetingStore>();
        var now = App.Time.GetUtcNow();
        var stored = (await store.GetAsync(id, default))!;
        await store.SaveTombstoneAsync(MeetingTombstone.Of(stored.Meeting, [], ErasureReason.Requested, now.AddMinutes(-90))
            with { ErasedAt = now.AddMinutes(-90), FollowUpAt = now.AddMinutes(-30) }, default);

        await App.RunRetentionAsync(); // the old tombstone's follow-up is due

        Assert.Equal(200, (await Api.GetAsync(id)).Status);
        Assert.Contains(await Stored.EntitiesAsync(App), l => l.StartsWith($"ledger|{id}|del-", StringComparison.Ordinal));
        var erased = await Api.DeleteAsync(id);
        Assert.True(erased.Status == 200, erased.Body);
        Assert.Equal(2, erased.Json.GetProperty("emailsSent").GetInt32());
        Assert.Equal(410, (await Api.GetAsync(id)).Status);
        Assert.DoesNotContain(await Stored.EntitiesAsync(App), l => l.StartsWith($"ledger|{id}|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeleteNeedsTheCurrentVersion()
    {
        var id = await Api.CreateIdAsync();
        Assert.Equal(428, (await Api.DeleteAsync(id, ifMatch: null)).Status);
        Assert.Equal(412, (await Api.DeleteAsync(id, "\"3\"")).Status);
        Assert.Equal(200, (await Api.GetAsync(id)).Status);
        Assert.Equal(200, (await Api.DeleteAsync(id, "\"1\"")).Status);
    }

    [Fact]
    public async Task AnErasureThatStopsMidwayHidesTheMeetingAtOnceAndTheRetentionRunFinishesIt()
    {
        var id = await LivedInMeetingAsync();
        _ledger.Failures = 1;

        var deleted = await Api.DeleteAsync(id);

        Assert.True(deleted.Status == 202, deleted.Body);
        Assert.Equal("erasing", deleted.Json.GetProperty("state").GetString());
        // Half-erased is never half-visible: the meeting is gone, nothing is sent for it, the ledger still has its rows.
        var gone = await Api.GetAsync(id);
        Assert.Equal(410, gone.Status);
        Assert.Equal("erasing", gone.Json.GetProperty("tombstone").GetProperty("state").GetString());
        Assert.Empty((await Api.ListAsync()).Json.GetProperty("items").EnumerateArray());
        Assert.Contains(await Stored.EntitiesAsync(App), l => l.StartsWith("ledger|" + id, StringComparison.Ordinal));

        await App.RunRetentionAsync();

        Assert.DoesNotContain(await Stored.EntitiesAsync(App), l => l.StartsWith("ledger|" + id, StringComparison.Ordinal) || l.Contains("|removed-", StringComparison.Ordinal));
        var finished = (await Api.GetAsync(id)).Json.GetProperty("tombstone");
        Assert.Equal("erased", finished.GetProperty("state").GetString());
        Assert.Empty(await Stored.MentionsAsync(App, "ayse@", "seoyeon@", "jiho@", "Joint Economic"));
    }
}

public sealed class RetentionTests : AppTest
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Retention:AfterMeetingEndDays"] = "30";

    [Fact]
    public async Task MeetingsAreErasedTheConfiguredNumberOfDaysAfterTheyEndAndNotBefore()
    {
        var ended = await Api.CreateIdAsync(Api.Meeting(start: "2026-12-10T10:00")); // ends 2026-12-10 03:00 UTC
        var later = await Api.CreateIdAsync(Api.Meeting(start: "2027-01-20T10:00"));
        await App.SendInvitationsAsync();

        App.MoveClockTo(new DateTimeOffset(2027, 1, 9, 2, 0, 0, TimeSpan.Zero)); // 29 days 23 hours after the end
        await App.RunRetentionAsync();
        Assert.Equal(200, (await Api.GetAsync(ended)).Status);

        App.MoveClockTo(new DateTimeOffset(2027, 1, 9, 3, 30, 0, TimeSpan.Zero));
        await App.RunRetentionAsync();

        var gone = await Api.GetAsync(ended);
        Assert.Equal(410, gone.Status);
        Assert.Equal("retention", gone.Json.GetProperty("tombstone").GetProperty("reason").GetString());
        Assert.Equal("scheduled", gone.Json.GetProperty("tombstone").GetProperty("finalStatus").GetString());
        Assert.Equal(200, (await Api.GetAsync(later)).Status);
        Assert.DoesNotContain(await Stored.EntitiesAsync(App), l => l.StartsWith("ledger|" + ended, StringComparison.Ordinal));
    }
}

public sealed class CommitmentRetentionTests : AppTest
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Retention:AfterMeetingEndDays"] = "30";

    [Fact]
    public async Task AClosedCommitmentKeepsOnlyItsStatisticsTheConfiguredNumberOfDaysAfterItClosedAndAnOpenOneIsKept()
    {
        var done = await Api.CreateCommitmentIdAsync();
        var open = await Api.CreateCommitmentIdAsync();
        await App.RunTimersAsync(new DateTimeOffset(2027, 1, 8, 15, 0, 30, TimeSpan.Zero)); // the P7D reminders of both
        Assert.Equal(200, (await Api.CommitmentActionAsync(done, "done")).Status); // done on 8 January, on time

        App.MoveClockTo(new DateTimeOffset(2027, 2, 7, 15, 0, 0, TimeSpan.Zero)); // 29 days 23 hours later
        await App.RunRetentionAsync();
        Assert.Equal(JsonValueKind.Null, (await Api.GetCommitmentAsync(done)).Json.GetProperty("erasedAt").ValueKind);

        App.MoveClockTo(new DateTimeOffset(2027, 2, 7, 15, 1, 0, TimeSpan.Zero));
        await App.RunRetentionAsync();

        var erased = (await Api.GetCommitmentAsync(done)).Json;
        Assert.Equal(JsonValueKind.String, erased.GetProperty("erasedAt").ValueKind);
        Assert.Equal("done", erased.GetProperty("status").GetString());
        Assert.True(erased.GetProperty("completion").GetProperty("onTime").GetBoolean());
        Assert.Equal("nuclear-energy", erased.GetProperty("track").GetString());
        Assert.Empty(erased.GetProperty("owners").EnumerateArray());
        Assert.DoesNotContain("example.org", erased.GetRawText());
        Assert.DoesNotContain(await Stored.EntitiesAsync(App), l => l.Contains(done, StringComparison.Ordinal) && (l.StartsWith("ledger|", StringComparison.Ordinal) || l.Contains("example.org", StringComparison.Ordinal)));
        Assert.Equal(409, (await Api.CommitmentActionAsync(done, "reopen")).Status);
        Assert.Contains("example.org", (await Api.GetCommitmentAsync(open)).Json.GetRawText());
    }
}

public sealed class RetentionOffTests : AppTest
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Retention:AfterMeetingEndDays"] = "0";

    [Fact]
    public async Task ZeroKeepsMeetingsUntilACoordinatorDeletesThem()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(start: "2026-12-10T10:00"));
        App.MoveClockTo(new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await App.RunRetentionAsync();
        Assert.Equal(200, (await Api.GetAsync(id)).Status);
    }
}

public sealed class PersonErasureTests : AppTest
{
    private FlakyErasureLedger _ledger = null!;

    protected override void Decorate(IServiceCollection services) =>
        Wrap<IDeliveryLedger>(services, (inner, _) => _ledger = new FlakyErasureLedger(inner));

    private static readonly object Ayse = new { name = "Ayşe Yılmaz", email = "ayse@example.org", language = "tr" };
    private static readonly object SeoYeon = new { name = "Lee Seo-yeon", email = "seoyeon@example.org" };

    private sealed record Scene(string Participant, string Removed, string Coordinated, string Untouched, string AyseId);

    /// <summary>Ayşe takes part in one meeting, was taken off another, coordinates a third still to come; a fourth never
    /// had her. Invitations have gone out and she acknowledged the first.</summary>
    private async Task<Scene> SceneAsync()
    {
        var participant = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [Ayse, SeoYeon]));
        var removed = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [Ayse, SeoYeon]));
        var coordinated = await Api.CreateIdAsync(Api.With(Api.Meeting(participants: [SeoYeon]),
            new Dictionary<string, object?> { ["coordinator"] = new { name = "Ayşe Yılmaz", email = "ayse@example.org" } }));
        var untouched = await Api.CreateIdAsync(Api.Meeting(participants: [SeoYeon]));
        await App.SendInvitationsAsync();
        Assert.Equal(200, (await Api.UpdateAsync(removed, Api.Meeting(offsets: ["P1D"], participants: [SeoYeon]), "\"1\"")).Status);
        await App.RunTimersAsync();
        var meeting = (await Api.GetAsync(participant)).Json;
        var ayseId = meeting.GetProperty("participants")[0].GetProperty("id").GetString()!;
        await App.Get<IParticipantResponses>().AcknowledgeAsync(participant, ayseId, App.Time.GetUtcNow(), meeting.GetProperty("startUtc").GetDateTimeOffset(), default);
        return new Scene(participant, removed, coordinated, untouched, ayseId);
    }

    [Fact]
    public async Task ErasesThePersonFromEveryMeetingSaysWhatItErasedAndKeepsTheCoordinatorOfAMeetingStillToCome()
    {
        var scene = await SceneAsync();
        var untouchedBefore = (await Api.GetAsync(scene.Untouched)).Header("ETag");
        var sentToHer = App.SendGrid.Accepted.Count(m => m.To == "ayse@example.org");

        var answer = await Api.ErasePersonAsync("AYSE@Example.org");

        Assert.True(answer.Status == 200, answer.Body);
        var erasure = answer.Json;
        Assert.Equal("follow-up-scheduled", erasure.GetProperty("status").GetString());
        var meetings = erasure.GetProperty("meetings").EnumerateArray().ToDictionary(m => m.GetProperty("meetingId").GetString()!);
        Assert.Equal(["participant"], meetings[scene.Participant].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(1, meetings[scene.Participant].GetProperty("answers").GetInt32());
        Assert.True(meetings[scene.Participant].GetProperty("deliveries").GetInt32() >= 1);
        Assert.Equal(["removed"], meetings[scene.Removed].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(meetings.ContainsKey(scene.Untouched));
        var kept = Assert.Single(erasure.GetProperty("kept").EnumerateArray());
        Assert.Equal(scene.Coordinated, kept.GetProperty("meetingId").GetString());
        Assert.DoesNotContain("example.org", answer.Body);

        // She is gone from every meeting but the one she coordinates, and from every row that named her.
        // (The request's own record is kept under her id: it answers a repeated request; it holds no address.)
        var mentions = (await Stored.MentionsAsync(App, "ayse@", scene.AyseId)).Where(l => !l.StartsWith("erasures|", StringComparison.Ordinal)).ToList();
        Assert.All(mentions, l => Assert.StartsWith($"meetings|{scene.Coordinated}|meeting|", l));
        Assert.NotEmpty(mentions);
        var after = (await Api.GetAsync(scene.Participant)).Json;
        Assert.Equal(["seoyeon@example.org"], after.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("email").GetString()));
        Assert.Equal(untouchedBefore, (await Api.GetAsync(scene.Untouched)).Header("ETag"));

        // Nobody writes to her about it, and her reminder does not go.
        await App.RunTimersAsync(new DateTimeOffset(2026, 12, 9, 1, 0, 30, TimeSpan.Zero));
        Assert.Equal(sentToHer, App.SendGrid.Accepted.Count(m => m.To == "ayse@example.org"));
        Assert.Contains(App.SendGrid.Reminders, m => m.To == "seoyeon@example.org");

        // The same request again is the same erasure; after the follow-up it is done and keeps no other id of hers.
        var again = await Api.ErasePersonAsync("ayse@example.org");
        Assert.Equal(200, again.Status);
        Assert.Equal(erasure.GetProperty("id").GetString(), again.Json.GetProperty("id").GetString());
        App.MoveClockTo(App.Time.GetUtcNow().AddHours(2));
        await App.RunRetentionAsync();
        var record = Assert.Single(await Stored.EntitiesAsync(App), l => l.StartsWith("erasures|", StringComparison.Ordinal));
        Assert.Contains("State=Done", record);
        Assert.Contains($"\"candidates\":[\"{erasure.GetProperty("id").GetString()}\"]", record);
        Assert.Contains("\"meetings\":[]", record); // which meetings she attended goes too; only how many stays
        Assert.Contains("\"meetingsErased\":2", record);
    }

    [Fact]
    public async Task ErasesThePersonsDailyDigestSubscriptionAndItsPendingDay()
    {
        // Ayşe coordinates and reads the daily digest; Kim does too. A meeting of their track gives the digest something to say.
        await Api.CreateIdAsync(Api.Meeting(start: "2026-12-01T10:00", participants: [SeoYeon]));
        await App.SendInvitationsAsync();
        var digests = App.Get<Summit.Reminders.Digest.DigestService>();
        var ayse = new Summit.Reminders.Digest.DigestSubscriber("entra-ayse", "Ayse@Example.org", "Ayşe Yılmaz", "tr", "Europe/Istanbul", null);
        var kim = new Summit.Reminders.Digest.DigestSubscriber("entra-kim", "kim@example.org", "Kim Min-jun", "en", "Europe/Istanbul", null);
        Assert.IsType<Summit.Reminders.Digest.DigestSubscribeResult.Subscribed>(await digests.SubscribeAsync(ayse, default));
        Assert.IsType<Summit.Reminders.Digest.DigestSubscribeResult.Subscribed>(await digests.SubscribeAsync(kim, default));
        var saturday = new DateTimeOffset(2026, 11, 28, 5, 0, 30, TimeSpan.Zero); // 08:00 in Istanbul
        await App.RunTimersAsync(saturday);
        Assert.Single(App.SendGrid.AcceptedOf("digest"), m => m.To == "Ayse@example.org"); // the address as she gave it
        var subject = Summit.Reminders.Digest.DigestIds.SubjectOf("entra-ayse");
        Assert.NotEmpty(await Stored.MentionsAsync(App, subject)); // her subscription, Sunday's entry, Saturday's ledger rows

        var answer = await Api.ErasePersonAsync("ayse@example.org");

        Assert.True(answer.Status == 200, answer.Body);
        Assert.Null(await digests.GetAsync("entra-ayse", default));
        Assert.Empty(await Stored.MentionsAsync(App, subject, "ayse@example.org", "Ayşe Yılmaz"));
        Assert.Contains("\"digestsErased\":1", Assert.Single(await Stored.EntitiesAsync(App), l => l.StartsWith("erasures|", StringComparison.Ordinal)));
        // Sunday: Kim's digest goes, hers does not.
        await App.RunTimersAsync(saturday.AddDays(1));
        Assert.Single(App.SendGrid.AcceptedOf("digest"), m => m.To == "Ayse@example.org");
        Assert.Equal(2, App.SendGrid.AcceptedOf("digest").Count(m => m.To == "kim@example.org"));
    }

    [Fact]
    public async Task ErasesAnOwnerFromCommitmentsAndTheirCoordinatorOnceTheCommitmentIsClosed()
    {
        // Ayşe owns one commitment (with Seo-yeon) and coordinates two: one done, one open.
        var owned = await Api.CreateCommitmentIdAsync();
        var closed = await Api.CreateCommitmentIdAsync(Api.With(Api.Commitment(), new Dictionary<string, object?>
        {
            ["coordinator"] = new { name = "Ayşe Yılmaz", email = "ayse@example.org" },
            ["owners"] = new object[] { SeoYeon },
        }));
        var open = await Api.CreateCommitmentIdAsync(Api.With(Api.Commitment(), new Dictionary<string, object?>
        {
            ["coordinator"] = new { name = "Ayşe Yılmaz", email = "ayse@example.org" },
            ["owners"] = new object[] { SeoYeon },
        }));
        Assert.Equal(200, (await Api.CommitmentActionAsync(closed, "done")).Status);
        await App.RunTimersAsync(new DateTimeOffset(2027, 1, 8, 15, 0, 30, TimeSpan.Zero)); // the P7D reminders: a ledger row of hers
        var ayseId = (await Api.GetCommitmentAsync(owned)).Json.GetProperty("owners").EnumerateArray()
            .Single(o => o.GetProperty("email").GetString() == "ayse@example.org").GetProperty("id").GetString()!;
        Assert.NotEmpty(await Stored.MentionsAsync(App, ayseId));
        // Her request for more time, with her note, is hers too.
        Assert.IsType<Summit.Reminders.Commitments.CommitmentResult.Changed>(await App.Get<Summit.Reminders.Commitments.CommitmentService>()
            .RequestMoreTimeAsync(owned, ayseId, "2027-01-29", "Ayşe's note", default));

        var answer = await Api.ErasePersonAsync("ayse@example.org");

        Assert.True(answer.Status == 200, answer.Body);
        var subjects = answer.Json.GetProperty("meetings").EnumerateArray().ToDictionary(m => m.GetProperty("meetingId").GetString()!);
        Assert.Equal(["owner"], subjects[owned].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["coordinator"], subjects[closed].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(open, Assert.Single(answer.Json.GetProperty("kept").EnumerateArray()).GetProperty("meetingId").GetString());
        Assert.Equal(["seoyeon@example.org"], (await Api.GetCommitmentAsync(owned)).Json.GetProperty("owners").EnumerateArray().Select(o => o.GetProperty("email").GetString()));
        Assert.Empty((await Api.GetCommitmentAsync(owned)).Json.GetProperty("extensionRequests").EnumerateArray());
        Assert.DoesNotContain(await Stored.EntitiesAsync(App), l => l.Contains("Ayşe's note", StringComparison.Ordinal));
        // Nothing names her but the open commitment she still coordinates (and the request's own record).
        var mentions = (await Stored.MentionsAsync(App, "ayse@", ayseId)).Where(l => !l.StartsWith("erasures|", StringComparison.Ordinal)).ToList();
        Assert.All(mentions, l => Assert.StartsWith($"commitments|{open}|commitment|", l));
        Assert.NotEmpty(mentions);
    }

    [Fact]
    public async Task APersonWhoseIdWasMadeUnderAKeyRotatedAwayIsFoundByTheStoredAddress()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [Ayse, SeoYeon]));
        // As if her id had been made two key rotations ago: no id the current keys make is hers.
        var store = App.Get<IMeetingStore>();
        var stored = (await store.GetAsync(id, default))!;
        var aged = stored.Meeting with { Participants = [stored.Meeting.Participants[0] with { Id = "p0123456789abcd" }, stored.Meeting.Participants[1]] };
        await store.ReplaceAsync(aged, stored.RequestFingerprint, stored.ConcurrencyToken, default);
        await App.Get<IParticipantResponses>().UnsubscribeAsync(id, "p0123456789abcd", App.Time.GetUtcNow(), default);

        var erasure = (await Api.ErasePersonAsync("ayse@example.org")).Json;

        Assert.Equal(["participant"], erasure.GetProperty("meetings")[0].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(1, erasure.GetProperty("meetings")[0].GetProperty("answers").GetInt32());
        Assert.DoesNotContain(await Stored.EntitiesAsync(App), l => !l.StartsWith("erasures|", StringComparison.Ordinal)
            && (l.Contains("ayse@", StringComparison.Ordinal) || l.Contains("p0123456789abcd", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HerEmailAlreadyOnTheQueueIsDroppedWithoutALedgerRowNamingHer()
    {
        var id = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [Ayse, SeoYeon]));
        await App.Function<Pipeline.ReminderTimers>().ScheduleDueReminders(new(), default); // both invitations queued
        var ayseId = (await Api.GetAsync(id)).Json.GetProperty("participants")[0].GetProperty("id").GetString()!;

        Assert.Equal(200, (await Api.ErasePersonAsync("ayse@example.org")).Status);
        await App.RunTimersAsync();

        Assert.Equal(["seoyeon@example.org"], App.SendGrid.Accepted.Select(m => m.To));
        Assert.DoesNotContain(await Stored.EntitiesAsync(App), l => l.StartsWith("ledger|", StringComparison.Ordinal) && l.Contains(ayseId, StringComparison.Ordinal));
        Assert.Empty(App.Broker.DeadLetteredMessages(TestApp.QueueName));
    }

    [Fact]
    public async Task TheCoordinatorOfAnEndedMeetingIsErasedToo()
    {
        var coordinated = await Api.CreateIdAsync(Api.With(Api.Meeting(participants: [SeoYeon]),
            new Dictionary<string, object?> { ["coordinator"] = new { name = "Ayşe Yılmaz", email = "ayse@example.org" } }));
        App.MoveClockTo(new DateTimeOffset(2026, 12, 11, 0, 0, 0, TimeSpan.Zero));

        var erasure = (await Api.ErasePersonAsync("ayse@example.org")).Json;

        Assert.Empty(erasure.GetProperty("kept").EnumerateArray());
        Assert.Equal(["coordinator"], erasure.GetProperty("meetings")[0].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var coordinator = (await Api.GetAsync(coordinated)).Json.GetProperty("coordinator");
        Assert.Equal("", coordinator.GetProperty("email").GetString());
        Assert.Empty(await Stored.MentionsAsync(App, "ayse@"));
    }

    [Fact]
    public async Task ARequestThatStopsMidwayIsRecordedAndTheRetentionRunFinishesIt()
    {
        var scene = await SceneAsync();
        _ledger.Failures = 1;

        var failed = await Api.ErasePersonAsync("ayse@example.org");

        Assert.Equal(503, failed.Status);
        Assert.Contains(await Stored.EntitiesAsync(App), l => l.StartsWith("erasures|", StringComparison.Ordinal) && l.Contains("State=Running", StringComparison.Ordinal));
        Assert.Contains(await Stored.MentionsAsync(App, scene.AyseId), l => l.StartsWith($"ledger|{scene.Participant}|", StringComparison.Ordinal));

        await App.RunRetentionAsync();

        // She stays the coordinator of a meeting still to come, in the meeting and in its history (the resumed run knows her
        // ids, not her address, and a coordinator's value carries no id).
        Assert.All((await Stored.MentionsAsync(App, "ayse@", scene.AyseId)).Where(l => !l.StartsWith("erasures|", StringComparison.Ordinal)),
            l => Assert.True(l.StartsWith($"meetings|{scene.Coordinated}|meeting|", StringComparison.Ordinal) || l.StartsWith($"audit|{scene.Coordinated}|", StringComparison.Ordinal), l));
        Assert.Contains(await Stored.EntitiesAsync(App), l => l.StartsWith("erasures|", StringComparison.Ordinal) && l.Contains("State=FollowUp", StringComparison.Ordinal));
        // The answer still says what she was in each meeting, though the resumed run found her already off the lists.
        var meetings = (await Api.ErasePersonAsync("ayse@example.org")).Json.GetProperty("meetings").EnumerateArray()
            .ToDictionary(m => m.GetProperty("meetingId").GetString()!, m => m.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList());
        Assert.Equal(["participant"], meetings[scene.Participant]);
        Assert.Equal(["removed"], meetings[scene.Removed]);
    }
}

public sealed class PickupFolderErasureTests : AppTest
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "summit-erasure-" + Guid.NewGuid().ToString("N")[..8]);

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Email:Transport"] = "PickupFolder";
        settings["Email:PickupFolder"] = _folder;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task TheLocalCopiesOfAnErasedPersonsAndAnErasedMeetingsEmailsGoWithTheirIndexLines()
    {
        await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await App.RunTimersAsync();
        Assert.Equal(4, Directory.GetFiles(_folder, "*.eml").Length);
        Assert.Contains("ayse@example.org", await File.ReadAllTextAsync(Path.Combine(_folder, "index.html")));

        Assert.Equal(200, (await Api.ErasePersonAsync("ayse@example.org")).Status);

        // Seo-yeon's invitations list Ayşe as an attendee (in the base64 calendar part): they go too.
        Assert.Empty(Directory.GetFiles(_folder, "*.eml"));
        Assert.DoesNotContain("ayse@example.org", await File.ReadAllTextAsync(Path.Combine(_folder, "index.html")));
        Assert.DoesNotContain("ayse@example.org", await File.ReadAllTextAsync(Path.Combine(_folder, "index.json")));
        Assert.Equal(["index.html"], Directory.GetFiles(_folder, "*.html").Select(Path.GetFileName));

        // A meeting without her: erasing it takes its emails, and only its own.
        var third = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [new { name = "Lee Seo-yeon", email = "seoyeon@example.org" }]));
        var fourth = await Api.CreateIdAsync(Api.Meeting(offsets: ["P1D"], participants: [new { name = "Park Ji-ho", email = "jiho@example.org" }]));
        await App.RunTimersAsync();
        Assert.Equal(200, (await Api.DeleteAsync(third)).Status);
        var left = Assert.Single(Directory.GetFiles(_folder, "*.eml"));
        Assert.StartsWith(fourth + ".", Path.GetFileName(left));
        Assert.DoesNotContain(third, await File.ReadAllTextAsync(Path.Combine(_folder, "index.json")));
    }
}
