using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Summit.TestSupport.SendGrid;

/// <summary>A recorded call to POST /v3/mail/send.</summary>
public sealed record RecordedMail(string Authorization, JsonElement Body, int AnsweredStatus)
{
    public string To => Body.GetProperty("personalizations")[0].GetProperty("to")[0].GetProperty("email").GetString()!;
    /// <summary>The subject this recipient sees: the personalization's, else the message's (SendGrid's precedence).</summary>
    public string Subject => Body.GetProperty("personalizations")[0].TryGetProperty("subject", out var own)
        ? own.GetString()!
        : Body.GetProperty("subject").GetString()!;
    public string CustomArg(string name) => Body.GetProperty("personalizations")[0].GetProperty("custom_args").GetProperty(name).GetString()!;
    public string Content(string type) => Body.GetProperty("content").EnumerateArray().First(c => c.GetProperty("type").GetString() == type).GetProperty("value").GetString()!;
    public string? Header(string name) => Body.GetProperty("personalizations")[0].TryGetProperty("headers", out var headers)
        && headers.TryGetProperty(name, out var value) ? value.GetString() : null;
    /// <summary>The first link in the HTML whose address contains <paramref name="part"/>, HTML-decoded.</summary>
    public string Link(string part) => System.Net.WebUtility.HtmlDecode(
        System.Text.RegularExpressions.Regex.Matches(Content("text/html"), "href=\"([^\"]+)\"").Select(m => m.Groups[1].Value).First(h => h.Contains(part, StringComparison.Ordinal)));
    public IReadOnlyList<string> Categories => Body.TryGetProperty("categories", out var c) ? c.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
    public JsonElement Attachment(int index = 0) => Body.GetProperty("attachments")[index];
}

