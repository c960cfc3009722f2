using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Summit.TestSupport;
using Summit.TestSupport.LocalHost;

namespace Summit.LocalHost.Tests;

/// <summary>
/// The local delivery-event loop, through the real local host process: the pickup folder reports each email it writes
/// to the host's own signed Event Webhook, and the admin helper signs events a reader makes up (a bounce) so they are
/// accepted as SendGrid's would be.
/// </summary>
public sealed class DeliveryEventsTests : IAsyncLifetime
{
    private const string MasterKey = LocalHostProcess.MasterKey;
    private const string FunctionKey = LocalHostProcess.FunctionKey;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly LocalHostProcess _host = Paths.NewLocalHost();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EachInvitationWrittenToTheOutboxShowsDeliveredAndASignedBounceFromTheHelperMarksTheParticipantUndeliverable()
    {
        // A key of the test's own, as run.sh writes one: the host derives the public key the app verifies with.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var privateKey = Convert.ToBase64String(key.ExportPkcs8PrivateKey());
        _host.Settings["LocalHost__EventWebhookPrivateKey"] = privateKey;
        await _host.StartAsync();
        var id = await Invitations.SendAsync(_host);

        IReadOnlyList<JsonElement> invitations = [];
        await Poll.UntilAsync(async () =>
        {
            invitations = InvitationNotices(await MeetingAsync(id));
            return invitations.Count == 2 && invitations.All(n => Status(n) == "delivered");
        }, Bound, "The invitations in the outbox were not reported delivered; host output:\n" + _host.Output);
        Assert.All(invitations, n => Assert.Equal("250 written to the local pickup folder", n.GetProperty("delivery").GetProperty("detail").GetString()));

        // The helper only signs, for curl: its request is accepted by the real endpoint, once; a changed body is not.
        var (ayse, jiho) = (invitations[0], invitations[1]);
        var deferred = new[] { new { @event = "deferred", reminder_id = ayse.GetProperty("id").GetString(), reason = "421 4.7.0 try again later" } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.SendAsync(HttpMethod.Post, "/admin/sendgrid-events/sign", FunctionKey, deferred)).StatusCode);
        var signed = await (await _host.SendAsync(HttpMethod.Post, "/admin/sendgrid-events/sign", MasterKey, deferred)).Content.ReadFromJsonAsync<JsonElement>();
        var url = new Uri(signed.GetProperty("url").GetString()!);
        Assert.Equal($"http://127.0.0.1:{_host.Port}/api/sendgrid/events", url.ToString());
        var headers = signed.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!);
        var body = signed.GetProperty("body").GetString()!;
        var first = await PostAsync(url, headers, body);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var recorded = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 1, 0), (recorded.GetProperty("received").GetInt32(), recorded.GetProperty("applied").GetInt32(), recorded.GetProperty("unknown").GetInt32()));
        var again = await (await PostAsync(url, headers, body)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, again.GetProperty("duplicates").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(url, headers, body.Replace("deferred", "delivered", StringComparison.Ordinal))).StatusCode);
        Assert.Equal("delivered", Status(InvitationNotices(await MeetingAsync(id))[0])); // a deferral after delivery changes no status

        // The helper that signs and sends: a hard bounce for Ayşe, as the reader of the README simulates one.
        var bounce = new[] { new { @event = "bounce", reminder_id = ayse.GetProperty("id").GetString(), type = "bounce", reason = "550 5.1.1 The email account that you tried to reach does not exist" } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.SendAsync(HttpMethod.Post, "/admin/sendgrid-events", FunctionKey, bounce)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.SendAsync(HttpMethod.Post, "/admin/sendgrid-events", MasterKey, new { @event = "bounce" })).StatusCode);
        var bounced = await _host.SendAsync(HttpMethod.Post, "/admin/sendgrid-events", MasterKey, bounce);
        Assert.Equal(HttpStatusCode.OK, bounced.StatusCode);
        Assert.Equal(1, (await bounced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("applied").GetInt32());

        var meeting = await MeetingAsync(id);
        var after = InvitationNotices(meeting);
        Assert.Equal(["bounce", "delivered"], after.Select(Status));
        var responses = meeting.GetProperty("responses").EnumerateArray().ToDictionary(r => r.GetProperty("participantId").GetString()!);
        var ayseResponse = responses[ayse.GetProperty("recipientId").GetString()!];
        Assert.True(ayseResponse.GetProperty("undeliverable").GetBoolean());
        Assert.StartsWith("bounce: 550 5.1.1", ayseResponse.GetProperty("undeliverableReason").GetString());
        Assert.False(responses[jiho.GetProperty("recipientId").GetString()!].GetProperty("undeliverable").GetBoolean());

        // The private key is the host's alone: not in the banner, not in any log line.
        Assert.Contains("each email written reports processed and delivered", _host.Output);
        Assert.DoesNotContain(privateKey, _host.Output);
        Assert.DoesNotContain(privateKey[^40..], _host.Output);
    }

    [Fact]
    public async Task WithPickupEventsOffTheOutboxReportsNothingAndTheHelperStillSigns()
    {
        _host.Settings["LocalHost__PickupEvents"] = "false";
        await _host.StartAsync();
        var id = await Invitations.SendAsync(_host);
        Assert.Contains("the pickup folder's own events are off", _host.Output);

        // The helper answers only once the event is recorded: after it, Ji-ho's invitation still has no status of its own.
        var invitations = InvitationNotices(await MeetingAsync(id));
        var processed = new[] { new { @event = "processed", reminder_id = invitations[0].GetProperty("id").GetString() } };
        Assert.Equal(HttpStatusCode.OK, (await _host.SendAsync(HttpMethod.Post, "/admin/sendgrid-events", MasterKey, processed)).StatusCode);
        invitations = InvitationNotices(await MeetingAsync(id));
        Assert.Equal("processed", Status(invitations[0]));
        Assert.Null(Status(invitations[1]));
        Assert.DoesNotContain("Pickup events:", _host.Output);
    }

    private async Task<JsonElement> MeetingAsync(string id)
    {
        var response = await _host.SendAsync(HttpMethod.Get, $"/api/meetings/{id}", FunctionKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The meeting's invitation notices, Ayşe's first (participants in registration order).</summary>
    private static List<JsonElement> InvitationNotices(JsonElement meeting)
    {
        var order = meeting.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        return meeting.GetProperty("notices").EnumerateArray().Where(n => n.GetProperty("kind").GetString() == "invitation")
            .OrderBy(n => order.IndexOf(n.GetProperty("recipientId").GetString())).ToList();
    }

    private static string? Status(JsonElement notice) =>
        notice.TryGetProperty("delivery", out var delivery) && delivery.ValueKind == JsonValueKind.Object ? delivery.GetProperty("status").GetString() : null;

    private async Task<HttpResponseMessage> PostAsync(Uri url, IReadOnlyDictionary<string, string> headers, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return await _host.Http.SendAsync(request);
    }
}
