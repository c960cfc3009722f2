using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Summit.Functions;
using Summit.TestSupport.SendGrid;
using Summit.TestSupport.ServiceBus;
using Summit.TestSupport.Storage;

namespace Summit.Benchmarks;

/// <summary>The app's own composition (AddSummitFunctions) against the benchmark's Azurite tables, in-process broker
/// and recording SendGrid endpoint; every other setting at the production default unless <paramref name="settings"/>
/// says otherwise. <paramref name="decorate"/> adds to the composition (what the Functions host itself provides, such as
/// MVC's result executors for HTTP functions).</summary>
public static class BenchApp
{
    public static ServiceProvider Build(FakeSendGrid sendGrid, FakeServiceBusBroker broker, IReadOnlyDictionary<string, string> settings,
        TimeProvider? clock = null, Action<IServiceCollection>? decorate = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Storage:TablePrefix"] = Azurite.NewTablePrefix(),
            ["ServiceBus:ConnectionString"] = broker.ConnectionString,
            ["ServiceBus:QueueName"] = "reminders",
            ["StorageQueue:ConnectionString"] = Azurite.ConnectionString,
            ["StorageQueue:QueueName"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["SendGrid:ApiKey"] = "bench",
            ["SendGrid:Host"] = sendGrid.BaseUrl,
            ["Email:FromEmail"] = "reminders@summit-followups.example",
            ["Links:BaseUrl"] = "https://summit.example",
            ["Links:SigningKey"] = "bench-signing-key-0123456789abcdef0123",
        };
        foreach (var (key, value) in settings) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddSummitFunctions(configuration);
        if (clock is not null) services.AddSingleton<TimeProvider>(clock);
        decorate?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
