namespace Summit.Reminders;

/// <summary>A conditional write lost to a change made since the read.</summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);

/// <summary>A store or queue could not be reached; callers answer 503 or leave the work for the next run.</summary>
public sealed class DependencyUnavailableException(string dependency, Exception inner)
    : Exception($"{dependency} is unavailable: {inner.Message}", inner)
{
    public string Dependency { get; } = dependency;
}

/// <summary>A dependency answers but cannot be used; <see cref="Exception.Message"/> is safe to show (no secret, no personal data).</summary>
public sealed class DependencyUnhealthyException(string message) : Exception(message);
