namespace Summit.Functions.Tests;

/// <summary>A test class with its own <see cref="TestApp"/> (own tables, broker, SendGrid endpoint, clock).</summary>
public abstract class AppTest : IAsyncLifetime
{
    protected TestApp App { get; private set; } = null!;
    protected Api Api { get; private set; } = null!;

    /// <summary>Override to change settings of the app under test.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync(Configure);
        Api = new Api(App);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}
