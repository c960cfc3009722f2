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

    /// <summary>Wraps the registered implementation of <typeparamref name="T"/>.</summary>
    protected static void Wrap<T>(IServiceCollection services, Func<T, IServiceProvider, T> wrap) where T : class
    {
        var original = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(original);
        services.AddSingleton<T>(sp =>
        {
            var inner = original.ImplementationInstance as T
                ?? (original.ImplementationFactory is { } factory ? (T)factory(sp) : (T)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!));
            return wrap(inner, sp);
        });
    }

    public virtual async Task InitializeAsync()
    {
        App = await TestApp.StartAsync(Configure, Decorate);
        Api = new Api(App);
    }

    public virtual async Task DisposeAsync() => await App.DisposeAsync();
}