/// <summary>What the fake answers to one request.</summary>
public sealed record FakeAnswer(int Status, IReadOnlyDictionary<string, string>? Headers = null, string? Body = null, TimeSpan Delay = default)
{
    public static FakeAnswer Accepted => new(202);
    public static FakeAnswer BadRequest(string message, string field = "personalizations.0.to.0.email") =>
        new(400, Body: JsonSerializer.Serialize(new { errors = new[] { new { message, field } } }));
    public static FakeAnswer TooManyRequests(DateTimeOffset reset) =>
        new(429, new Dictionary<string, string> { ["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) },
            """{"errors":[{"message":"too many requests"}]}""");
    /// <summary>SendGrid's answer to a wrong or revoked key (401) or a key without the mail.send scope (403).</summary>
    public static FakeAnswer CredentialsRefused(int status, string message) =>
        new(status, Body: JsonSerializer.Serialize(new { errors = new[] { new { field = (string?)null, message, help = (string?)null } } }));
    public static FakeAnswer ServerError(int status = 500) => new(status, Body: """{"errors":[{"message":"internal error"}]}""");
}

/// <summary>
/// A local stand-in for the SendGrid v3 API on 127.0.0.1: records every mail send and answers 202 (with an
/// X-Message-Id) unless a test scripts another answer. Point SendGridClientOptions.Host at <see cref="BaseUrl"/>.
/// </summary>
public sealed class FakeSendGrid : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeAnswer> _scripted = new();
    private readonly ConcurrentQueue<RecordedMail> _requests = new();
    private int _counter;
    private int _accepted;
    private int _acceptedReminders;

    private FakeSendGrid(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request, including refused ones.</summary>
    public IReadOnlyList<RecordedMail> Requests => _requests.ToList();

    /// <summary>Mails answered 202: what participants would receive.</summary>
    public IReadOnlyList<RecordedMail> Accepted => _requests.Where(r => r.AnsweredStatus == 202).ToList();

    /// <summary>Accepted reminders (category "reminder"), leaving out invitations, updates, cancellations and escalations.</summary>
    public IReadOnlyList<RecordedMail> Reminders => Accepted.Where(r => r.Categories.Contains("reminder")).ToList();

    /// <summary>Every reminder request, including refused ones.</summary>
    public IReadOnlyList<RecordedMail> ReminderRequests => Requests.Where(r => r.Categories.Contains("reminder")).ToList();

    /// <summary>Accepted mails of one category: "invitation", "update", "cancellation", "escalation".</summary>
    public IReadOnlyList<RecordedMail> AcceptedOf(string category) => Accepted.Where(r => r.Categories.Contains(category)).ToList();

    /// <summary>How many mails were answered 202 so far (cheap, for polling).</summary>
    public int AcceptedCount => Volatile.Read(ref _accepted);

    /// <summary>How many reminders were answered 202 so far (cheap, for polling).</summary>
    public int AcceptedReminderCount => Volatile.Read(ref _acceptedReminders);

    /// <summary>Answers for the next reminder requests, in order; after them, 202. Other mails (invitations and the
    /// like) are answered 202 and do not use up scripted answers, so a fault aimed at a reminder hits the reminder.</summary>
    public void Script(params FakeAnswer[] answers)
    {
        foreach (var a in answers) _scripted.Enqueue(a);
    }

    /// <summary>Decides the answer per reminder request (for example by recipient); overrides scripted answers when set.
    /// Like <see cref="Script"/>, it aims at reminders: other mails are accepted.</summary>
    public Func<JsonElement, FakeAnswer?>? Responder { get; set; }

    /// <summary>False keeps counts only (<see cref="AcceptedCount"/>, <see cref="AcceptedReminderCount"/>), not the
    /// requests: for benchmarks, whose memory figures must not include tens of thousands of recorded bodies.</summary>
    public bool KeepRequests { get; set; } = true;

    public static async Task<FakeSendGrid> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeSendGrid(app);
        app.MapPost("/v3/mail/send", fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var doc = await JsonDocument.ParseAsync(context.Request.Body);
        var body = doc.RootElement.Clone();
        var isReminder = new RecordedMail("", body, 0).Categories.Contains("reminder");
        var answer = Refusal(body)
            ?? (!isReminder ? FakeAnswer.Accepted : Responder?.Invoke(body) ?? (_scripted.TryDequeue(out var next) ? next : FakeAnswer.Accepted));
        if (answer.Delay > TimeSpan.Zero) await Task.Delay(answer.Delay, context.RequestAborted);
        if (KeepRequests) _requests.Enqueue(new RecordedMail(context.Request.Headers.Authorization.ToString(), body, answer.Status));
        context.Response.StatusCode = answer.Status;
        if (answer.Status == 202)
        {
            context.Response.Headers["X-Message-Id"] = $"fake-{Interlocked.Increment(ref _counter)}";
            Interlocked.Increment(ref _accepted);
            if (isReminder) Interlocked.Increment(ref _acceptedReminders);
        }
        foreach (var (k, v) in answer.Headers ?? new Dictionary<string, string>()) context.Response.Headers[k] = v;
        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
        }
    }

    /// <summary>
    /// What the real service refuses although SendGrid's OpenAPI file allows it (../shared/contracts/sendgrid/SOURCE.md):
    /// a content or attachment type with a parameter other than <c>method</c>, a recipient name with ',' or ';' (which
    /// the real service may also drop silently after a 202), and an address that is not ASCII. Answered as SendGrid does,
    /// with 400 and its errors array, whatever a test scripted.
    /// </summary>
    public static FakeAnswer? Refusal(JsonElement body)
    {
        var errors = new List<(string Message, string Field)>();
        foreach (var (list, what) in new[] { ("content", "content"), ("attachments", "attachment") })
        {
            if (!body.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array) continue;
            var i = 0;
            foreach (var item in items.EnumerateArray())
            {
                var type = item.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
                var parameters = type.Split(';').Skip(1).Select(p => p.Split('=')[0].Trim());
                if (type.Contains('\r') || type.Contains('\n') || parameters.Any(p => !p.Equals("method", StringComparison.OrdinalIgnoreCase)))
                    errors.Add(($"The {what} type cannot contain ';', or CRLF characters.", $"{list}.{i}.type"));
                i++;
            }
        }
        void Address(JsonElement address, string field)
        {
            if (address.TryGetProperty("email", out var email) && email.GetString() is { } e && e.Any(c => c > 127))
                errors.Add(("Does not contain a valid address.", field + ".email"));
            if (address.TryGetProperty("name", out var name) && name.GetString() is { } n && n.IndexOfAny([',', ';']) >= 0)
                errors.Add(("The name may not contain ',' or ';'.", field + ".name"));
        }
        if (body.TryGetProperty("from", out var from)) Address(from, "from");
        if (body.TryGetProperty("reply_to", out var replyTo)) Address(replyTo, "reply_to");
        if (body.TryGetProperty("personalizations", out var personalizations))
        {
            var p = 0;
            foreach (var personalization in personalizations.EnumerateArray())
            {
                foreach (var list in new[] { "to", "cc", "bcc" })
                {
                    if (!personalization.TryGetProperty(list, out var recipients)) continue;
                    var r = 0;
                    foreach (var recipient in recipients.EnumerateArray()) Address(recipient, $"personalizations.{p}.{list}.{r++}");
                }
                p++;
            }
        }
        return errors.Count == 0 ? null
            : new FakeAnswer(400, Body: JsonSerializer.Serialize(new { errors = errors.Select(e => new { message = e.Message, field = e.Field }) }));
    }

    public void Clear()
    {
        while (_requests.TryDequeue(out _)) { }
        Interlocked.Exchange(ref _accepted, 0);
        Interlocked.Exchange(ref _acceptedReminders, 0);
        while (_scripted.TryDequeue(out _)) { }
        Responder = null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
