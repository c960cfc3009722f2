using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Summit.TestSupport.LocalHost;

namespace Summit.LocalHost.Tests;

/// <summary>
/// One bad request per row, over real HTTP against the local host process: each gets the right 4xx as RFC 9457
/// problem details naming the offending field, and storage (every table entity with its ETag, every queue) is exactly
/// as before.
/// </summary>
public sealed class BadInputTests(BadInputTests.Fixture host) : IClassFixture<BadInputTests.Fixture>
{
    /// <summary>The host, plus a scheduled meeting, a cancelled one and one registered with an idempotency key.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public LocalHostProcess Host { get; } = Paths.NewLocalHost();
        public string Scheduled { get; private set; } = "";
        public string Cancelled { get; private set; } = "";
        public string Commitment { get; private set; } = "";
        public string DoneCommitment { get; private set; } = "";

        public async Task InitializeAsync()
        {
            await Host.StartAsync();
            Scheduled = await CreateAsync(null);
            Cancelled = await CreateAsync(null);
            Assert.Equal(HttpStatusCode.OK, (await Host.SendAsync(HttpMethod.Post, $"/api/meetings/{Cancelled}/cancel", LocalHostProcess.FunctionKey)).StatusCode);
            await CreateAsync("used-key");
            Commitment = await CreateCommitmentAsync(null);
            DoneCommitment = await CreateCommitmentAsync(null);
            Assert.Equal(HttpStatusCode.OK, (await Host.SendAsync(HttpMethod.Post, $"/api/commitments/{DoneCommitment}/done", LocalHostProcess.FunctionKey)).StatusCode);
            await CreateCommitmentAsync("used-commitment-key");
        }

