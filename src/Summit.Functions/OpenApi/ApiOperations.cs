using System.Text.Json.Nodes;
using Summit.Functions.Commitments;
using Summit.Functions.Holidays;
using Summit.Functions.Meetings;
using Summit.Functions.Operations;
using Summit.Reminders.Commitments;
using Summit.Reminders.DeliveryStatus;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;

namespace Summit.Functions.OpenApi;

/// <summary>
/// One entry per HTTP function, keyed by its function name: adding a function means adding its entry here (the document,
/// and the test that compares it with functions.metadata, name a function that has none). docs/api.md has the full rules.
/// </summary>
public static class ApiOperations
{
    public static readonly IReadOnlyList<(string Name, string Description)> Tags =
    [
        ("meetings", "Follow-up meetings, their participants and planned reminders."),
        ("commitments", "Deliverables due by a date, their owners' reminders and the coordinator's escalations."),
        ("reference", "Tracks, public holidays and progress per track."),
        ("participants", "The pages behind the signed links in participants' and owners' emails (anonymous: the token is the credential)."),
        ("operations", "Health, dead letters, data-subject erasure, SendGrid's Event Webhook and this document."),
    ];

    /// <summary>HTTP functions that are not part of the API and so not in the document, each with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotInDocument = new Dictionary<string, string>
    {
        ["ConsoleAssets"] = "the coordinator console's HTML, CSS and JavaScript files (/console/), a web page for people, not an API operation",
    };

    public static readonly IReadOnlyDictionary<string, string> ResponseHeaders = new Dictionary<string, string>
    {
        ["ETag"] = "The version, for If-Match: \"1\", \"2\", ...",
        ["Location"] = "The new resource's URL.",
        ["Idempotent-Replayed"] = "true when this answers an earlier request with the same Idempotency-Key.",
        ["Retry-After"] = "Seconds to wait before trying again.",
        ["WWW-Authenticate"] = "How to authenticate (RFC 6750): Bearer, with error=\"invalid_token\" when a token was refused.",
    };

    private static readonly Parameter MeetingId = new("id", "The meeting's id.");
    private static readonly Parameter CommitmentId = new("id", "The commitment's id.");
    private static readonly Parameter IdempotencyKey = new("Idempotency-Key",
        "1 to 200 visible ASCII characters. The same key with the same body answers the same 201 and stores nothing new; with another body 422.");
    private static readonly Parameter IfMatchRequired = new("If-Match",
        "The ETag of the version this changes (\"3\", W/\"3\" or *). Without it the answer is 428 precondition-required.");
    private static readonly Parameter IfMatchOptional = new("If-Match", "Optional: the ETag of the version this changes (\"3\", W/\"3\" or *).");
    private static readonly Parameter PageSize = new("pageSize", "1 to 200, default 50.", Schema: new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9]+$" });
    private static readonly Parameter ContinuationToken = new("continuationToken", "The continuationToken of the previous page.");
    private static readonly Parameter Token = new("token", "The signed token of the link (in the query for the page and for RFC 8058 one-click; in the form otherwise).");

    private static Reply Unavailable => Reply.Problem(503, "dependency-unavailable: Table Storage cannot be reached; nothing was changed.") with { Headers = ["Retry-After"] };
    private static Reply Invalid(string what) => Reply.Problem(400, what, ApiExamples.ValidationProblem);
    private static Reply NotFound(string what) => Reply.Problem(404, "not-found: " + what);
    private static Reply TooLarge => Reply.Problem(413, "payload-too-large: the body is over 256 KB.");
    private static Reply NotJson => Reply.Problem(415, "unsupported-media-type: Content-Type is not application/json.");
    private static Reply Changed(string what) => Reply.Problem(412, $"precondition-failed: If-Match is not the {what}'s current version.");
    private static Reply StateConflict(string what) => Reply.Problem(409, $"state-conflict: not possible in the {what}'s state.");
    private static Reply IfMatchMissing => Reply.Problem(428, "precondition-required: no If-Match.");
    private static Reply Erased => Reply.Problem(410, "meeting-erased: the meeting was erased; the problem carries its anonymous tombstone.");
    private static Reply Meeting(int status, string description) => Reply.Json<MeetingResponse>(status, description) with { Headers = ["ETag"] };
    private static Reply Commitment(int status, string description) => Reply.Json<CommitmentResponse>(status, description) with { Headers = ["ETag"] };

