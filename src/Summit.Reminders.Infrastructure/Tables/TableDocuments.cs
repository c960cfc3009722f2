using System.Runtime.CompilerServices;
using System.Text;
using Azure.Data.Tables;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>
/// What the meeting and commitment stores share: a whole aggregate as one JSON document split over string properties of
/// at most 30,000 characters (so every change is one atomic, ETag-conditional write), and a scan page by page through
/// <see cref="SummitTables.RunAsync{T}"/> (an outage midway is "storage unavailable", not a half-read answer).
/// </summary>
internal static class TableDocuments
{
    private const int ChunkLength = 30_000;

    public static void Write(TableEntity entity, string json)
    {
        var chunks = 0;
        for (var i = 0; i < json.Length; i += ChunkLength, chunks++)
            entity[$"Doc{chunks}"] = json.Substring(i, Math.Min(ChunkLength, json.Length - i));
        entity["DocChunks"] = chunks;
    }

    public static string Read(TableEntity entity)
    {
        var json = new StringBuilder();
        for (var i = 0; i < (entity.GetInt32("DocChunks") ?? 0); i++) json.Append(entity.GetString($"Doc{i}"));
        return json.ToString();
    }

    public static async IAsyncEnumerable<TableEntity> QueryAllAsync(SummitTables tables, TableClient table, string filter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var continuation = token;
            var page = await tables.RunAsync(async () =>
            {
                await foreach (var p in table.QueryAsync<TableEntity>(filter, 200, cancellationToken: cancellationToken).AsPages(continuation, 200))
                    return p;
                return null;
            });
            if (page is null) yield break;
            foreach (var entity in page.Values) yield return entity;
            token = page.ContinuationToken;
        }
        while (token is not null);
    }
}
