using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Functions.Identity;
using Summit.Functions.Meetings;
using Summit.Reminders.Delivery;
using Summit.Reminders.Ports;

namespace Summit.Functions.Operations;

public sealed record DeadLetterResponse(
    string Id, string Reason, string? Description, DateTimeOffset? DeadLetteredAt, int DeliveryCount,
    string? ReminderId, string? MeetingId, string? ParticipantId, string? Offset, int? PlanVersion, DateTimeOffset? DueAt, string? ParseError)
{
    public static DeadLetterResponse From(DeadLetter d) => new(d.Id, d.Reason, d.Description, d.DeadLetteredAt, d.DeliveryCount,
        d.Reminder?.ReminderId, d.Reminder?.MeetingId, d.Reminder?.ParticipantId, d.Reminder?.Offset, d.Reminder?.PlanVersion, d.Reminder?.DueAt, d.ParseError);
}

public sealed record DeadLetterListResponse(IReadOnlyList<DeadLetterResponse> Items);

public sealed record ReplayResponse(string DeadLetterId, string ReminderId, string MeetingId);

/// <summary>Ops repair of the reminder queue (admin key): see the dead letters with their reason and meeting, and put
/// one back after the cause is fixed. Works with either queue transport.</summary>
public sealed class DeadLettersApi(DeadLetterService deadLetters, Guard guard)
{
    [Function("ListDeadLetters")]
    [Needs(Need.Operate)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/dead-letters")] HttpRequest request, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Operate, async () =>
        {
            var max = 100;
            if (request.Query["max"].ToString() is { Length: > 0 } text
                && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > 1000))
                return Problems.Invalid(request, "max", "must be a number from 1 to 1000");
            var items = await deadLetters.ListAsync(max, cancellationToken);
            return new OkObjectResult(new DeadLetterListResponse(items.Select(DeadLetterResponse.From).ToList()));
        });

    [Function("ReplayDeadLetter")]
    [Needs(Need.Operate)]
    public Task<IActionResult> Replay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/dead-letters/{id}/replay")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Operate, async () => await deadLetters.ReplayAsync(id, cancellationToken) switch
        {
            ReplayResult.Replayed r => new AcceptedResult((string?)null, new ReplayResponse(id, r.Requeued.ReminderId, r.Requeued.MeetingId)),
            ReplayResult.NotAReminder n => Problems.Field(request, 409, "not-a-reminder", "Cannot be replayed", "id",
                $"is a dead letter that is not a reminder ({n.Reason}); replaying it would fail again"),
            ReplayResult.AlreadyFinal f => Problems.Field(request, 409, "already-final", "Cannot be replayed", "id",
                $"carries a reminder that was {f.State.ToString().ToLowerInvariant()} meanwhile; replaying it could send it twice"),
            _ => Problems.NotFound(request, $"Dead letter '{id}'"),
        });
}
