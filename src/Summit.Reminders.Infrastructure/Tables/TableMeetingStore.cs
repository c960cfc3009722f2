using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Summit.Reminders.Erasure;
using Summit.Reminders.Meetings;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>
/// One entity per meeting (PartitionKey = meeting id). The whole meeting, participants and reminder plan included, is
/// one JSON document split over string properties of at most 30,000 characters, so every change is a single atomic,
/// ETag-conditional write. Title, track, status and start are also plain properties for filtered listing.
/// </summary>
public sealed class TableMeetingStore(SummitTables tables) : IMeetingStore
{
    private const string RowKey = "meeting";
    private const string TombstoneKey = "tombstone";
    private const string RemovedPrefix = "removed-";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public Task<bool> TryAddAsync(Meeting meeting, string? requestFingerprint, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            try
            {
                await tables.Meetings.AddEntityAsync(ToEntity(meeting, requestFingerprint), cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                return false;
            }
        });

    public Task<StoredMeeting?> GetAsync(string meetingId, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            if (!IsSafeKey(meetingId)) return null;
            var response = await tables.Meetings.GetEntityIfExistsAsync<TableEntity>(meetingId, RowKey, cancellationToken: cancellationToken);
            if (!response.HasValue || response.Value is null) return null;
            var entity = response.Value;
            return new StoredMeeting(FromEntity(entity), entity.GetString("RequestFingerprint"), entity.ETag.ToString());
        });

    public Task ReplaceAsync(Meeting meeting, string? requestFingerprint, string concurrencyToken, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            try
            {
                await tables.Meetings.UpdateEntityAsync(ToEntity(meeting, requestFingerprint),
                    new ETag(concurrencyToken), TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                throw new ConcurrencyConflictException($"Meeting {meeting.Id} changed since it was read.");
            }
        });

    public Task AddRemovedAsync(string meetingId, string planId, IReadOnlyList<Participant> removed, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            // Upserts, so a retried update writes the same rows again; at most 200 participants: two transactions.
            foreach (var chunk in removed.Chunk(100))
            {
                await tables.Meetings.SubmitTransactionAsync(chunk.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    new TableEntity(meetingId, RemovedKey(planId, p.Id)) { ["Participant"] = JsonSerializer.Serialize(p, Json) })), cancellationToken);
            }
        });

    public Task<IReadOnlyList<Participant>> ListRemovedAsync(string meetingId, string planId, CancellationToken cancellationToken) =>
        tables.RunAsync<IReadOnlyList<Participant>>(async () =>
        {
            if (!IsSafeKey(meetingId) || !IsSafeKey(planId)) return [];
            var prefix = RemovedKey(planId, "");
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {meetingId} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
            var removed = new List<Participant>();
            await foreach (var entity in tables.Meetings.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
                removed.Add(ParticipantOf(entity));
            return removed;
        });

    public Task<Participant?> FindRemovedAsync(string meetingId, string planId, string participantId, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            if (!IsSafeKey(meetingId) || !IsSafeKey(planId) || !IsSafeKey(participantId)) return null;
            var response = await tables.Meetings.GetEntityIfExistsAsync<TableEntity>(meetingId, RemovedKey(planId, participantId), cancellationToken: cancellationToken);
            return response.HasValue && response.Value is not null ? ParticipantOf(response.Value) : null;
        });

    private static string RemovedKey(string planId, string participantId) => $"{RemovedPrefix}{planId}-{participantId}";

    public Task BeginErasureAsync(MeetingTombstone tombstone, string concurrencyToken, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            try
            {
                // One partition, one transaction: the meeting goes and its tombstone appears together. (Upsert: a meeting
                // re-registered next to an older tombstone, by a retry that raced the erasure, can be erased again.)
                await tables.Meetings.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(tombstone.Id, RowKey), new ETag(concurrencyToken)),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(tombstone)),
                ], cancellationToken);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                throw new ConcurrencyConflictException($"Meeting {tombstone.Id} changed since it was read.");
            }
        });

    public Task<MeetingTombstone?> GetTombstoneAsync(string meetingId, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            if (!IsSafeKey(meetingId)) return null;
            var response = await tables.Meetings.GetEntityIfExistsAsync<TableEntity>(meetingId, TombstoneKey, cancellationToken: cancellationToken);
            return response.HasValue && response.Value is not null ? TombstoneOf(response.Value) : null;
        });

    public Task SaveTombstoneAsync(MeetingTombstone tombstone, CancellationToken cancellationToken) =>
        tables.RunAsync(() => tables.Meetings.UpsertEntityAsync(ToEntity(tombstone), TableUpdateMode.Replace, cancellationToken));

    public Task<IReadOnlyList<MeetingTombstone>> ListUnfinishedErasuresAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        tables.RunAsync<IReadOnlyList<MeetingTombstone>>(async () =>
        {
            var due = new List<MeetingTombstone>();
            var filter = TableClient.CreateQueryFilter($"RowKey eq {TombstoneKey} and State ne {"swept"}");
            await foreach (var entity in tables.Meetings.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var tombstone = TombstoneOf(entity);
                if (tombstone.IsDue(now)) due.Add(tombstone);
                if (due.Count >= max) break;
            }
            return due;
        });

    public Task<int> EraseRemovedAsync(string meetingId, IReadOnlySet<string>? participantIds, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            if (!IsSafeKey(meetingId)) return 0;
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {meetingId} and RowKey ge {RemovedPrefix} and RowKey lt {"removed."}");
            var doomed = new List<TableEntity>();
            await foreach (var entity in tables.Meetings.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Participant"], cancellationToken: cancellationToken))
            {
                if (participantIds is null || participantIds.Contains(ParticipantOf(entity).Id)) doomed.Add(entity);
            }
            foreach (var chunk in doomed.Chunk(100))
            {
                try
                {
                    await tables.Meetings.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 404)
                {
                    // A row went meanwhile (an overlapping run of this or another erasure): the rest one by one
                    // (a delete of a missing row answers 404 without throwing).
                    foreach (var e in chunk) await tables.Meetings.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All, cancellationToken);
                }
            }
            return doomed.Count;
        });

    public Task<IReadOnlyList<string>> ListEndedBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken) =>
        tables.RunAsync<IReadOnlyList<string>>(async () =>
        {
            // A meeting ends after it starts, so "started before the cutoff" narrows the query; the end decides.
            var ids = new List<string>();
            var filter = TableClient.CreateQueryFilter($"RowKey eq {RowKey} and StartUtc lt {cutoff.ToUniversalTime()}");
            await foreach (var entity in tables.Meetings.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (FromEntity(entity).EndUtc < cutoff) ids.Add(entity.PartitionKey);
                if (ids.Count >= max) break;
            }
            return ids;
        });

    public async IAsyncEnumerable<StoredMeeting> ScanAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in QueryAllAsync(TableClient.CreateQueryFilter($"RowKey eq {RowKey}"), cancellationToken))
            yield return new StoredMeeting(FromEntity(entity), entity.GetString("RequestFingerprint"), entity.ETag.ToString());
    }

    public async IAsyncEnumerable<(string MeetingId, Participant Participant)> ScanRemovedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in QueryAllAsync(TableClient.CreateQueryFilter($"RowKey ge {RemovedPrefix} and RowKey lt {"removed."}"), cancellationToken))
            yield return (entity.PartitionKey, ParticipantOf(entity));
    }

    /// <summary>A query page by page, each page read through <see cref="SummitTables.RunAsync{T}"/> (an outage is a
    /// <see cref="DependencyUnavailableException"/>), so a scan holds one page in memory, not the table.</summary>
    private IAsyncEnumerable<TableEntity> QueryAllAsync(string filter, CancellationToken cancellationToken) =>
        TableDocuments.QueryAllAsync(tables, tables.Meetings, filter, cancellationToken);

    private static TableEntity ToEntity(MeetingTombstone t) => new(t.Id, TombstoneKey)
    {
        ["Track"] = t.Track,
        ["StartUtc"] = t.StartUtc,
        ["EndUtc"] = t.EndUtc,
        ["FinalStatus"] = t.FinalStatus.ToString(),
        ["Participants"] = t.Participants,
        ["EmailsSent"] = t.EmailsSent,
        ["EmailsFailed"] = t.EmailsFailed,
        ["EmailsSkipped"] = t.EmailsSkipped,
        ["Reason"] = t.Reason.ToString(),
        ["RequestedAt"] = t.RequestedAt,
        ["ErasedAt"] = t.ErasedAt,
        ["FollowUpAt"] = t.FollowUpAt,
        ["FollowUpDone"] = t.FollowUpDone,
        ["State"] = t.State,
    };

    private static MeetingTombstone TombstoneOf(TableEntity e) => new(
        e.PartitionKey, e.GetString("Track") ?? "", e.GetDateTimeOffset("StartUtc") ?? default, e.GetDateTimeOffset("EndUtc") ?? default,
        Enum.Parse<MeetingStatus>(e.GetString("FinalStatus") ?? nameof(MeetingStatus.Scheduled)),
        e.GetInt32("Participants") ?? 0, e.GetInt32("EmailsSent") ?? 0, e.GetInt32("EmailsFailed") ?? 0, e.GetInt32("EmailsSkipped") ?? 0,
        Enum.Parse<ErasureReason>(e.GetString("Reason") ?? nameof(ErasureReason.Requested)), e.GetDateTimeOffset("RequestedAt") ?? default,
        e.GetDateTimeOffset("ErasedAt"), e.GetDateTimeOffset("FollowUpAt"), e.GetBoolean("FollowUpDone") ?? false);

    private static Participant ParticipantOf(TableEntity entity) =>
        JsonSerializer.Deserialize<Participant>(entity.GetString("Participant") ?? "", Json)
        ?? throw new InvalidDataException($"Removed participant {entity.RowKey} of meeting {entity.PartitionKey} has no data.");

    public Task<MeetingPage> ListAsync(MeetingQuery query, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        tables.RunAsync(async () =>
        {
            var filters = new List<string> { TableClient.CreateQueryFilter($"RowKey eq {RowKey}") };
            if (query.Track is not null) filters.Add(TableClient.CreateQueryFilter($"Track eq {query.Track}"));
            if (TableFilters.AnyOf("Track", query.Tracks) is { } tracks) filters.Add(tracks);
            if (query.Status is { } status) filters.Add(TableClient.CreateQueryFilter($"Status eq {status.ToString()}"));
            if (query.From is { } from) filters.Add(TableClient.CreateQueryFilter($"StartUtc ge {from.ToUniversalTime()}"));
            if (query.To is { } to) filters.Add(TableClient.CreateQueryFilter($"StartUtc lt {to.ToUniversalTime()}"));
            var token = DecodeToken(continuationToken);
            try
            {
                await foreach (var page in tables.Meetings.QueryAsync<TableEntity>(string.Join(" and ", filters), pageSize, cancellationToken: cancellationToken)
                                   .AsPages(token, pageSize))
                {
                    return new MeetingPage(page.Values.Select(FromEntity).ToList(), EncodeToken(page.ContinuationToken));
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 400 && token is not null)
            {
                throw new ArgumentException("The continuation token is not valid.", nameof(continuationToken), ex);
            }
            return new MeetingPage([], null);
        });

    private static TableEntity ToEntity(Meeting meeting, string? requestFingerprint)
    {
        var json = JsonSerializer.Serialize(meeting, Json);
        var entity = new TableEntity(meeting.Id, RowKey)
        {
            ["Title"] = meeting.Title,
            ["Track"] = meeting.Track,
            ["Status"] = meeting.Status.ToString(),
            ["StartUtc"] = meeting.StartUtc,
            ["Version"] = meeting.Version,
            ["PlanVersion"] = meeting.Plan.PlanVersion,
            ["RequestFingerprint"] = requestFingerprint,
        };
TableDocuments.Write(entity, json);
        return entity;
    }

    private static Meeting FromEntity(TableEntity entity)
    {
return JsonSerializer.Deserialize<Meeting>(TableDocuments.Read(entity), Json)
               ?? throw new InvalidDataException($"Meeting {entity.PartitionKey} has no document.");
    }

    /// <summary>Ids come from URLs: refuse anything that is not a plain key before it reaches a query.</summary>
    internal static bool IsSafeKey(string key) =>
        key.Length is > 0 and <= 64 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    internal static string? EncodeToken(string? token) =>
        token is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(token)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static string? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            var raw = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            // The SDK's token is "{NextPartitionKey} {NextRowKey}", both printable ASCII (Azure's are opaque, like
            // "1!8!U21pdGg-"; the row key may be empty). Anything else was not given out by us: refused, rather than
            // letting the store start from wherever it points.
            var space = raw.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || raw.IndexOf(' ', space + 1) >= 0 || raw.Any(c => c is not (>= '!' and <= '~') and not ' ')) throw new FormatException();
            return raw;
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("The continuation token is not valid.", nameof(token), ex);
        }
    }
}
