namespace Summit.Reminders.Ports;

/// <summary>A cheap round trip to a dependency, for the health endpoint. Throws when it cannot be reached.</summary>
public interface IDependencyProbe
{
    string Name { get; }

    Task ProbeAsync(CancellationToken cancellationToken);
}
