using Azure.Data.Tables;
using Summit.Reminders.Ports;
using Summit.Reminders.Participation;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>
/// Participants' answers, in the meeting's ledger partition as "resp-{participant}" rows, so the coordinator's view
/// reads them with the deliveries in one query. Merge upserts: an acknowledgement and an unsubscription never overwrite
/// each other.
/// </summary>
public sealed class TableParticipantResponses(SummitTables tables) : IParticipantResponses
{
    public const string RowPrefix = "resp-";

    public Task<ParticipantResponse?> GetAsync(string meetingId, string participantId, CancellationToken cancellationToken) =>
        tables.RunAsync<ParticipantResponse?>(async () =>
        {
            var response = await tables.Ledger.GetEntityIfExistsAsync<TableEntity>(meetingId, RowPrefix + participantId, cancellationToken: cancellationToken);
            return response.HasValue ? FromEntity(response.Value!) : null;
        });

    public Task<IReadOnlyList<ParticipantResponse>> ListAsync(string meetingId, CancellationToken cancellationToken) =>
        tables.RunAsync<IReadOnlyList<ParticipantResponse>>(async () =>
        {
            var list = new List<ParticipantResponse>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {meetingId} and RowKey ge {RowPrefix} and RowKey lt {"resp."}");
            await foreach (var e in tables.Ledger.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
                list.Add(FromEntity(e));
            return list;
        });

    public Task AcknowledgeAsync(string meetingId, string participantId, DateTimeOffset at, DateTimeOffset meetingStartUtc, CancellationToken cancellationToken) =>
        tables.RunAsync(() => tables.Ledger.UpsertEntityAsync(new TableEntity(meetingId, RowPrefix + participantId)
        {
            ["ParticipantId"] = participantId,
            ["AcknowledgedAt"] = at,
            ["AcknowledgedStartUtc"] = meetingStartUtc,
        }, TableUpdateMode.Merge, cancellationToken));

    public Task UnsubscribeAsync(string meetingId, string participantId, DateTimeOffset at, CancellationToken cancellationToken) =>
        tables.RunAsync(() => tables.Ledger.UpsertEntityAsync(new TableEntity(meetingId, RowPrefix + participantId)
        {
            ["ParticipantId"] = participantId,
            ["UnsubscribedAt"] = at,
        }, TableUpdateMode.Merge, cancellationToken));

    public Task MarkUndeliverableAsync(string meetingId, string participantId, DateTimeOffset at, string reason, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            // The first report stands (a later one would only move the date).
            var existing = await tables.Ledger.GetEntityIfExistsAsync<TableEntity>(meetingId, RowPrefix + participantId, cancellationToken: cancellationToken);
            if (existing.HasValue && existing.Value!.GetDateTimeOffset("UndeliverableAt") is not null) return;
            await tables.Ledger.UpsertEntityAsync(new TableEntity(meetingId, RowPrefix + participantId)
            {
                ["ParticipantId"] = participantId,
                ["UndeliverableAt"] = at,
                ["UndeliverableReason"] = reason.Length > 500 ? reason[..500] : reason,
            }, TableUpdateMode.Merge, cancellationToken);
        });

    internal static ParticipantResponse FromEntity(TableEntity e) => new(
        e.GetString("ParticipantId"), e.GetDateTimeOffset("AcknowledgedAt"), e.GetDateTimeOffset("AcknowledgedStartUtc"), e.GetDateTimeOffset("UnsubscribedAt"),
        e.GetDateTimeOffset("UndeliverableAt"), e.GetString("UndeliverableReason"));
}
