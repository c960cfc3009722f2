using Microsoft.Azure.Functions.Worker;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Summit.Functions;
using Summit.TestSupport.SendGrid;
using Summit.TestSupport.ServiceBus;
using Summit.TestSupport.Storage;

namespace Summit.Functions.Tests;

/// <summary>The configuration (Debug, Release) this test assembly was built in, so tests find the function app's build
/// output (functions.metadata) of the same configuration.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class BuildConfigurationAttribute(string configuration) : Attribute
{
    public string Configuration { get; } = configuration;
}

/// <summary>An HTTP answer as a client sees it.</summary>
public sealed record HttpAnswer(int Status, IHeaderDictionary Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v.ToString() : null;
    public IReadOnlyList<string> ErrorFields => Json.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!).ToList();
}

/// <summary>
/// The function app composed exactly as Program.cs composes it (AddSummitFunctions), with real Azurite tables (own
/// prefix), the in-process AMQP broker, the local SendGrid endpoint and a FakeTimeProvider. Functions are invoked
/// the way the host invokes them: an HttpRequest in, an IActionResult executed into the response.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _decorate;
    private readonly bool _ownsDependencies;

    private TestApp(ServiceProvider services, FakeTimeProvider time, FakeSendGrid sendGrid, FakeServiceBusBroker broker, string prefix, LogSink logs,
        Dictionary<string, string?> settings, Action<IServiceCollection>? decorate, bool ownsDependencies)
    {
        _settings = settings;
        _decorate = decorate;
        _ownsDependencies = ownsDependencies;
        Services = services;
        Time = time;
        SendGrid = sendGrid;
        Broker = broker;
        TablePrefix = prefix;
        Logs = logs;
    }

    public ServiceProvider Services { get; }
    public FakeTimeProvider Time { get; }
    public FakeSendGrid SendGrid { get; }
    public FakeServiceBusBroker Broker { get; }
    public string TablePrefix { get; }
    public LogSink Logs { get; }
    public const string QueueName = "reminders";

    /// <param name="configure">Changes to the settings.</param>
    /// <param name="decorate">Changes to the composition after AddSummitFunctions (fault injection).</param>
    public const string LinkBaseUrl = "https://reminders.test.example";
    public const string LinkSigningKey = "test-link-signing-key-0123456789abcdef";

    public static async Task<TestApp> StartAsync(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? decorate = null)
    {
        await Azurite.EnsureRunningAsync();
        var time = new FakeTimeProvider(Start);
        var sendGrid = await FakeSendGrid.StartAsync();
        var broker = await FakeServiceBusBroker.StartAsync(new FakeServiceBusBrokerOptions { TimeProvider = time });
        var prefix = Azurite.NewTablePrefix();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["ServiceBus:ConnectionString"] = broker.ConnectionString,
            ["ServiceBus:QueueName"] = QueueName,
            ["ServiceBus:MaxRetries"] = "1",
            ["ServiceBus:TryTimeout"] = "00:00:10",
            ["SendGrid:ApiKey"] = "test-api-key",
            ["Email:FromEmail"] = "reminders@summit-followups.example",
            ["SendGrid:Host"] = sendGrid.BaseUrl,
            ["SendGrid:Timeout"] = "00:00:30", // generous: a slow first request on a busy machine is not a timeout
            ["Delivery:ReceiveWait"] = "00:00:00.500",
            ["Links:BaseUrl"] = LinkBaseUrl,
            ["Links:SigningKey"] = LinkSigningKey,
            // Most tests are about the pipeline, not send windows: every hour is open unless a test (SendWindowsTests) says
            // otherwise. Weekends and public holidays still count.
            ["SendWindow:Start"] = "00:00",
            ["SendWindow:End"] = "23:59",
        };
        TestIdentity.Configure(settings);
        configure?.Invoke(settings);
        var logs = new LogSink();
        return new TestApp(Compose(settings, time, logs, decorate), time, sendGrid, broker, prefix, logs, settings, decorate, ownsDependencies: true);
    }

    private static ServiceProvider Compose(Dictionary<string, string?> settings, FakeTimeProvider time, LogSink logs, Action<IServiceCollection>? decorate)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSummitFunctions(configuration);
        services.AddSingleton<TimeProvider>(time);
        services.AddMvcCore();
        TestIdentity.Compose(services);
        decorate?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Another instance of the function app (its own composition: its own singletons, clients and caches) on
    /// the same tables, broker, SendGrid endpoint and clock: a second worker in Azure, or this one after a restart.
    /// Without <paramref name="decorate"/> it is composed as this one was, faults included. The first app still owns
    /// the shared parts; dispose the instance before it.</summary>
    public TestApp StartInstance(Action<IServiceCollection>? decorate = null) =>
        new(Compose(_settings, Time, Logs, decorate ?? _decorate), Time, SendGrid, Broker, TablePrefix, Logs, _settings, decorate ?? _decorate, ownsDependencies: false);

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Runs both timers now, so the invitations of meetings just registered are queued and sent: tests about
    /// reminders then start from an empty queue.</summary>
    public async Task SendInvitationsAsync()
    {
        await RunTimersAsync();
        Assert.Empty(Broker.ActiveMessages(QueueName));
    }

    /// <summary>Runs ScheduleDueReminders, then DeliverReminders, as the host would; first moves the clock to
    /// <paramref name="at"/> when given (and lets the broker release messages whose scheduled time has come).</summary>
    public async Task RunTimersAsync(DateTimeOffset? at = null)
    {
        if (at is { } moment) MoveClockTo(moment);
        var timers = Function<Pipeline.ReminderTimers>();
        await timers.ScheduleDueReminders(new TimerInfo(), default);
        await timers.DeliverReminders(new TimerInfo(), default);
    }

    /// <summary>Runs the retention timer now, as the host would.</summary>
    public Task RunRetentionAsync() => Function<Pipeline.RetentionTimer>().ApplyRetention(new TimerInfo(), default);

    /// <summary>Moves the fake clock. Its timers fire as it moves, so the broker releases every scheduled message whose
    /// time has come before this returns; checked here, so a test never waits for it.</summary>
    public void MoveClockTo(DateTimeOffset at)
    {
        Time.SetUtcNow(at);
        var held = Broker.ActiveMessages(QueueName).Where(m => m.ScheduledEnqueueTime is { } due && due <= at).ToList();
        Assert.True(held.Count == 0, $"the broker still holds {held.Count} scheduled messages due by {at:O}");
    }

    public T Function<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>A header name that only tells <see cref="CallAsync"/> to send no credentials.</summary>
    public const string Anonymous = "x-test-anonymous";

    /// <summary>Builds a request like the host does and runs the function's result into a response.</summary>
    public async Task<HttpAnswer> CallAsync(string method, string path, Func<HttpRequest, Task<IActionResult>> function,
        object? json = null, string? rawBody = null, string contentType = "application/json", IDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        var request = context.Request;
        request.Method = method;
        var query = path.IndexOf('?');
        request.Path = query < 0 ? path : path[..query];
        if (query >= 0) request.QueryString = new QueryString(path[query..]);
        var body = rawBody ?? (json is null ? null : JsonSerializer.Serialize(json, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            request.Body = new MemoryStream(bytes);
            request.ContentLength = bytes.Length;
            request.ContentType = contentType;
        }
        // Calls are made with the automation key unless the test brings its own credentials (or none: "anonymous").
        var given = headers ?? new Dictionary<string, string>();
        if (!given.ContainsKey("Authorization") && !given.ContainsKey("x-functions-key") && !given.ContainsKey(Anonymous)
            && !path.Contains("code=", StringComparison.Ordinal))
            request.Headers["x-functions-key"] = TestIdentity.AutomationKey;
        foreach (var (k, v) in given.Where(h => h.Key != Anonymous)) request.Headers[k] = v;
        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        var result = await function(request);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return new HttpAnswer(context.Response.StatusCode, context.Response.Headers, Encoding.UTF8.GetString(responseBody.ToArray()));
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (!_ownsDependencies) return;
        await Broker.DisposeAsync();
        await SendGrid.DisposeAsync();
        try { await Azurite.DeleteTablesAsync(TablePrefix); } catch (Exception) { /* best effort clean-up */ }
    }
}

/// <summary>Captures every log line of every level, formatted, for assertions about what logs must never contain.</summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    public IReadOnlyList<string> Lines => _lines.ToList();
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
