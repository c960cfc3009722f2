using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>The six tables, created once per process on first use.</summary>
public sealed class SummitTables : IDependencyProbe
{
    private readonly TableServiceClient _service;
    private readonly Lock _gate = new();
    private Task? _creating;

    public SummitTables(IOptions<StorageOptions> options)
    {
        var o = options.Value;
        var clientOptions = new TableClientOptions
        {
            Retry = { MaxRetries = 3, Delay = TimeSpan.FromMilliseconds(200), NetworkTimeout = o.NetworkTimeout },
        };
        _service = string.IsNullOrWhiteSpace(o.ConnectionString)
            ? new TableServiceClient(new Uri(o.TableServiceUri!), AzureConnection.Credential(o.Credential, o.ClientId), clientOptions)
            : new TableServiceClient(o.ConnectionString, clientOptions);
        Meetings = _service.GetTableClient(o.TablePrefix + "meetings");
        DueIndex = _service.GetTableClient(o.TablePrefix + "dueindex");
        Ledger = _service.GetTableClient(o.TablePrefix + "ledger");
        Erasures = _service.GetTableClient(o.TablePrefix + "erasures");
        Commitments = _service.GetTableClient(o.TablePrefix + "commitments");
        Audit = _service.GetTableClient(o.TablePrefix + "audit");
        Digests = _service.GetTableClient(o.TablePrefix + "digests");
    }

    public TableClient Meetings { get; }
    public TableClient DueIndex { get; }
    public TableClient Ledger { get; }
    public TableClient Erasures { get; }
    public TableClient Commitments { get; }
    public TableClient Audit { get; }
    public TableClient Digests { get; }

    /// <summary>Creates the tables once per process; a failed attempt is retried by the next caller.</summary>
    public Task EnsureCreatedAsync()
    {
        lock (_gate)
        {
            if (_creating is null || _creating.IsFaulted || _creating.IsCanceled)
                _creating = Task.WhenAll(Meetings.CreateIfNotExistsAsync(), DueIndex.CreateIfNotExistsAsync(), Ledger.CreateIfNotExistsAsync(), Erasures.CreateIfNotExistsAsync(), Commitments.CreateIfNotExistsAsync(), Audit.CreateIfNotExistsAsync(), Digests.CreateIfNotExistsAsync());
            return _creating;
        }
    }

    public string Name => "Table Storage";

    public Task ProbeAsync(CancellationToken cancellationToken) =>
        RunAsync(() => Meetings.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "probe", cancellationToken: cancellationToken));

    /// <summary>Runs a storage call, turning "cannot reach storage" into <see cref="DependencyUnavailableException"/>.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            await EnsureCreatedAsync();
            return await call();
        }
        catch (Exception ex) when (StorageFailures.IsOutage(ex))
        {
            throw new DependencyUnavailableException("Table Storage", ex is AggregateException { InnerException: { } inner } ? inner : ex);
        }
    }

    public Task RunAsync(Func<Task> call) => RunAsync<bool>(async () => { await call(); return true; });
}
