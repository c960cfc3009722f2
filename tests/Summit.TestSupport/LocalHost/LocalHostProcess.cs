using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Summit.TestSupport.Storage;

namespace Summit.TestSupport.LocalHost;

/// <summary>
/// The local host as ops run it: a separate process on a free port, configured by a local.settings.json made from the
/// sample (own tables, queue and outbox), against Azurite. Everything it writes to the console is kept.
/// </summary>
public sealed class LocalHostProcess(string repository, string localHostDll)
{
    public const string FunctionKey = "test-function-key-0123456789";
    public const string MasterKey = "test-master-key-0123456789";
    public const string LinkSigningKey = "test-link-signing-key-0123456789abcdef";
    private readonly string _work = Path.Combine(Path.GetTempPath(), "summit-localhost-" + Guid.NewGuid().ToString("N"));
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string TablePrefix { get; } = Azurite.NewTablePrefix();
    public string QueueName { get; } = "t" + Guid.NewGuid().ToString("N")[..16];
    public string Outbox => Path.Combine(_work, "outbox");

    /// <summary>The .eml files in the outbox of one category ("reminder", "invitation", ...), read from their
    /// X-Summit-Categories header.</summary>
    public IReadOnlyList<string> EmailFiles(string category) =>
        !Directory.Exists(Outbox) ? [] : Directory.GetFiles(Outbox, "*.eml")
            .Where(f => File.ReadLines(f).TakeWhile(l => l.Length > 0)
                .Any(l => l.StartsWith("X-Summit-Categories:", StringComparison.OrdinalIgnoreCase)
                    && l["X-Summit-Categories:".Length..].Split(',').Select(c => c.Trim()).Contains(category)))
            .ToList();
    public HttpClient Http { get; private set; } = null!;
    public int Port { get; private set; }

    /// <summary>Settings on top of the sample's (keys with "__", as in local.settings.json).</summary>
    public Dictionary<string, string> Settings { get; } = new()
    {
        // Timers disabled as on the real host: tests run them through the admin endpoint.
        ["AzureWebJobs.ScheduleDueReminders.Disabled"] = "true",
        ["AzureWebJobs.DeliverReminders.Disabled"] = "true",
        ["Delivery__ReceiveWait"] = "00:00:01",
        // Every log line at every level reaches the console, where tests can read it.
        ["Logging__LogLevel__Default"] = "Trace",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Trace",
        ["Logging__LogLevel__Azure.Core"] = "Trace",
    };

    public bool HasExited => _process is { HasExited: true };

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public async Task StartAsync()
    {
        await Azurite.EnsureRunningAsync();
        Directory.CreateDirectory(_work);
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(repository, "local.settings.sample.json")))!;
        var values = settings["Values"]!.AsObject();
        values["Storage__ConnectionString"] = Azurite.ConnectionString;
        values["Storage__TablePrefix"] = TablePrefix;
        values["StorageQueue__ConnectionString"] = Azurite.ConnectionString;
        values["StorageQueue__QueueName"] = QueueName;
        values["Email__PickupFolder"] = Outbox;
        values["LocalHost__FunctionKey"] = FunctionKey;
        values["LocalHost__MasterKey"] = MasterKey;
        values["Links__SigningKey"] = LinkSigningKey;
        foreach (var (key, value) in Settings) values[key] = value;
        var settingsFile = Path.Combine(_work, "local.settings.json");
        await File.WriteAllTextAsync(settingsFile, settings.ToJsonString());

        var port = Port = Ports.Free();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { localHostDll, "--settings", settingsFile, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        await WaitUntilHealthyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        Http.Dispose();
        try
        {
            await Azurite.DeleteTablesAsync(TablePrefix);
            await new QueueClient(Azurite.ConnectionString, QueueName).DeleteIfExistsAsync();
            await new QueueClient(Azurite.ConnectionString, QueueName + "-poison").DeleteIfExistsAsync();
        }
        catch (Exception) { /* best-effort clean-up */ }
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }


    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException("The local host exited during start:\n" + Output);
            try
            {
                if ((await Http.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(250);
        }
        throw new InvalidOperationException("The local host did not become healthy within 60 s:\n" + Output);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null, IDictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add("x-functions-key", key);
        if (body is not null) request.Content = JsonContent.Create(body);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        return Http.SendAsync(request);
    }

    /// <summary>An access token from the local identity provider for a person with these roles (POST /admin/dev-tokens).</summary>
    public async Task<string> DevTokenAsync(string name, string email, params string[] roles)
    {
        var response = await SendAsync(HttpMethod.Post, "/admin/dev-tokens", MasterKey, new { name, email, roles });
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"POST /admin/dev-tokens answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["accessToken"]!.GetValue<string>();
    }

    /// <summary>Runs a timer function now, with the body the real host's admin endpoint wants (<c>{"input":""}</c>).</summary>
    public Task<HttpResponseMessage> RunTimerAsync(string name) => SendAsync(HttpMethod.Post, $"/admin/functions/{name}", MasterKey, new { input = "" });

    /// <summary>Every entity of this host's tables (with its ETag) and every message of its queues: equal snapshots
    /// mean nothing was stored, changed or queued.</summary>
    public async Task<IReadOnlyList<string>> StorageSnapshotAsync()
    {
        var rows = new List<string>();
        var service = new TableServiceClient(Azurite.ConnectionString);
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(TablePrefix) >= 0 && t.Name.CompareTo(TablePrefix + "{") < 0))
            await foreach (var e in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
                rows.Add($"{table.Name}|{e.PartitionKey}|{e.RowKey}|{e.ETag}");
        foreach (var queue in new[] { QueueName, QueueName + "-poison" })
        {
            var client = new QueueClient(Azurite.ConnectionString, queue);
            if (await client.ExistsAsync())
                rows.Add($"{queue}|{(await client.GetPropertiesAsync()).Value.ApproximateMessagesCount}");
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
