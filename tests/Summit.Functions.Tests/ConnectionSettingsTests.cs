using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Summit.Reminders.Infrastructure.StorageQueues;
using Summit.Reminders.Infrastructure.Tables;

namespace Summit.Functions.Tests;

/// <summary>In Azure the app connects with its managed identity (the settings infra/ writes); locally with connection strings.</summary>
public sealed class ConnectionSettingsTests
{
    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        settings["Email:FromEmail"] = "reminders@summit-followups.example";
        settings["SendGrid:ApiKey"] = "k";
        settings["Links:BaseUrl"] = "https://summit.example";
        settings["Links:SigningKey"] = "0123456789abcdef0123456789abcdef";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddSummitFunctions(configuration).BuildServiceProvider();
    }

    [Fact]
    public async Task IdentityBasedSettingsGiveClientsForTheServiceAddressesWithoutAnyKey()
    {
        await using var services = Compose(new()
        {
            ["Storage:TableServiceUri"] = "https://summitdata.table.core.windows.net",
            ["Storage:Credential"] = "managedidentity",
            ["Storage:ClientId"] = "00000000-0000-0000-0000-000000000001",
            ["ReminderQueue:Transport"] = "StorageQueue",
            ["StorageQueue:QueueServiceUri"] = "https://summitdata.queue.core.windows.net",
            ["StorageQueue:Credential"] = "managedidentity",
            ["StorageQueue:ClientId"] = "00000000-0000-0000-0000-000000000001",
        });
        Assert.Equal("https://summitdata.table.core.windows.net/summitmeetings", services.GetRequiredService<SummitTables>().Meetings.Uri.AbsoluteUri);
        var queue = services.GetRequiredService<StorageQueueReminderQueue>();
        Assert.Equal("https://summitdata.queue.core.windows.net/reminders", queue.Queue.Uri.AbsoluteUri);
        Assert.Equal("https://summitdata.queue.core.windows.net/reminders-poison", queue.Poison.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task TheServiceBusQueueTakesItsNamespaceAndIdentity()
    {
        await using var services = Compose(new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["ServiceBus:FullyQualifiedNamespace"] = "summit-bus.servicebus.windows.net",
            ["ServiceBus:Credential"] = "managedidentity",
            ["ServiceBus:ClientId"] = "00000000-0000-0000-0000-000000000001",
        });
        Assert.IsType<Summit.Reminders.Infrastructure.ServiceBus.ServiceBusReminderQueue>(services.GetRequiredService<Summit.Reminders.Ports.IReminderQueue>());
    }

    [Theory]
    [InlineData(null, null, "set either Storage:ConnectionString (local runs) or Storage:TableServiceUri with an identity (Azure), not neither")]
    [InlineData("UseDevelopmentStorage=true", "https://a.table.core.windows.net", "not both")]
    [InlineData(null, "http://a.table.core.windows.net", "Storage:TableServiceUri must be an absolute https address")]
    public async Task AStorageSectionWithoutExactlyOneWayToConnectStopsTheStartWithItsName(string? connectionString, string? uri, string message)
    {
        await using var services = Compose(new()
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TableServiceUri"] = uri,
            ["ServiceBus:ConnectionString"] = "Endpoint=sb://localhost;SharedAccessKeyName=a;SharedAccessKey=b;UseDevelopmentEmulator=true",
        });
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains(message, error.Message);
    }
}
