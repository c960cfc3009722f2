using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Summit.Functions.Telemetry;
using Summit.Reminders.Telemetry;
using Summit.TestSupport.SendGrid;
using Summit.TestSupport.Storage;

namespace Summit.Functions.Tests;

/// <summary>Our ActivitySource and Meter are process-wide names: these tests run alone, so no other test's spans or
/// measurements land in their exporter.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}

/// <summary>
/// The app's own OpenTelemetry pipeline (<see cref="TelemetryComposition.AddSummitOpenTelemetry"/>, what Program.cs and the
/// local host build) with an in-memory exporter in place of Azure Monitor, over the real adapters: what an operator would
/// see in Application Insights — spans, links, metrics — and what must never be there.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset P1DDue = new(2026, 12, 9, 1, 0, 0, TimeSpan.Zero); // of Api.Meeting()'s P1D reminder
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private readonly string _queueName = "t" + Guid.NewGuid().ToString("N")[..16];
    private TestApp _app = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task<Api> StartAsync(bool storageQueue = false)
    {
        _app = await TestApp.StartAsync(settings =>
        {
            if (!storageQueue) return;
            settings["ReminderQueue:Transport"] = "StorageQueue";
            settings["StorageQueue:ConnectionString"] = Azurite.ConnectionString;
            settings["StorageQueue:QueueName"] = _queueName;
            settings["Delivery:ReceiveWait"] = "00:00:00";
        }, services => services.AddSummitOpenTelemetry()
            .WithTracing(t => t.AddInMemoryExporter(_spans))
            .WithMetrics(m => m.AddInMemoryExporter(_metrics)));
        _app.Get<TracerProvider>(); // the host starts the providers; here the first resolve does
        _app.Get<MeterProvider>();
        return new Api(_app);
    }

    public async Task DisposeAsync()
    {
        if (_app is null) return;
        await _app.DisposeAsync();
        await new Azure.Storage.Queues.QueueClient(Azurite.ConnectionString, _queueName).DeleteIfExistsAsync();
        await new Azure.Storage.Queues.QueueClient(Azurite.ConnectionString, _queueName + "-poison").DeleteIfExistsAsync();
    }

    private List<Activity> Spans(string name)
    {
        _app.Get<TracerProvider>().ForceFlush();
        lock (_spans) return _spans.Where(s => s.DisplayName == name && s.Source.Name == SummitTelemetry.Name).ToList();
    }

    private List<Activity> AllSpans()
    {
        _app.Get<TracerProvider>().ForceFlush();
        lock (_spans) return _spans.ToList();
    }

    /// <summary>The sum of a counter, or the count of a histogram, over the points whose tags match.</summary>
    private double Total(string instrument, params (string Key, object Value)[] tags)
    {
        _metrics.Clear();
        _app.Get<MeterProvider>().ForceFlush();
        double total = 0;
        foreach (var metric in _metrics.Where(m => m.Name == instrument && m.MeterName == SummitTelemetry.Name))
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags) pointTags[tag.Key] = tag.Value;
                if (!tags.All(t => Equals(pointTags.GetValueOrDefault(t.Key), t.Value))) continue;
                total += metric.MetricType switch
                {
                    MetricType.LongSum => point.GetSumLong(),
                    MetricType.DoubleSum => point.GetSumDouble(),
                    MetricType.Histogram => point.GetHistogramCount(),
                    MetricType.LongGauge => point.GetGaugeLastValueLong(),
                    _ => throw new InvalidOperationException(metric.MetricType.ToString()),
                };
            }
        return total;
    }

    private bool Reported(string instrument)
    {
        _metrics.Clear();
        _app.Get<MeterProvider>().ForceFlush();
        return _metrics.Any(m => m.Name == instrument && m.GetMetricPoints().GetEnumerator().MoveNext());
    }

    private static object? Tag(Activity span, string key) => span.GetTagItem(key);

    [Fact]
    public async Task FromRequestToInboxOverServiceBusEachDeliveryLinksToItsPublishAndTheSendGridCallIsItsDependency()
    {
        var api = await StartAsync();
        var id = await api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await _app.RunTimersAsync(); // invitations
        await _app.RunTimersAsync(P1DDue.AddSeconds(45)); // the reminders, 45 s late

        var register = Assert.Single(Spans(SummitTelemetry.Spans.RegisterMeeting));
        Assert.Equal(id, Tag(register, SummitTelemetry.Attributes.MeetingId));
        Assert.Equal("created", Tag(register, SummitTelemetry.Attributes.Result));

        Assert.Equal(2, Spans(SummitTelemetry.Spans.SchedulerTick).Count); // one per RunTimersAsync
        var publishes = Spans(SummitTelemetry.Spans.Publish);
        Assert.Equal(["invitation", "reminder"], publishes.Select(p => (string)Tag(p, SummitTelemetry.Attributes.Kind)!).Order());
        Assert.All(publishes, p =>
        {
            Assert.Equal(ActivityKind.Producer, p.Kind);
            Assert.Equal(id, Tag(p, SummitTelemetry.Attributes.MeetingId));
            Assert.Contains(Spans(SummitTelemetry.Spans.SchedulerTick), t => t.SpanId == p.ParentSpanId);
        });

        var deliveries = Spans(SummitTelemetry.Spans.Deliver);
        Assert.Equal(4, deliveries.Count); // two participants × (invitation, reminder)
        foreach (var deliver in deliveries)
        {
            Assert.Equal(ActivityKind.Consumer, deliver.Kind);
            var kind = (string)Tag(deliver, SummitTelemetry.Attributes.Kind)!;
            // The link crossed the broker: the context the message carried is its publish span's.
            var link = Assert.Single(deliver.Links);
            var publish = Assert.Single(publishes, p => p.SpanId == link.Context.SpanId);
            Assert.Equal(publish.TraceId, link.Context.TraceId);
            Assert.Equal(kind, Tag(publish, SummitTelemetry.Attributes.Kind));
            Assert.Equal("sent", Tag(deliver, SummitTelemetry.Attributes.Outcome));
            Assert.Equal(id, Tag(deliver, SummitTelemetry.Attributes.MeetingId));
            var lateness = Assert.IsType<double>(Tag(deliver, SummitTelemetry.Attributes.LatenessSeconds));
            Assert.Equal(kind == "reminder" ? 45.0 : 0.0, lateness);
            // SendGrid as a dependency of this delivery.
            // (Its storage reads and writes are client spans of it too.)
            var call = Assert.Single(AllSpans(), s => s.ParentSpanId == deliver.SpanId && s.Kind == ActivityKind.Client
                && ((string?)Tag(s, "url.full"))?.StartsWith(_app.SendGrid.BaseUrl, StringComparison.Ordinal) == true);
            Assert.Equal(_app.SendGrid.BaseUrl + "/v3/mail/send", Tag(call, "url.full"));
            Assert.Equal(202, Convert.ToInt32(Tag(call, "http.response.status_code"), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(2, Total(SummitTelemetry.Instruments.Emails, (SummitTelemetry.Attributes.Kind, "invitation"), (SummitTelemetry.Attributes.Outcome, "sent")));
        Assert.Equal(2, Total(SummitTelemetry.Instruments.Emails, (SummitTelemetry.Attributes.Kind, "reminder"), (SummitTelemetry.Attributes.Outcome, "sent")));
        Assert.Equal(4, Total(SummitTelemetry.Instruments.DeliveryLateness));
        Assert.Equal(2, Total(SummitTelemetry.Instruments.TickDuration));
        Assert.Equal(2, Total(SummitTelemetry.Instruments.SlotsPublished));
    }

    [Fact]
    public async Task OverTheStorageQueueTheDeliveryLinksToItsPublishTooAndTheGaugeCountsWhatWaits()
    {
        var api = await StartAsync(storageQueue: true);
        await api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await _app.RunTimersAsync();

        var publish = Assert.Single(Spans(SummitTelemetry.Spans.Publish));
        var deliveries = Spans(SummitTelemetry.Spans.Deliver);
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(publish.SpanId, Assert.Single(d.Links).Context.SpanId));
        Assert.Equal(0, Total(SummitTelemetry.Instruments.QueueWaiting));

        // The P1D reminders, published ahead of their moment (within the look-ahead), wait unseen on the queue.
        _app.MoveClockTo(P1DDue.AddSeconds(-30));
        await _app.Function<Pipeline.ReminderTimers>().ScheduleDueReminders(new(), default);
        await _app.Function<Pipeline.ReminderTimers>().DeliverReminders(new(), default);
        Assert.Equal(2, Total(SummitTelemetry.Instruments.QueueWaiting));
    }

    [Fact]
    public async Task EmailsAreCountedByFinalOutcomeAndARefusedKeyIsCountedOnItsOwn()
    {
        var api = await StartAsync();
        await api.CreateIdAsync(Api.Meeting(offsets: ["P1D", "PT2H"]));
        await using (var client = new Azure.Messaging.ServiceBus.ServiceBusClient(_app.Broker.ConnectionString))
            await client.CreateSender(TestApp.QueueName).SendMessageAsync(new Azure.Messaging.ServiceBus.ServiceBusMessage("{\"not\":\"ours\"}") { MessageId = "foreign" });
        await _app.RunTimersAsync();
        Assert.Equal(2, Total(SummitTelemetry.Instruments.Emails, (SummitTelemetry.Attributes.Kind, "invitation"), (SummitTelemetry.Attributes.Outcome, "sent")));
        Assert.Equal(1, Total(SummitTelemetry.Instruments.Emails, (SummitTelemetry.Attributes.Outcome, "dead_lettered"))); // not ours: no kind

        _app.SendGrid.Responder = body => body.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString() == "ayse@example.org"
            ? FakeAnswer.BadRequest("Does not contain a valid address.")
            : null;
        await _app.RunTimersAsync(P1DDue);
        Assert.Equal(1, Total(SummitTelemetry.Instruments.Emails, (SummitTelemetry.Attributes.Kind, "reminder"), (SummitTelemetry.Attributes.Outcome, "sent")));
        Assert.Equal(1, Total(SummitTelemetry.Instruments.Emails, (SummitTelemetry.Attributes.Kind, "reminder"), (SummitTelemetry.Attributes.Outcome, "failed")));
        var failed = Assert.Single(Spans(SummitTelemetry.Spans.Deliver), d => Equals(Tag(d, SummitTelemetry.Attributes.Outcome), "failed"));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(0, Total(SummitTelemetry.Instruments.CredentialsRefused));

        _app.SendGrid.Responder = _ => FakeAnswer.CredentialsRefused(401, "The provided authorization grant is invalid, expired, or revoked");
        await _app.RunTimersAsync(P1DDue.AddHours(22)); // the PT2H reminders
        var refusals = _app.SendGrid.Requests.Count(r => r.AnsweredStatus == 401);
        Assert.InRange(refusals, 1, 2); // both may be in flight at once; the run sends nothing after it knows
        Assert.Equal(refusals, Total(SummitTelemetry.Instruments.CredentialsRefused)); // one per refusing answer
        Assert.Equal(2, Total(SummitTelemetry.Instruments.Emails, (SummitTelemetry.Attributes.Kind, "reminder"))); // the waiting ones are not final
        Assert.Equal(2, Spans(SummitTelemetry.Spans.Deliver).Count(d => Equals(Tag(d, SummitTelemetry.Attributes.Outcome), "postponed_by_credentials")));
    }

    [Fact]
    public async Task NoSpanCarriesAnAddressANameATitleATokenOrAKey()
    {
        var api = await StartAsync();
        var id = await api.CreateIdAsync(Api.Meeting(offsets: ["P1D"]));
        await api.UpdateAsync(id, Api.Meeting(offsets: ["P1D"], start: "2026-12-10T11:00",
            participants: [new { name = "Ayşe Yılmaz", email = "ayse@example.org" }]), "*");
        await _app.RunTimersAsync();
        await _app.RunTimersAsync(P1DDue.AddHours(1));
        var link = _app.SendGrid.Accepted.First(m => m.To == "ayse@example.org").Link("/api/p/acknowledge");
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query)["token"]!;
        await api.FollowAsync(link);
        await _app.RunTimersAsync(P1DDue.AddHours(2));

        var spans = AllSpans();
        Assert.Contains(spans, s => s.DisplayName == SummitTelemetry.Spans.UpdateMeeting);
        Assert.True(spans.Count(s => s.DisplayName == SummitTelemetry.Spans.Deliver) >= 3, "the pipeline ran");
        var values = spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}")
            .Concat([s.DisplayName, s.StatusDescription ?? ""])
            .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")))).ToList();
        foreach (var secret in new[]
        {
            "ayse@example.org", "seoyeon@example.org", "coordinator@example.org", "Ayşe", "Yılmaz", "Lee Seo-yeon", "Kim Min-jun",
            "Joint Economic Committee", "Trade and investment", "Ministry of Trade", token, "test-api-key", TestApp.LinkSigningKey,
        })
            Assert.DoesNotContain(values, v => v.Contains(secret, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheAppsPipelineRedactsKeysLinkTokensAndSignaturesInEveryUrlAndDropsPersonalAttributesBeforeExport()
    {
        await StartAsync();
        using (var span = SummitTelemetry.Source.StartActivity("UrlCarrier"))
        {
            Assert.NotNull(span);
            span.SetTag("url.full", "https://summit.example/api/meetings?code=FUNCTIONKEY&keep=1");
            span.SetTag("http.url", "https://summit.example/api/p/acknowledge?TOKEN=LINKTOKEN");
            span.SetTag("http.target", "/api/p/unsubscribe?t%6Fken=LINKTOKEN2&x=y");
            span.SetTag("url.query", "c%6Fde=FUNCTIONKEY2&page=2");
            span.SetTag("server.url", "https://account.queue.core.windows.net/q?sv=2024&sig=SASSIGNATURE");
            span.SetTag("url.original", "/api/meetings?code%3DFUNCTIONKEY3");
            span.SetTag("client.address", "203.0.113.7");
            span.SetTag("user.email", "ayse@example.org");
            span.SetTag("http.request.header.authorization", "Bearer SECRETBEARER");
            span.SetTag(SummitTelemetry.Attributes.MeetingId, "m-1");
        }
        // And a real dependency call through the HttpClient instrumentation.
        using (var http = new HttpClient())
            await http.GetAsync(_app.SendGrid.BaseUrl + "/anything?code=FUNCTIONKEY4&token=LINKTOKEN3&sig=SASSIGNATURE2&keep=2");

        var spans = AllSpans();
        var carrier = Assert.Single(spans, s => s.DisplayName == "UrlCarrier");
        Assert.Equal("https://summit.example/api/meetings?code=REDACTED&keep=1", Tag(carrier, "url.full"));
        Assert.Equal("https://summit.example/api/p/acknowledge?TOKEN=REDACTED", Tag(carrier, "http.url"));
        Assert.Equal("/api/p/unsubscribe?t%6Fken=REDACTED&x=y", Tag(carrier, "http.target"));
        Assert.Equal("c%6Fde=REDACTED&page=2", Tag(carrier, "url.query"));
        Assert.Equal("https://account.queue.core.windows.net/q?sv=2024&sig=REDACTED", Tag(carrier, "server.url"));
        Assert.Equal("/api/meetings?code%3DREDACTED", Tag(carrier, "url.original"));
        Assert.Null(Tag(carrier, "client.address"));
        Assert.Null(Tag(carrier, "user.email"));
        Assert.Null(Tag(carrier, "http.request.header.authorization"));
        Assert.Equal("m-1", Tag(carrier, SummitTelemetry.Attributes.MeetingId));

        var call = Assert.Single(spans, s => s.Kind == ActivityKind.Client && ((string?)Tag(s, "url.full"))?.Contains("/anything", StringComparison.Ordinal) == true);
        Assert.StartsWith(_app.SendGrid.BaseUrl + "/anything?", (string)Tag(call, "url.full")!); // (.NET's own instrumentation hides the whole query)
        var everything = string.Join("\n", spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Value}")));
        foreach (var secret in new[] { "FUNCTIONKEY", "LINKTOKEN", "SASSIGNATURE", "SECRETBEARER", "203.0.113.7", "ayse@" })
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWorkersLogLevelsKeepRequestAndDependencyUrlsOut()
    {
        var lines = new LogSink();
        using var provider = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(lines).KeepUrlsOutOfLogs())
            .BuildServiceProvider();
        var factory = provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>();
        // What ASP.NET Core and HttpClient write for each request, under their own categories, at Information.
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics"),
            "Request starting HTTP/1.1 GET http://localhost/api/meetings?code=FUNCTIONKEY");
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(factory.CreateLogger("System.Net.Http.HttpClient.SendGrid.LogicalHandler"),
            "Start processing HTTP request POST https://account.queue.core.windows.net/q?sig=SASSIGNATURE");
        Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics"), "a warning still shows");
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(factory.CreateLogger("Summit.Reminders.Delivery.ReminderDelivery"), "our own lines still show");

        Assert.DoesNotContain(lines.Lines, l => l.Contains("FUNCTIONKEY", StringComparison.Ordinal) || l.Contains("SASSIGNATURE", StringComparison.Ordinal));
        Assert.Contains(lines.Lines, l => l.Contains("a warning still shows", StringComparison.Ordinal));
        Assert.Contains(lines.Lines, l => l.Contains("our own lines still show", StringComparison.Ordinal));
    }
}