    private static readonly Reply[] LinkPages =
    [
        Reply.Html(200, "The page (a form with one button, the owner's Done or More-time form, or the track's progress page)."),
        Reply.Html(400, "This link cannot be used (tampered with, or for another action)."),
        Reply.Html(404, "The meeting or commitment no longer exists, or the participant was removed from it."),
        Reply.Html(409, "Not possible any more (the meeting was cancelled or has started)."),
        Reply.Html(410, "The link has expired."),
    ];

    public static readonly IReadOnlyDictionary<string, ApiOperation> All = new Dictionary<string, ApiOperation>
    {
        ["CreateMeeting"] = new("meetings", "Register a meeting", "Plans every reminder and queues the invitations. Rules and limits of each field: docs/api.md, \"The meeting\".")
        {
            Headers = [IdempotencyKey],
            Body = RequestBody.Json<MeetingDraft>(ApiExamples.Meeting),
            Replies =
            [
                Meeting(201, "The meeting as registered (the same answer again for a repeated Idempotency-Key).") with { Headers = ["ETag", "Location", "Idempotent-Replayed"] },
                Invalid("validation-error, malformed-json or invalid-field: the offending fields are named in errors."), Erased, TooLarge, NotJson,
                Reply.Problem(422, "idempotency-key-reused: the key was used with another body."), Unavailable,
            ],
        },
        ["GetMeeting"] = new("meetings", "Read a meeting", "The meeting, its participants and every planned reminder with its state.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = MeetingId },
            Replies = [Meeting(200, "The meeting."), NotFound("no meeting with that id."), Erased, Unavailable],
        },
        ["ListMeetings"] = new("meetings", "List meetings", "Summaries, filtered and paged.")
        {
            Query =
            [
                new("track", "Only this track's (GET /api/tracks)."),
                new("status", "scheduled, cancelled or completed.", Schema: Enum("scheduled", "cancelled", "completed")),
                new("from", "Starting at or after this ISO 8601 date or date-time."),
                new("to", "Starting before this ISO 8601 date or date-time."),
                new("undeliverable", "true: only meetings with a participant whose address was reported undeliverable.", Schema: Enum("true", "false")),
                PageSize, ContinuationToken,
            ],
            Replies = [Reply.Json<MeetingListResponse>(200, "One page of summaries."), Invalid("validation-error naming the query parameter."), Unavailable],
        },
        ["UpdateMeeting"] = new("meetings", "Replace a meeting", "Reschedule, change participants, offsets or calendar invitations; re-plans every reminder.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = MeetingId },
            Headers = [IfMatchRequired],
            Body = RequestBody.Json<MeetingDraft>(ApiExamples.Meeting),
            Replies =
            [
                Meeting(200, "The meeting as changed."), Invalid("validation-error, malformed-json or invalid-field."), NotFound("no meeting with that id."),
                StateConflict("meeting"), Erased, Changed("meeting"), TooLarge, NotJson, IfMatchMissing, Unavailable,
            ],
        },
        ["CancelMeeting"] = new("meetings", "Cancel a meeting", "No further reminders; participants who heard of it are told.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = MeetingId },
            Headers = [IfMatchOptional],
            Replies = [Meeting(200, "The meeting, cancelled."), Invalid("validation-error: If-Match is not an ETag."), NotFound("no meeting with that id."), StateConflict("meeting"), Erased, Changed("meeting"), Unavailable],
        },
        ["CompleteMeeting"] = new("meetings", "Mark a meeting completed", "No further reminders.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = MeetingId },
            Headers = [IfMatchOptional],
            Replies = [Meeting(200, "The meeting, completed."), Invalid("validation-error: If-Match is not an ETag."), NotFound("no meeting with that id."), StateConflict("meeting"), Erased, Changed("meeting"), Unavailable],
        },
        ["DeleteMeeting"] = new("meetings", "Erase a meeting", "Erases its personal data everywhere and keeps an anonymous tombstone (docs/data-protection.md).")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = MeetingId },
            Headers = [IfMatchRequired],
            Replies =
            [
                Reply.Json<TombstoneResponse>(200, "Erased: the tombstone."),
                Reply.Json<TombstoneResponse>(202, "The meeting is gone but the rest stopped midway (state erasing); the next retention run or the same DELETE finishes it."),
                Invalid("validation-error: If-Match is not an ETag."), NotFound("no meeting with that id."), Erased, Changed("meeting"), IfMatchMissing, Unavailable,
                Reply.Problem(403, "forbidden: neither a coordinator of the meeting's track nor an operator."),
            ],
        },
        ["GetMe"] = new("reference", "Who am I", "The caller as the history names them, the roles that grant something, and each track they may see with whether they may change it.")
        {
            Replies = [Reply.Json<Identity.MeResponse>(200, "The caller.")],
        },
        ["GetMyDigest"] = new("reference", "My daily digest", "The caller's daily digest, if they opted in (docs/api.md, \"The daily digest\").")
        {
            Replies = [Reply.Json<Identity.DigestResponse>(200, "The caller's digest."), NotFound("the caller has not opted in."), Unavailable],
        },
        ["SubscribeMyDigest"] = new("reference", "Opt in to (or change) my daily digest",
            "An email at 08:00 in timeZone, in language, on the days there is something to say about the next 7 days of the tracks the caller may see.")
        {
            Body = RequestBody.Json<Identity.DigestDraft>(ApiExamples.Digest),
            Replies =
            [
                Reply.Json<Identity.DigestResponse>(200, "The digest as planned."),
                Invalid("validation-error: email, language (en, ko, tr) or timeZone is not valid."), TooLarge, NotJson, Unavailable,
            ],
        },
        ["UnsubscribeMyDigest"] = new("reference", "Opt out of my daily digest", "Nothing is kept of it.")
        {
            Replies = [Reply.Empty(204, "Opted out; no digest is sent from now on."), NotFound("the caller has not opted in."), Unavailable],
        },
        ["ListTracks"] = new("reference", "List the summit's tracks")
        {
            Replies = [Reply.Json<IReadOnlyList<Track>>(200, "The six tracks.")],
        },
        ["CreateCommitment"] = new("commitments", "Register a commitment", "A deliverable due by a date (docs/api.md, \"Commitments\").")
        {
            Headers = [IdempotencyKey],
            Body = RequestBody.Json<CommitmentDraft>(ApiExamples.Commitment),
            Replies =
            [
                Commitment(201, "The commitment as registered.") with { Headers = ["ETag", "Location", "Idempotent-Replayed"] },
                Invalid("validation-error, malformed-json or invalid-field."), TooLarge, NotJson,
                Reply.Problem(422, "idempotency-key-reused: the key was used with another body."), Unavailable,
            ],
        },
        ["GetCommitment"] = new("commitments", "Read a commitment", "Its state and every email of its current plan.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = CommitmentId },
            Replies = [Commitment(200, "The commitment."), NotFound("no commitment with that id."), Unavailable],
        },
        ["MeetingHistory"] = new("meetings", "A meeting's history", "Its audit trail, oldest first, paged; also after an erasure, with personal values replaced by a marker.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = MeetingId },
            Query = [PageSize, ContinuationToken],
            Replies = [Reply.Json<History.HistoryResponse>(200, "One page of entries."), Invalid("validation-error or invalid-field naming the query parameter."), NotFound("no meeting with that id."), Unavailable],
        },
        ["CommitmentHistory"] = new("commitments", "A commitment's history", "Its audit trail, oldest first, paged.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = CommitmentId },
            Query = [PageSize, ContinuationToken],
            Replies = [Reply.Json<History.HistoryResponse>(200, "One page of entries."), Invalid("validation-error or invalid-field naming the query parameter."), NotFound("no commitment with that id."), Unavailable],
        },
        ["ListCommitments"] = new("commitments", "List commitments", "Summaries, filtered and paged.")
        {
            Query =
            [
                new("track", "Only this track's (GET /api/tracks)."),
                new("status", "open, done or dropped.", Schema: Enum("open", "done", "dropped")),
                new("dueBefore", "Due before this ISO 8601 date or date-time."),
                PageSize, ContinuationToken,
            ],
            Replies = [Reply.Json<CommitmentListResponse>(200, "One page of summaries."), Invalid("validation-error naming the query parameter."), Unavailable],
        },
        ["UpdateCommitment"] = new("commitments", "Replace a commitment", "Re-plans its reminders and rungs; only while open.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = CommitmentId },
            Headers = [IfMatchRequired],
            Body = RequestBody.Json<CommitmentDraft>(ApiExamples.Commitment),
            Replies =
            [
                Commitment(200, "The commitment as changed."), Invalid("validation-error, malformed-json or invalid-field."), NotFound("no commitment with that id."),
                StateConflict("commitment"), Changed("commitment"), TooLarge, NotJson, IfMatchMissing, Unavailable,
            ],
        },
        ["CompleteCommitment"] = new("commitments", "Mark a commitment done", "The body may be left out.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = CommitmentId },
            Headers = [IfMatchOptional],
            Body = RequestBody.Json<CompletionDraft>("""{ "note": "Shared in the committee's folder.", "link": "https://files.example.org/sinop/data-package" }""", required: false),
            Replies = [Commitment(200, "The commitment, done."), Invalid("validation-error, malformed-json or invalid-field."), NotFound("no commitment with that id."), StateConflict("commitment"), Changed("commitment"), TooLarge, NotJson, Unavailable],
        },
        ["ReopenCommitment"] = new("commitments", "Reopen a commitment", "A new plan from now on.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = CommitmentId },
            Headers = [IfMatchOptional],
            Replies = [Commitment(200, "The commitment, open again."), Invalid("validation-error: If-Match is not an ETag."), NotFound("no commitment with that id."), StateConflict("commitment"), Changed("commitment"), Unavailable],
        },
        ["DropCommitment"] = new("commitments", "Drop a commitment", "The body may be left out.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = CommitmentId },
            Headers = [IfMatchOptional],
            Body = RequestBody.Json<DropDraft>("""{ "reason": "Superseded by the joint work programme." }""", required: false),
            Replies = [Commitment(200, "The commitment, dropped."), Invalid("validation-error, malformed-json or invalid-field."), NotFound("no commitment with that id."), StateConflict("commitment"), Changed("commitment"), TooLarge, NotJson, Unavailable],
        },
        ["TrackProgress"] = new("reference", "A track's progress", "Counts and every commitment of the track, open ones by due moment first.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = new("id", "The track's id (GET /api/tracks).") },
            Replies = [Reply.Json<TrackProgressResponse>(200, "The track's progress."), NotFound("not a track."), Unavailable],
        },
        ["TrackProgressPage"] = new("reference", "A track's progress as an HTML page", "With a chart of every track.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = new("id", "The track's id (GET /api/tracks).") },
            Query = [new("lang", "en, ko or tr; else the browser's Accept-Language.", Schema: Enum("en", "ko", "tr"))],
            Replies = [Reply.Html(200, "The page."), NotFound("not a track."), Unavailable],
        },
        ["ListPublicHolidays"] = new("reference", "A country's public holidays in one year", "South Korea (KR) or Türkiye (TR), 2026 to 2035; names in en, ko and tr.")
        {
            Query =
            [
                new("country", "KR or TR.", Required: true, Schema: Enum("KR", "TR")),
                new("year", "2026 to 2035.", Required: true, Schema: new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9]{4}$" }),
            ],
            Replies = [Reply.Json<HolidayListResponse>(200, "The holidays in date order.", ApiExamples.Holidays), Invalid("validation-error naming country or year.")],
        },
        ["ListDeadLetters"] = new("operations", "List the reminder queue's dead letters", "Oldest first.")
        {
            Query = [new("max", "1 to 1000, default 100 (a Storage Queue lists at most 32).", Schema: new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9]+$" })],
            Replies = [Reply.Json<DeadLetterListResponse>(200, "The dead letters."), Invalid("validation-error naming max."), Unavailable],
        },
        ["ReplayDeadLetter"] = new("operations", "Put one dead-lettered reminder back on the queue", "After the cause is fixed; its failed ledger row is reopened.")
        {
            Path = new Dictionary<string, Parameter> { ["id"] = new("id", "The dead letter's id.") },
            Replies =
            [
                Reply.Json<ReplayResponse>(202, "Requeued."), NotFound("no dead letter with that id."),
                Reply.Problem(409, "not-a-reminder (a malformed or foreign message) or already-final (sent or skipped meanwhile)."), Unavailable,
            ],
        },
        ["ErasePerson"] = new("operations", "Erase a person from every meeting and commitment", "A data-subject request; repeating it is safe (docs/data-protection.md).")
        {
            Body = RequestBody.Json<PersonErasureRequest>("""{ "email": "ayse@example.org" }"""),
            Replies = [Reply.Json<PersonErasureResponse>(200, "What was erased, and what was kept and why."), Invalid("validation-error, malformed-json or invalid-field."), TooLarge, NotJson, Unavailable],
        },
        ["ParticipantLinkPage"] = new("participants", "The page a participant's, owner's or coordinator's link opens", "Changes nothing (mail scanners fetch links).")
        {
            Path = new Dictionary<string, Parameter> { ["action"] = new("action", "What the link is for.", Schema: Actions()) },
            Query = [Token with { Required = true }, new("lang", "progress only: en, ko or tr; else the browser's Accept-Language.", Schema: Enum("en", "ko", "tr"))],
            Replies = [.. LinkPages, Unavailable],
        },
        ["ParticipantLinkConfirm"] = new("participants", "Record a participant's or owner's answer", "The page's button, or RFC 8058 one-click (token in the query). Answers with the result page.")
        {
            Path = new Dictionary<string, Parameter> { ["action"] = new("action", "What the link is for (progress pages take no answer: 405).", Schema: Actions()) },
            Query = [Token],
            Body = new RequestBody(["application/x-www-form-urlencoded", "multipart/form-data"], null, LinkForm(), Required: false),
            Replies =
            [
                .. LinkPages,
                Reply.Problem(400, "validation-error naming body: more than 10 fields, or a form that does not parse."),
                Reply.Problem(413, "payload-too-large naming body: the form is over 32 KB."),
                Reply.Empty(405, "A progress link: nothing to record."), Unavailable,
            ],
        },
        ["ReceiveSendGridEvents"] = new("operations", "SendGrid's signed Event Webhook", "ECDSA P-256 over the timestamp and the raw body, checked against EventWebhook:PublicKey; the timestamp within 5 minutes of now.")
        {
            Headers =
            [
                new(Webhooks.SendGridEventsApi.SignatureHeader, "SendGrid's signature (base64).", Required: true),
                new(Webhooks.SendGridEventsApi.TimestampHeader, "The signing time (Unix seconds).", Required: true),
            ],
            Body = new RequestBody(["application/json"], null, new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" } },
                """[{ "event": "delivered", "email": "ayse@example.org", "timestamp": 1796367600, "sg_event_id": "ZGVsaXZlcmVkLTA", "reminder_id": "m2e00a9ae37d9ec22c0505481.p1.P1D.pc1b77951090dda5" }]"""),
            Replies =
            [
                Reply.Json<EventBatchResult>(200, "What was recorded."), Invalid("validation-error: not an array of event objects."),
                Reply.Problem(401, "invalid-signature: no, a wrong or a stale signature; nothing is read."), Reply.Problem(413, "payload-too-large: over 1 MB."), NotJson,
                Reply.Problem(503, "not-configured (no verification key) or dependency-unavailable: nothing is certain to be recorded; send again."),
            ],
        },
        ["Health"] = new("operations", "Health of the app's dependencies", "Table Storage, the reminder queue and the email provider (SendGrid took our key at the last send).")
        {
            Replies = [Reply.Json<HealthResponse>(200, "Every dependency answers."), Reply.Json<HealthResponse>(503, "A dependency does not answer: its error says why.")],
        },
        ["GetOpenApiDocument"] = new("operations", "This OpenAPI 3.1 document")
        {
            Replies = [new Reply(200, "The document.", "application/json", null, new JsonObject { ["type"] = "object", ["required"] = new JsonArray("openapi", "info", "paths") })],
        },
    };

    private static JsonObject Enum(params string[] values) => new() { ["type"] = "string", ["enum"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()) };

    private static JsonObject Actions() => Enum(System.Enum.GetValues<ParticipantAction>().Select(ParticipantLinks.PathSegment).ToArray());

    private static JsonObject LinkForm() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["token"] = new JsonObject { ["type"] = "string", ["description"] = "The link's signed token (else the query's)." },
            ["note"] = new JsonObject { ["type"] = "string", ["description"] = "done and more-time: the owner's note." },
            ["link"] = new JsonObject { ["type"] = "string", ["description"] = "done: a link to the deliverable." },
            ["date"] = new JsonObject { ["type"] = "string", ["description"] = "more-time: the proposed due date (yyyy-MM-dd)." },
        },
    };
}
