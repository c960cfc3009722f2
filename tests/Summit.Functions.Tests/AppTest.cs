using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>Override to change the composition (fault injection).</summary>
    protected virtual void Decorate(IServiceCollection services)
    {
    }

    public virtual async Task InitializeAsync()
    {
        App = await TestApp.StartAsync(Configure, Decorate);
        Api = new Api(App);
    }

    public virtual async Task DisposeAsync() => await App.DisposeAsync();
}
