using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Summit.Reminders.Infrastructure;
using Summit.Reminders.Infrastructure.Mail;
using Transports = Summit.Reminders.Infrastructure.ServiceCollectionExtensions;

namespace Summit.Functions.Tests;

/// <summary>Which transports the settings choose: the local ones only where asked for or where nothing else can work
/// on a developer's machine, and never silently in Azure.</summary>
public sealed class TransportChoiceTests
{
    private static IConfiguration Settings(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Theory]
    [InlineData(null, null, "Development", EmailTransport.PickupFolder)]  // ./run.sh, no SendGrid key: the pickup folder
    [InlineData(null, "SG.key", "Development", EmailTransport.SendGrid)]  // a key configured locally: real email
    [InlineData(null, null, "Production", EmailTransport.SendGrid)]       // Azure without a key: SendGrid, which then refuses to start
    [InlineData(null, null, null, EmailTransport.SendGrid)]
    [InlineData("PickupFolder", "SG.key", "Development", EmailTransport.PickupFolder)] // the explicit setting wins
    [InlineData("sendgrid", null, "Development", EmailTransport.SendGrid)]
    public void TheEmailTransportIsTheSettingElseSendGridWithAKeyElseThePickupFolderOnlyInDevelopment(
        string? transport, string? apiKey, string? environment, EmailTransport expected) =>
        Assert.Equal(expected, Transports.ChooseEmail(
            Settings(("Email:Transport", transport), ("SendGrid:ApiKey", apiKey), ("AZURE_FUNCTIONS_ENVIRONMENT", environment))));

    [Fact]
    public void AnUnknownEmailTransportIsRefusedWithTheChoices()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Transports.ChooseEmail(Settings(("Email:Transport", "Smtp"))));
        Assert.Contains("use SendGrid or PickupFolder", error.Message);
    }

    [Theory]
    [InlineData(null, ReminderQueueTransport.ServiceBus)] // production's default
    [InlineData("", ReminderQueueTransport.ServiceBus)]
    [InlineData("StorageQueue", ReminderQueueTransport.StorageQueue)]
    [InlineData("servicebus", ReminderQueueTransport.ServiceBus)]
    public void TheQueueTransportIsServiceBusUnlessTheSettingSaysStorageQueue(string? setting, ReminderQueueTransport expected) =>
        Assert.Equal(expected, Transports.ChooseQueue(Settings(("ReminderQueue:Transport", setting))));

    [Fact]
    public void AnUnknownQueueTransportIsRefusedWithTheChoices()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Transports.ChooseQueue(Settings(("ReminderQueue:Transport", "Kafka"))));
        Assert.Contains("use ServiceBus or StorageQueue", error.Message);
    }

    [Fact]
    public void InAzureWithoutASendGridKeyTheAppRefusesToStartInsteadOfKeepingMailOnDisk()
    {
        var configuration = Settings(("AZURE_FUNCTIONS_ENVIRONMENT", "Production"));
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddSummitFunctions(configuration);
        using var provider = services.BuildServiceProvider();

        // What the host runs before the first function: every option validated at start.
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("SendGrid", error.Message);
        Assert.Contains("ApiKey", error.Message);
    }

    [Theory]
    [InlineData("Delivery:MaxConcurrency", "0", "Delivery:MaxConcurrency must be at least 1")]
    [InlineData("Delivery:ReceiveBatchSize", "0", "Delivery:ReceiveBatchSize must be at least 1")]
    [InlineData("Delivery:MaxRunDuration", "00:00:00", "Delivery:MaxRunDuration must be longer than zero")]
    [InlineData("Delivery:RetryMaxDelay", "00:00:01", "Delivery:RetryMaxDelay must be at least Delivery:RetryBaseDelay")]
    [InlineData("Scheduler:ClaimLease", "00:00:00", "Scheduler:ClaimLease must be longer than zero")]
    [InlineData("Scheduler:LookAhead", "-00:01:00", "Scheduler:LookAhead must not be negative")]
    public void AWrongPipelineSettingStopsTheAppAtStartNamingIt(string key, string value, string message)
    {
        // MaxConcurrency=0 used to start and then fail the first delivery run.
        var configuration = Settings(("AZURE_FUNCTIONS_ENVIRONMENT", "Development"), ("Links:BaseUrl", "http://localhost:7071"),
            ("Links:SigningKey", "a-local-link-signing-key-0123456789abcdef"), ("Storage:ConnectionString", "UseDevelopmentStorage=true"),
            ("ReminderQueue:Transport", "StorageQueue"), ("StorageQueue:ConnectionString", "UseDevelopmentStorage=true"), (key, value));
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddSummitFunctions(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(message, error.Message);
    }
}