        private async Task<string> CreateCommitmentAsync(string? idempotencyKey)
        {
            var headers = idempotencyKey is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey };
            var response = await Host.SendAsync(HttpMethod.Post, "/api/commitments", LocalHostProcess.FunctionKey, ValidCommitment(), headers);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        }

        private async Task<string> CreateAsync(string? idempotencyKey)
        {
            var headers = idempotencyKey is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey };
            var response = await Host.SendAsync(HttpMethod.Post, "/api/meetings", LocalHostProcess.FunctionKey, Valid(), headers);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    /// <summary>A valid meeting a month ahead; each case breaks one thing.</summary>
    public static JsonObject Valid()
    {
        var start = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddDays(30), TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul"));
        return new JsonObject
        {
            ["title"] = "Joint Economic Committee — restart session",
            ["track"] = "joint-economic-committee",
            ["agenda"] = "Trade volume target",
            ["start"] = start.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            ["timeZone"] = "Asia/Seoul",
            ["duration"] = "PT2H",
            ["coordinator"] = new JsonObject { ["name"] = "Choi Yuna", ["email"] = "yuna@example.org" },
            ["participants"] = new JsonArray(
                new JsonObject { ["name"] = "Ayşe Yılmaz", ["email"] = "ayse@example.org", ["timeZone"] = "Europe/Istanbul", ["language"] = "tr" },
                new JsonObject { ["name"] = "Park Ji-ho", ["email"] = "jiho@example.org" }),
            ["reminderOffsets"] = new JsonArray("P7D", "P1D", "PT2H"),
        };
    }

    /// <summary>A valid commitment due in a month; each commitment case breaks one thing.</summary>
    public static JsonObject ValidCommitment() => new()
    {
        ["title"] = "Draft work programme of the JEC secretariat",
        ["track"] = "joint-economic-committee",
        ["owners"] = new JsonArray(new JsonObject { ["name"] = "Park Ji-ho", ["email"] = "jiho@example.org", ["timeZone"] = "Asia/Seoul", ["language"] = "ko" }),
        ["coordinator"] = new JsonObject { ["name"] = "Choi Yuna", ["email"] = "yuna@example.org" },
        ["dueDate"] = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["timeZone"] = "Asia/Seoul",
    };

    private static string Local(DateTimeOffset at, string zone) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    public sealed record Case(
        string Method, string Path, int Status, string Type, string Field,
        Action<JsonObject>? Change = null, string? Raw = null, string ContentType = "application/json",
        string? Key = LocalHostProcess.FunctionKey, Dictionary<string, string>? Headers = null, bool NoBody = false, Func<JsonObject>? Template = null);

    private static Case Commitment(string field, Action<JsonObject> change, int status = 400, string type = "validation-error") =>
        new("POST", "/api/commitments", status, type, field, change, Template: ValidCommitment);

    private static Case Create(int status, string type, string field, Action<JsonObject> change) => new("POST", "/api/meetings", status, type, field, change);
    private static Case Invalid(string field, Action<JsonObject> change) => Create(400, "validation-error", field, change);
    private static JsonObject P(JsonObject m, int i) => m["participants"]![i]!.AsObject();
    private static JsonObject Window(string? start, string? end)
    {
        var window = new JsonObject();
        if (start is not null) window["start"] = start;
        if (end is not null) window["end"] = end;
        return window;
    }

    private static JsonObject ValidDevToken() => new()
    {
        ["name"] = "Kim Min-jun",
        ["email"] = "kim@example.org",
        ["roles"] = new JsonArray("coordinator.nuclear-energy"),
    };

    private static Case DevToken(string field, Action<JsonObject> change, string type = "validation-error") =>
        new("POST", "/admin/dev-tokens", 400, type, field, change, Key: LocalHostProcess.MasterKey, Template: ValidDevToken);

    /// <summary>GET /local-identity/authorize with the console's valid request, one parameter changed (the redirect URI's
    /// port is the host's, filled in by the test).</summary>
    private static Case SignIn(string field, Action<Dictionary<string, string>> change)
    {
        var query = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = "summit-console-local",
            ["redirect_uri"] = "http://127.0.0.1:{port}/console/",
            ["code_challenge"] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ["code_challenge_method"] = "S256",
            ["state"] = "s1",
        };
        change(query);
        return new("GET", "/local-identity/authorize?" + string.Join("&", query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")), 400, "validation-error", field, NoBody: true, Key: null);
    }

    /// <summary>POST /local-identity/token with a well-formed request for a code that was never issued, one field changed.</summary>
    private static Case Token(string field, Action<Dictionary<string, string>> change)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = "never-issued",
            ["code_verifier"] = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            ["redirect_uri"] = "http://127.0.0.1:{port}/console/",
            ["client_id"] = "summit-console-local",
        };
        change(form);
        return new("POST", "/local-identity/token", 400, "validation-error", field, ContentType: "application/x-www-form-urlencoded", Key: null,
            Raw: string.Join("&", form.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
    }

    /// <summary>A PUT of the scheduled meeting at its current version: without the check it would be stored.</summary>
    private static Case Update(string field, Action<JsonObject> change, string type = "validation-error") =>
        new("PUT", "/api/meetings/{scheduled}", 400, type, field, change, Headers: new() { ["If-Match"] = "\"1\"" });

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // The body as a whole
        ["not JSON"] = new("POST", "/api/meetings", 400, "malformed-json", "body", Raw: "{\"title\": "),
        ["trailing comma"] = new("POST", "/api/meetings", 400, "malformed-json", "body", Raw: "{\"title\": \"x\",}"),
        ["empty body"] = new("POST", "/api/meetings", 400, "validation-error", "body", Raw: ""),
        ["JSON null"] = new("POST", "/api/meetings", 400, "validation-error", "body", Raw: "null"),
        ["a JSON array"] = new("POST", "/api/meetings", 400, "invalid-field", "body", Raw: "[]"),
        ["2 MB body"] = new("POST", "/api/meetings", 413, "payload-too-large", "body", m => m["agenda"] = new string('a', 2 * 1024 * 1024)),
        ["text/plain"] = new("POST", "/api/meetings", 415, "unsupported-media-type", "Content-Type", ContentType: "text/plain"),
        ["form encoded"] = new("POST", "/api/meetings", 415, "unsupported-media-type", "Content-Type", ContentType: "application/x-www-form-urlencoded"),
        // Types and unknown fields
        ["title is a number"] = Create(400, "invalid-field", "title", m => m["title"] = 42),
        ["participants is an object"] = Create(400, "invalid-field", "participants", m => m["participants"] = new JsonObject()),
        ["offsets is a string"] = Create(400, "invalid-field", "reminderOffsets", m => m["reminderOffsets"] = "P1D"),
        ["coordinator is a string"] = Create(400, "invalid-field", "coordinator", m => m["coordinator"] = "Choi Yuna"),
        ["unknown field"] = Create(400, "invalid-field", "colour", m => m["colour"] = "blue"),
        ["calendarInvitations is a string"] = Create(400, "invalid-field", "calendarInvitations", m => m["calendarInvitations"] = "false"),
        ["calendarInvitations is a number"] = Create(400, "invalid-field", "calendarInvitations", m => m["calendarInvitations"] = 0),
        ["unknown participant field"] = Create(400, "invalid-field", "participants[0].phone", m => P(m, 0)["phone"] = "+90"),
        ["title twice"] = new("POST", "/api/meetings", 400, "invalid-field", "title", Raw: "{\"title\":\"a\",\"title\":\"b\"}"),
        // Missing required fields
        ["no title"] = Invalid("title", m => m.Remove("title")),
        ["no track"] = Invalid("track", m => m.Remove("track")),
        ["no start"] = Invalid("start", m => m.Remove("start")),
        ["no time zone"] = Invalid("timeZone", m => m.Remove("timeZone")),
        ["no coordinator"] = Invalid("coordinator", m => m.Remove("coordinator")),
        ["no coordinator email"] = Invalid("coordinator.email", m => m["coordinator"]!.AsObject().Remove("email")),
        ["no participants"] = Invalid("participants", m => m.Remove("participants")),
        ["no participant name"] = Invalid("participants[1].name", m => P(m, 1).Remove("name")),
        ["a null participant"] = Invalid("participants[1]", m => m["participants"]![1] = null),
        // Strings: empty, blank, huge, control characters
        ["empty title"] = Invalid("title", m => m["title"] = ""),
        ["blank title"] = Invalid("title", m => m["title"] = "   "),
        ["title of 201 characters"] = Invalid("title", m => m["title"] = new string('x', 201)),
        ["agenda of 20,001 characters"] = Invalid("agenda", m => m["agenda"] = new string('x', 20_001)),
        ["CR/LF in the title (header injection)"] = Invalid("title", m => m["title"] = "Meeting\r\nBcc: everyone@example.org"),
        ["LF in the title"] = Invalid("title", m => m["title"] = "Meeting\nSecond line"),
        ["a bell character in the title"] = Invalid("title", m => m["title"] = "Meeting\u0007"),
        ["NUL in the agenda"] = Invalid("agenda", m => m["agenda"] = "Item\u0000one"),
        ["LF in the location"] = Invalid("location", m => m["location"] = "Ankara\nRoom 2"),
        ["name of 201 characters"] = Invalid("participants[0].name", m => P(m, 0)["name"] = new string('n', 201)),
        ["unknown track"] = Invalid("track", m => m["track"] = "space-programme"),
        ["javascript: join URL"] = Invalid("joinUrl", m => m["joinUrl"] = "javascript:alert(1)"),
        ["relative join URL"] = Invalid("joinUrl", m => m["joinUrl"] = "/meet/jec"),
        // Emails
        ["coordinator email without @"] = Invalid("coordinator.email", m => m["coordinator"]!["email"] = "yuna.example.org"),
        ["participant email without domain"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "ayse@"),
        ["CR/LF in an email"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "ayse@example.org\r\nBcc: x@example.org"),
        ["email of 255 characters"] = Invalid("participants[0].email", m => P(m, 0)["email"] = new string('a', 243) + "@example.org"),
        ["the same email twice, other case"] = Invalid("participants[1].email", m => P(m, 1)["email"] = "AYSE@example.org"),
        // Issue 13.1: addresses that some hop cannot carry (SendGrid, the calendar's mailto:, MIME)
        ["quoted local part with ';'"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "\"a;b\"@example.org"),
        ["quoted local part with ','"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "\"a,b\"@example.org"),
        ["quoted local part with '<x>'"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "\"<x>\"@example.org"),
        ["an IP literal domain"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "a@[127.0.0.1]"),
        ["an IP address as domain"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "a@127.0.0.1"),
        ["'%' in the domain"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "a@ex%41mple.org"),
        ["'%' in the local part"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "a%b@example.org"),
        ["an encoded word as local part"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "=?utf-8?b?YQ==?=@example.org"),
        ["a zero-width space in an email"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "ay\u200Bse@example.org"),
        ["U+202E in an email"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "ayse@\u202Eelpmaxe.org"),
        ["a non-ASCII local part"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "ayşe@example.org"),
        ["a display name form"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "Ayşe <ayse@example.org>"),
        ["a hyphen ending a domain label"] = Invalid("participants[0].email", m => P(m, 0)["email"] = "ayse@example-.org"),
        ["a Unicode domain and its punycode twice"] = Invalid("participants[1].email", m => { P(m, 0)["email"] = "kim@한국.example"; P(m, 1)["email"] = "kim@xn--3e0b707e.example"; }),
        ["coordinator email with a quoted local part"] = Invalid("coordinator.email", m => m["coordinator"]!["email"] = "\"a;b\"@example.org"),
        // Issue 13.2: invisible characters in single-line fields
        ["U+202E in the title"] = Invalid("title", m => m["title"] = "Meeting \u202Egnitsoh"),
        ["a zero-width space in a name"] = Invalid("participants[0].name", m => P(m, 0)["name"] = "Ay\u200Bşe"),
        ["a line separator in the location"] = Invalid("location", m => m["location"] = "Seoul\u2028Ankara"),
        ["a paragraph separator in the coordinator's name"] = Invalid("coordinator.name", m => m["coordinator"]!["name"] = "Choi\u2029Yuna"),
        // Time zones and start
        ["unknown time zone"] = Invalid("timeZone", m => m["timeZone"] = "Mars/Olympus_Mons"),
        ["misspelled time zone"] = Invalid("timeZone", m => m["timeZone"] = "Asia/Seol"),
        ["a UTC offset as time zone"] = Invalid("timeZone", m => m["timeZone"] = "+03:00"),
        ["participant time zone misspelled"] = Invalid("participants[0].timeZone", m => P(m, 0)["timeZone"] = "Europe/Istambul"),
        ["unsupported language"] = Invalid("participants[0].language", m => P(m, 0)["language"] = "de"),
        ["start in the past"] = Invalid("start", m => m["start"] = Local(DateTimeOffset.UtcNow.AddDays(-1), "Asia/Seoul")),
        ["start in 2 minutes"] = Invalid("start", m => m["start"] = Local(DateTimeOffset.UtcNow.AddMinutes(2), "Asia/Seoul")),
        ["start with an offset"] = Invalid("start", m => m["start"] = "2027-01-10T10:00+09:00"),
        ["start not a date"] = Invalid("start", m => m["start"] = "next Tuesday"),
        ["start on 30 February"] = Invalid("start", m => m["start"] = "2027-02-30T10:00"),
        ["start in a DST gap (New York)"] = Invalid("start", m => { m["timeZone"] = "America/New_York"; m["start"] = "2027-03-14T02:30"; }),
        ["start in a DST gap (Berlin)"] = Invalid("start", m => { m["timeZone"] = "Europe/Berlin"; m["start"] = "2027-03-28T02:15"; }),
        // Duration and offsets
        ["duration of one minute"] = Invalid("duration", m => m["duration"] = "PT1M"),
        ["duration of 15 days"] = Invalid("duration", m => m["duration"] = "P15D"),
        ["duration not ISO 8601"] = Invalid("duration", m => m["duration"] = "2 hours"),
        ["offset zero"] = Invalid("reminderOffsets[0]", m => m["reminderOffsets"] = new JsonArray("PT0M")),
        ["offset negative"] = Invalid("reminderOffsets[0]", m => m["reminderOffsets"] = new JsonArray("-PT1H")),
        ["offset of 181 days"] = Invalid("reminderOffsets[0]", m => m["reminderOffsets"] = new JsonArray("P181D")),
        ["offset of 4 minutes"] = Invalid("reminderOffsets[0]", m => m["reminderOffsets"] = new JsonArray("PT4M")),
        ["escalation not a duration"] = Invalid("escalateBefore", m => m["escalateBefore"] = "tomorrow"),
        ["escalation of 2 minutes"] = Invalid("escalateBefore", m => m["escalateBefore"] = "PT2M"),
        ["escalation a number"] = Create(400, "invalid-field", "escalateBefore", m => m["escalateBefore"] = 24),
        ["coordinator language unknown"] = Invalid("coordinator.language", m => m["coordinator"]!["language"] = "de"),
        ["offset not ISO 8601"] = Invalid("reminderOffsets[0]", m => m["reminderOffsets"] = new JsonArray("1 day")),
        ["offset twice"] = Invalid("reminderOffsets[1]", m => m["reminderOffsets"] = new JsonArray("P1D", "P1D")),
        ["PT1H and PT60M (the same length)"] = Invalid("reminderOffsets[1]", m => m["reminderOffsets"] = new JsonArray("PT1H", "PT60M")),
        ["P1D and PT24H (the same length)"] = Invalid("reminderOffsets[1]", m => m["reminderOffsets"] = new JsonArray("P1D", "PT24H")),
        ["start beyond the two-year horizon"] = Invalid("start", m => m["start"] = "9999-12-31T10:00"),
        ["start at the last minute of 9999 in New York"] = Invalid("start", m => { m["timeZone"] = "America/New_York"; m["start"] = "9999-12-31T20:00"; }),
        ["start at the first minute of year 1 in Seoul"] = Invalid("start", m => m["start"] = "0001-01-01T00:00"),
        ["start 731 days ahead"] = Invalid("start", m => m["start"] = Local(DateTimeOffset.UtcNow.AddDays(731), "Asia/Seoul")),
        ["no offsets"] = Invalid("reminderOffsets", m => m["reminderOffsets"] = new JsonArray()),
        ["eleven offsets"] = Invalid("reminderOffsets", m => m["reminderOffsets"] = new JsonArray(
            Enumerable.Range(1, 11).Select(i => (JsonNode?)JsonValue.Create($"PT{i * 10}M")).ToArray())),
        // Participants
        ["no participant at all"] = Invalid("participants", m => m["participants"] = new JsonArray()),
        ["201 participants"] = Invalid("participants", m => m["participants"] = new JsonArray(Enumerable.Range(0, 201)
            .Select(i => (JsonNode?)new JsonObject { ["name"] = $"P{i}", ["email"] = $"p{i}@example.org" }).ToArray())),
        // Issue 18: send windows (HH:mm, the end after the start, an hour at least) and countries (KR, TR)
        ["send window ending before it starts"] = Invalid("sendWindow.end", m => m["sendWindow"] = Window("21:00", "08:00")),
        ["send window ending as it starts"] = Invalid("sendWindow.end", m => m["sendWindow"] = Window("08:00", "08:00")),
        ["send window of half an hour"] = Invalid("sendWindow.end", m => m["sendWindow"] = Window("08:00", "08:30")),
        ["send window starting at 8am"] = Invalid("sendWindow.start", m => m["sendWindow"] = Window("8am", "21:00")),
        ["send window ending at 25:00"] = Invalid("sendWindow.end", m => m["sendWindow"] = Window("08:00", "25:00")),
        ["send window ending at 24:00"] = Invalid("sendWindow.end", m => m["sendWindow"] = Window("08:00", "24:00")),
        ["send window with seconds"] = Invalid("sendWindow.start", m => m["sendWindow"] = Window("08:00:00", "21:00")),
        ["send window without a start"] = Invalid("sendWindow.start", m => m["sendWindow"] = Window(null, "21:00")),
        ["send window with a blank end"] = Invalid("sendWindow.end", m => m["sendWindow"] = Window("08:00", " ")),
        ["send window on weekdays"] = Invalid("sendWindow.days", m => m["sendWindow"] = new JsonObject { ["start"] = "08:00", ["end"] = "21:00", ["days"] = "weekdays" }),
        ["participant send window on days 1 to 5"] = Create(400, "invalid-field", "participants[0].sendWindow.days",
            m => P(m, 0)["sendWindow"] = new JsonObject { ["start"] = "08:00", ["end"] = "21:00", ["days"] = new JsonArray(1, 2, 3, 4, 5) }),
        ["send window is a string"] = Create(400, "invalid-field", "sendWindow", m => m["sendWindow"] = "08:00-21:00"),
        ["send window start is a number"] = Create(400, "invalid-field", "sendWindow.start", m => m["sendWindow"] = new JsonObject { ["start"] = 8, ["end"] = "21:00" }),
        ["send window with a time zone of its own"] = Create(400, "invalid-field", "sendWindow.timeZone",
            m => m["sendWindow"] = new JsonObject { ["start"] = "08:00", ["end"] = "21:00", ["timeZone"] = "Asia/Seoul" }),
        ["participant send window ending before it starts"] = Invalid("participants[0].sendWindow.end", m => P(m, 0)["sendWindow"] = Window("22:00", "07:00")),
        ["participant send window of 59 minutes"] = Invalid("participants[1].sendWindow.end", m => P(m, 1)["sendWindow"] = Window("09:00", "09:59")),
        ["participant send window starting at 7:30pm"] = Invalid("participants[1].sendWindow.start", m => P(m, 1)["sendWindow"] = Window("7:30pm", "21:00")),
        ["participant send window is an array"] = Create(400, "invalid-field", "participants[0].sendWindow", m => P(m, 0)["sendWindow"] = new JsonArray("08:00", "21:00")),
        ["participant country US"] = Invalid("participants[0].country", m => P(m, 0)["country"] = "US"),
        ["participant country spelled out"] = Invalid("participants[1].country", m => P(m, 1)["country"] = "Korea"),
        ["participant country blank"] = Invalid("participants[1].country", m => P(m, 1)["country"] = ""),
        ["coordinator country unknown"] = Invalid("coordinator.country", m => m["coordinator"]!["country"] = "JP"),
        ["coordinator time zone misspelled"] = Invalid("coordinator.timeZone", m => m["coordinator"]!["timeZone"] = "Asia/Tokio"),
        ["coordinator time zone a UTC offset"] = Invalid("coordinator.timeZone", m => m["coordinator"]!["timeZone"] = "+09:00"),
        ["PUT with a send window ending before it starts"] = Update("sendWindow.end", m => m["sendWindow"] = Window("21:00", "08:00")),
        ["PUT with a send window of half an hour"] = Update("sendWindow.end", m => m["sendWindow"] = Window("08:00", "08:30")),
        ["PUT with a send window at 25:00"] = Update("sendWindow.end", m => m["sendWindow"] = Window("08:00", "25:00")),
        ["PUT with a send window without a start"] = Update("sendWindow.start", m => m["sendWindow"] = Window(null, "21:00")),
        ["PUT with a send window as a string"] = Update("sendWindow", m => m["sendWindow"] = "08:00-21:00", "invalid-field"),
        ["PUT with a participant send window of half an hour"] = Update("participants[1].sendWindow.end", m => P(m, 1)["sendWindow"] = Window("20:30", "21:00")),
        ["PUT with a participant country US"] = Update("participants[0].country", m => P(m, 0)["country"] = "US"),
        ["PUT with a coordinator country unknown"] = Update("coordinator.country", m => m["coordinator"]!["country"] = "Korea"),
        ["PUT with a coordinator time zone misspelled"] = Update("coordinator.timeZone", m => m["coordinator"]!["timeZone"] = "Europe/Istambul"),
        // Headers: keys, idempotency, If-Match
        ["no function key"] = new("POST", "/api/meetings", 401, "unauthorized", "Authorization", m => { }, Key: null),
        ["wrong function key"] = new("POST", "/api/meetings", 401, "unauthorized", "x-functions-key", m => { }, Key: "guess"),
        ["idempotency key reused with another body"] = new("POST", "/api/meetings", 422, "idempotency-key-reused", "Idempotency-Key",
            m => m["title"] = "Another meeting", Headers: new() { ["Idempotency-Key"] = "used-key" }),
        ["idempotency key of 201 characters"] = new("POST", "/api/meetings", 400, "validation-error", "Idempotency-Key", m => { },
            Headers: new() { ["Idempotency-Key"] = new string('k', 201) }),
        ["PUT without If-Match"] = new("PUT", "/api/meetings/{scheduled}", 428, "precondition-required", "If-Match", m => { }),
        ["PUT with calendarInvitations as a string"] = new("PUT", "/api/meetings/{scheduled}", 400, "invalid-field", "calendarInvitations",
            m => m["calendarInvitations"] = "null", Headers: new() { ["If-Match"] = "*" }),
        ["PUT with a stale If-Match"] = new("PUT", "/api/meetings/{scheduled}", 412, "precondition-failed", "If-Match", m => { },
            Headers: new() { ["If-Match"] = "\"99\"" }),
        ["PUT with a malformed If-Match"] = new("PUT", "/api/meetings/{scheduled}", 400, "validation-error", "If-Match", m => { },
            Headers: new() { ["If-Match"] = "version one" }),
        ["PUT with an invalid body"] = new("PUT", "/api/meetings/{scheduled}", 400, "validation-error", "title", m => m.Remove("title"),
            Headers: new() { ["If-Match"] = "\"1\"" }),
        ["PUT to a cancelled meeting"] = new("PUT", "/api/meetings/{cancelled}", 409, "state-conflict", "status", m => { },
            Headers: new() { ["If-Match"] = "\"2\"" }),
        ["cancel with a stale If-Match"] = new("POST", "/api/meetings/{scheduled}/cancel", 412, "precondition-failed", "If-Match",
            Headers: new() { ["If-Match"] = "\"7\"" }, NoBody: true),
        // Unknown ids and bad queries
        ["GET an unknown meeting"] = new("GET", "/api/meetings/m000000000000000000000000", 404, "not-found", "id", NoBody: true),
        ["PUT an unknown meeting"] = new("PUT", "/api/meetings/m000000000000000000000000", 404, "not-found", "id", m => { },
            Headers: new() { ["If-Match"] = "\"1\"" }),
        ["cancel an unknown meeting"] = new("POST", "/api/meetings/m000000000000000000000000/cancel", 404, "not-found", "id", NoBody: true),
        ["complete an unknown meeting"] = new("POST", "/api/meetings/nope/complete", 404, "not-found", "id", NoBody: true),
        ["list with an unknown status"] = new("GET", "/api/meetings?status=postponed", 400, "validation-error", "status", NoBody: true),
        ["list with page size 0"] = new("GET", "/api/meetings?pageSize=0", 400, "validation-error", "pageSize", NoBody: true),
        ["list with a forged continuation token"] = new("GET", "/api/meetings?continuationToken=forged", 400, "validation-error", "continuationToken", NoBody: true),
        ["list with undeliverable=maybe"] = new("GET", "/api/meetings?undeliverable=maybe", 400, "validation-error", "undeliverable", NoBody: true),
        ["list from a non-date"] = new("GET", "/api/meetings?from=yesterday", 400, "validation-error", "from", NoBody: true),
        // Admin endpoints
        ["dead letters with the function key"] = new("GET", "/api/admin/dead-letters", 403, "forbidden", "roles", NoBody: true),
        ["replay an unknown dead letter"] = new("POST", "/api/admin/dead-letters/nope/replay", 404, "not-found", "id",
            Key: LocalHostProcess.MasterKey, NoBody: true),
        // Erasure: DELETE a meeting, and data-subject requests
        ["DELETE without If-Match"] = new("DELETE", "/api/meetings/{scheduled}", 428, "precondition-required", "If-Match", NoBody: true),
        ["DELETE with a malformed If-Match"] = new("DELETE", "/api/meetings/{scheduled}", 400, "validation-error", "If-Match",
            Headers: new() { ["If-Match"] = "version 1" }, NoBody: true),
        ["DELETE with a stale If-Match"] = new("DELETE", "/api/meetings/{scheduled}", 412, "precondition-failed", "If-Match",
            Headers: new() { ["If-Match"] = "\"7\"" }, NoBody: true),
        ["DELETE an unknown meeting"] = new("DELETE", "/api/meetings/m000000000000000000000000", 404, "not-found", "id",
            Headers: new() { ["If-Match"] = "*" }, NoBody: true),
        ["erasure with the function key"] = new("POST", "/api/admin/erasures", 403, "forbidden", "roles", Raw: "{\"email\":\"ayse@example.org\"}"),
        ["erasure without an address"] = new("POST", "/api/admin/erasures", 400, "validation-error", "email", Raw: "{}", Key: LocalHostProcess.MasterKey),
        ["erasure of a non-address"] = new("POST", "/api/admin/erasures", 400, "validation-error", "email", Raw: "{\"email\":\"Ayşe <ayse@example.org>\"}",
            Key: LocalHostProcess.MasterKey),
        ["erasure with an unknown field"] = new("POST", "/api/admin/erasures", 400, "invalid-field", "name", Raw: "{\"email\":\"ayse@example.org\",\"name\":\"Ayşe\"}",
            Key: LocalHostProcess.MasterKey),
        ["erasure not JSON"] = new("POST", "/api/admin/erasures", 400, "malformed-json", "body", Raw: "email=ayse@example.org", Key: LocalHostProcess.MasterKey),
        // SendGrid's Event Webhook: the signature is the credential (the local host has no verification key: a signed
        // request would be answered 503 until one is set)
        ["events without a signature"] = new("POST", "/api/sendgrid/events", 401, "invalid-signature", "X-Twilio-Email-Event-Webhook-Signature",
            Raw: "[]", Key: null),
        ["events without a timestamp"] = new("POST", "/api/sendgrid/events", 401, "invalid-signature", "X-Twilio-Email-Event-Webhook-Signature",
            Raw: "[]", Key: null, Headers: new() { ["X-Twilio-Email-Event-Webhook-Signature"] = "MEUCIQ==" }),
        ["events as a form"] = new("POST", "/api/sendgrid/events", 415, "unsupported-media-type", "Content-Type", Raw: "event=bounce",
            ContentType: "application/x-www-form-urlencoded", Key: null,
            Headers: new() { ["X-Twilio-Email-Event-Webhook-Signature"] = "MEUCIQ==", ["X-Twilio-Email-Event-Webhook-Timestamp"] = "1796000000" }),
        ["events over 1 MB"] = new("POST", "/api/sendgrid/events", 413, "payload-too-large", "body", Raw: "[" + new string(' ', 1024 * 1024) + "]", Key: null,
            Headers: new() { ["X-Twilio-Email-Event-Webhook-Signature"] = "MEUCIQ==", ["X-Twilio-Email-Event-Webhook-Timestamp"] = "1796000000" }),
        ["erasure as a form"] = new("POST", "/api/admin/erasures", 415, "unsupported-media-type", "Content-Type", Raw: "email=ayse%40example.org",
            ContentType: "application/x-www-form-urlencoded", Key: LocalHostProcess.MasterKey),
        // Issue 17: commitments
        ["commitment: not JSON"] = new("POST", "/api/commitments", 400, "malformed-json", "body", Raw: "{\"title\": "),
        ["commitment: 2 MB body"] = Commitment("body", c => c["details"] = new string('d', 2 * 1024 * 1024), 413, "payload-too-large"),
        ["commitment: unknown field"] = Commitment("priority", c => c["priority"] = "high", 400, "invalid-field"),
        ["commitment: due in the past"] = Commitment("dueDate", c => c["dueDate"] = DateTimeOffset.UtcNow.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ["commitment: dueDate and dueAt"] = Commitment("dueAt", c => c["dueAt"] = "2030-01-01T00:00Z"),
        ["commitment: no due date"] = Commitment("dueDate", c => c.Remove("dueDate")),
        ["commitment: unknown track"] = Commitment("track", c => c["track"] = "space-programme"),
        ["commitment: unknown meeting"] = Commitment("meetingId", c => c["meetingId"] = "m000000000000000000000000"),
        ["commitment: no owner"] = Commitment("owners", c => c["owners"] = new JsonArray()),
        ["commitment: the same owner twice"] = Commitment("owners[1].email", c => c["owners"]!.AsArray().Add(new JsonObject { ["name"] = "Park", ["email"] = "JIHO@example.org" })),
        ["commitment: a zone that does not exist"] = Commitment("timeZone", c => c["timeZone"] = "Mars/Olympus_Mons"),
        ["commitment: an owner's zone that does not exist"] = Commitment("owners[0].timeZone", c => c["owners"]![0]!["timeZone"] = "Seoul"),
        ["commitment: a reminder after the due moment"] = Commitment("reminderOffsets[0]", c => c["reminderOffsets"] = new JsonArray("-P1D")),
        ["commitment: a rung before the due moment"] = Commitment("escalateAfter[0]", c => c["escalateAfter"] = new JsonArray("-PT1H")),
        ["commitment: an owner's country that is not known"] = Commitment("owners[0].country", c => c["owners"]![0]!["country"] = "US"),
        ["commitment: an owner's country spelled out"] = Commitment("owners[0].country", c => c["owners"]![0]!["country"] = "Türkiye"),
        ["commitment: an owner's window ending before it starts"] = Commitment("owners[0].sendWindow.end", c => c["owners"]![0]!["sendWindow"] = Window("21:00", "08:00")),
        ["commitment: an owner's window of half an hour"] = Commitment("owners[0].sendWindow.end", c => c["owners"]![0]!["sendWindow"] = Window("08:00", "08:30")),
        ["commitment: an owner's window at 8am"] = Commitment("owners[0].sendWindow.start", c => c["owners"]![0]!["sendWindow"] = Window("8am", "21:00")),
        ["commitment: an owner's window on weekends"] = Commitment("owners[0].sendWindow.days",
            c => c["owners"]![0]!["sendWindow"] = new JsonObject { ["start"] = "10:00", ["end"] = "18:00", ["days"] = "weekends" }),
        ["commitment: an owner's window as a string"] = Commitment("owners[0].sendWindow", c => c["owners"]![0]!["sendWindow"] = "08:00-21:00", 400, "invalid-field"),
        ["commitment: a coordinator's country that is not known"] = Commitment("coordinator.country", c => c["coordinator"]!["country"] = "JP"),
        ["commitment: a coordinator's zone that does not exist"] = Commitment("coordinator.timeZone", c => c["coordinator"]!["timeZone"] = "Asia/Seol"),
        ["commitment: a reused Idempotency-Key"] = new("POST", "/api/commitments", 422, "idempotency-key-reused", "Idempotency-Key",
            c => c["title"] = "Another deliverable", Template: ValidCommitment, Headers: new() { ["Idempotency-Key"] = "used-commitment-key" }),
        ["commitment update without If-Match"] = new("PUT", "/api/commitments/{commitment}", 428, "precondition-required", "If-Match", Template: ValidCommitment),
        ["commitment update with a stale ETag"] = new("PUT", "/api/commitments/{commitment}", 412, "precondition-failed", "If-Match", Template: ValidCommitment,
            Headers: new() { ["If-Match"] = "\"99\"" }),
        ["commitment done twice"] = new("POST", "/api/commitments/{done}/done", 409, "state-conflict", "status", NoBody: true),
        ["commitment done with a javascript: link"] = new("POST", "/api/commitments/{commitment}/done", 400, "validation-error", "link",
            Raw: "{\"link\":\"javascript:alert(1)\"}"),
        ["commitment drop of an unknown one"] = new("POST", "/api/commitments/c000000000000000000000000/drop", 404, "not-found", "id", NoBody: true),
        ["commitments listed by a status that is not one"] = new("GET", "/api/commitments?status=late", 400, "validation-error", "status", NoBody: true),
        ["progress of a track that is not one"] = new("GET", "/api/tracks/space-programme/progress", 404, "not-found", "id", NoBody: true),
        ["progress page of a track that is not one"] = new("GET", "/api/tracks/space-programme/progress/page", 404, "not-found", "id", NoBody: true),
        ["holidays of a country that is not known"] = new("GET", "/api/calendar/holidays?country=US&year=2027", 400, "validation-error", "country", NoBody: true),
        ["holidays of a country named in full"] = new("GET", "/api/calendar/holidays?country=Turkey&year=2027", 400, "validation-error", "country", NoBody: true),
        ["holidays without a country"] = new("GET", "/api/calendar/holidays?year=2027", 400, "validation-error", "country", NoBody: true),
        ["holidays of a year before the calendar"] = new("GET", "/api/calendar/holidays?country=KR&year=2025", 400, "validation-error", "year", NoBody: true),
        ["holidays of a year after the calendar"] = new("GET", "/api/calendar/holidays?country=TR&year=2036", 400, "validation-error", "year", NoBody: true),
        ["holidays of a year that is not a number"] = new("GET", "/api/calendar/holidays?country=TR&year=twenty", 400, "validation-error", "year", NoBody: true),
        ["holidays without a year"] = new("GET", "/api/calendar/holidays?country=KR", 400, "validation-error", "year", NoBody: true),
        // Issue 19: the audit trail
        ["meeting history with a page size of 0"] = new("GET", "/api/meetings/{scheduled}/history?pageSize=0", 400, "validation-error", "pageSize", NoBody: true),
        ["meeting history with a page size over 200"] = new("GET", "/api/meetings/{scheduled}/history?pageSize=201", 400, "validation-error", "pageSize", NoBody: true),
        ["meeting history with a page size that is not a number"] = new("GET", "/api/meetings/{scheduled}/history?pageSize=ten", 400, "validation-error", "pageSize", NoBody: true),
        ["meeting history with a token it never gave out"] = new("GET", "/api/meetings/{scheduled}/history?continuationToken=abc", 400, "validation-error", "continuationToken", NoBody: true),
        ["history of an unknown meeting"] = new("GET", "/api/meetings/m000000000000000000000000/history", 404, "not-found", "id", NoBody: true),
        ["commitment history with a negative page size"] = new("GET", "/api/commitments/{commitment}/history?pageSize=-1", 400, "validation-error", "pageSize", NoBody: true),
        ["commitment history with a token it never gave out"] = new("GET", "/api/commitments/{commitment}/history?continuationToken=00000000000000000000", 400, "validation-error", "continuationToken", NoBody: true),
        ["history of an unknown commitment"] = new("GET", "/api/commitments/c000000000000000000000000/history", 404, "not-found", "id", NoBody: true),
        // Issue 19: sign-in and roles, and the caller's own daily digest
        ["a bearer that is not a token"] = new("GET", "/api/meetings", 401, "unauthorized", "Authorization", NoBody: true, Key: null,
            Headers: new() { ["Authorization"] = "Bearer not-a-token" }),
        ["an authorization that is not a bearer"] = new("GET", "/api/meetings", 401, "unauthorized", "Authorization", NoBody: true, Key: null,
            Headers: new() { ["Authorization"] = "Basic a2ltOnNlY3JldA==" }),
        ["a key this app does not know"] = new("GET", "/api/meetings", 401, "unauthorized", "x-functions-key", NoBody: true, Key: "not-a-key-of-this-app"),
        ["digest without an email"] = new("PUT", "/api/me/digest", 400, "validation-error", "email", Raw: "{\"language\":\"ko\",\"timeZone\":\"Asia/Seoul\"}"),
        ["digest with an address that is not one"] = new("PUT", "/api/me/digest", 400, "validation-error", "email", Raw: "{\"email\":\"kim at example\",\"language\":\"ko\",\"timeZone\":\"Asia/Seoul\"}"),
        ["digest in a language we do not write"] = new("PUT", "/api/me/digest", 400, "validation-error", "language", Raw: "{\"email\":\"kim@example.org\",\"language\":\"fr\",\"timeZone\":\"Asia/Seoul\"}"),
        ["digest in a time zone that is not one"] = new("PUT", "/api/me/digest", 400, "validation-error", "timeZone", Raw: "{\"email\":\"kim@example.org\",\"language\":\"ko\",\"timeZone\":\"Mars/Olympus\"}"),
        // The local identity provider (docs/local-development.md, Signing in locally): scripts' tokens, the sign-in and the token endpoint
        ["dev token without a name"] = DevToken("name", t => t.Remove("name")),
        ["dev token with a blank name"] = DevToken("name", t => t["name"] = "  "),
        ["dev token with a two-line name"] = DevToken("name", t => t["name"] = "Kim\nMin-jun"),
        ["dev token with an address that is not one"] = DevToken("email", t => t["email"] = "kim at example.org"),
        ["dev token with a role that is not one"] = DevToken("roles[1]", t => t["roles"] = new JsonArray("observer", "coordinator.space-programme")),
        ["dev token with every track as a user's role"] = DevToken("roles[0]", t => t["roles"] = new JsonArray("coordinator.*")),
        ["dev token with roles as a string"] = DevToken("roles", t => t["roles"] = "operator", "invalid-field"),
        ["dev token with a field it does not know"] = DevToken("password", t => t["password"] = "x", "invalid-field"),
        ["dev token that is not JSON"] = new("POST", "/admin/dev-tokens", 400, "malformed-json", "body", Raw: "{\"name\":", Key: LocalHostProcess.MasterKey),
        ["dev token as a form"] = new("POST", "/admin/dev-tokens", 415, "unsupported-media-type", "Content-Type", Raw: "name=Kim", ContentType: "application/x-www-form-urlencoded", Key: LocalHostProcess.MasterKey),
        ["sign-in for another client"] = SignIn("client_id", q => q["client_id"] = "someone-else"),
        ["sign-in without a client"] = SignIn("client_id", q => q.Remove("client_id")),
        ["sign-in returning to another site"] = SignIn("redirect_uri", q => q["redirect_uri"] = "http://evil.example/console/"),
        ["sign-in returning over https to another site"] = SignIn("redirect_uri", q => q["redirect_uri"] = "https://evil.example/console/"),
        ["sign-in returning to another port"] = SignIn("redirect_uri", q => q["redirect_uri"] = "http://127.0.0.1:1/console/"),
        ["sign-in asking for a token directly"] = SignIn("response_type", q => q["response_type"] = "token"),
        ["sign-in with a plain PKCE challenge"] = SignIn("code_challenge_method", q => q["code_challenge_method"] = "plain"),
        ["sign-in without PKCE"] = SignIn("code_challenge_method", q => { q.Remove("code_challenge_method"); q.Remove("code_challenge"); }),
        ["sign-in with a challenge that is not S256"] = SignIn("code_challenge", q => q["code_challenge"] = "short"),
        ["token for another grant type"] = Token("grant_type", f => f["grant_type"] = "client_credentials"),
        ["token without a verifier"] = Token("code_verifier", f => f.Remove("code_verifier")),
        ["token for a code never issued"] = Token("code", f => { }),
        ["token request as JSON"] = new("POST", "/local-identity/token", 415, "unsupported-media-type", "Content-Type", Raw: "{}", Key: null),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Fact]
    public async Task EveryRouteInFunctionsMetadataRefusesACallWithoutItsKey()
    {
        var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Paths.FunctionAppOutput, "functions.metadata"))).RootElement;
        // The URL as the real host builds it: host.json's route prefix (empty here), then the route.
        var prefix = FunctionCatalog.RoutePrefix(Path.Combine(Paths.FunctionAppOutput, "host.json"));
        var walked = 0;
        foreach (var function in metadata.EnumerateArray())
        {
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            if (trigger.GetProperty("type").GetString() != "httpTrigger") continue;
            var name = function.GetProperty("name").GetString()!;
            var path = (prefix.Length == 0 ? "/" : $"/{prefix}/") + System.Text.RegularExpressions.Regex.Replace(trigger.GetProperty("route").GetString()!, "{[^}]+}", "m000000000000000000000000");
            foreach (var method in trigger.GetProperty("methods").EnumerateArray().Select(m => new HttpMethod(m.GetString()!.ToUpperInvariant())))
            {
                walked++;
                var anonymous = await host.Host.SendAsync(method, path, key: null);
                if (name is "Health" or "GetOpenApiDocument")
                {
                    // Anonymous reads without input: nothing to refuse.
                    Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
                    continue;
                }
                if (name == "ConsoleAssets")
                {
                    // The console's files: anonymous, and a name that is not one of its files is a 404 problem.
                    Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
                    Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
                    continue;
                }
                if (name == "ReceiveSendGridEvents")
                {
                    // No key: SendGrid's signature is the credential, and without one nothing is read.
                    Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                    Assert.Contains("X-Twilio-Email-Event-Webhook-Signature", await anonymous.Content.ReadAsStringAsync());
                    Assert.Equal(HttpStatusCode.Unauthorized, (await host.Host.SendAsync(method, path, LocalHostProcess.FunctionKey)).StatusCode);
                    continue;
                }
                if (name is "ParticipantLinkPage" or "ParticipantLinkConfirm")
                {
                    // No key: the signed token is the credential, and without a valid one nothing happens.
                    Assert.Equal(HttpStatusCode.BadRequest, anonymous.StatusCode);
                    Assert.Contains("This link cannot be used", await anonymous.Content.ReadAsStringAsync());
                    continue;
                }
                Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} ({name}) answered {anonymous.StatusCode} without a key");
                // The local function key is the automation key of a coordinator of every track; only operator routes refuse it.
                var withFunctionKey = await host.Host.SendAsync(method, path, LocalHostProcess.FunctionKey);
                var operatorOnly = path.StartsWith("/api/admin/", StringComparison.Ordinal);
                Assert.True(operatorOnly == (withFunctionKey.StatusCode == HttpStatusCode.Forbidden),
                    $"{method} {path} ({name}) answered {withFunctionKey.StatusCode} with the function key");
                Assert.NotEqual(HttpStatusCode.Unauthorized, withFunctionKey.StatusCode);
                Assert.NotEqual(HttpStatusCode.Unauthorized, (await host.Host.SendAsync(method, path, LocalHostProcess.MasterKey)).StatusCode);
            }
        }
        Assert.Equal(33, walked);
    }

    [Fact]
    public void ThereAreAtLeastFiftyCases() => Assert.True(Cases.Count >= 50, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task IsRefusedWithProblemDetailsNamingTheFieldAndChangesNothing(string name)
    {
        var c = Cases[name];
        var before = await host.Host.StorageSnapshotAsync();

        var request = new HttpRequestMessage(new HttpMethod(c.Method),
            c.Path.Replace("{scheduled}", host.Scheduled, StringComparison.Ordinal).Replace("{cancelled}", host.Cancelled, StringComparison.Ordinal)
                .Replace("{commitment}", host.Commitment, StringComparison.Ordinal).Replace("{done}", host.DoneCommitment, StringComparison.Ordinal)
                .Replace("%7Bport%7D", host.Host.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        if (c.Key is not null) request.Headers.Add("x-functions-key", c.Key);
        foreach (var (header, value) in c.Headers ?? []) request.Headers.TryAddWithoutValidation(header, value);
        if (!c.NoBody)
        {
            string body;
            if (c.Raw is not null) body = c.Raw.Replace("%7Bport%7D", host.Host.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            else
            {
                var meeting = (c.Template ?? Valid)();
                c.Change?.Invoke(meeting);
                body = meeting.ToJsonString();
            }
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
        }
        var response = await host.Host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(c.Status == (int)response.StatusCode, $"{name}: expected {c.Status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("https://summit-followups.example/problems/" + c.Type, problem.GetProperty("type").GetString());
        Assert.Equal(c.Status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.True(fields.Contains(c.Field), $"{name}: expected field {c.Field}, got [{string.Join(", ", fields)}]: {text}");

        Assert.Equal(before, await host.Host.StorageSnapshotAsync());
    }
}
