using Azure.Data.Tables;

namespace Summit.TestSupport.Storage;

/// <summary>
/// The Azurite instance the tests use (started by ./test.sh and .ci/run). Never a mock: every storage test talks to
/// Azurite over HTTP. Each caller gets its own table prefix so tests do not see each other's data.
/// </summary>
public static class Azurite
{
    /// <summary>SUMMIT_TEST_STORAGE overrides the default Azurite development connection string.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("SUMMIT_TEST_STORAGE") is { Length: > 0 } custom ? custom : "UseDevelopmentStorage=true";

    public static string NewTablePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Fails fast, with the fix in the message, when Azurite is not running.</summary>
    public static async Task EnsureRunningAsync()
    {
        var client = new TableServiceClient(ConnectionString, new TableClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } });
        try
        {
            await foreach (var _ in client.QueryAsync(maxPerPage: 1)) break;
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                "Azurite is not reachable at " + ConnectionString + ". Run the tests with ./test.sh (it starts Azurite), " +
                "or start it yourself: npx azurite@3.37.0 --inMemoryPersistence --skipApiVersionCheck --silent", ex);
        }
    }

    /// <summary>Deletes every table with this prefix (test clean-up).</summary>
    public static async Task DeleteTablesAsync(string prefix)
    {
        var client = new TableServiceClient(ConnectionString);
        await foreach (var table in client.QueryAsync(t => t.Name.CompareTo(prefix) >= 0 && t.Name.CompareTo(prefix + "{") < 0))
            await client.DeleteTableAsync(table.Name);
    }
}
