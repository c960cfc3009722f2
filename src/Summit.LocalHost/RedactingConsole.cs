using Summit.Functions.Http;
using Microsoft.Extensions.Logging.Console;

namespace Summit.LocalHost;

/// <summary>
/// The console log without the secrets a URL can carry. ASP.NET Core logs every request's URL (at Information), and
/// a function key may ride in its <c>code</c> query parameter, as the Functions host allows, and a participant link's
/// signed <c>token</c> in its own: their values (and a SAS's <c>sig</c>) are replaced by <c>[redacted]</c> in every message,
/// exception text included, at every level, by the same <see cref="UrlSecrets"/> the telemetry pipeline uses.
/// </summary>
public static class RedactingConsole
{
    public static void Use(IServiceCollection services)
    {
        var console = services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        services.Remove(console);
        services.AddSingleton<ILoggerProvider>(sp => new Provider(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(sp)));
    }

    public static string Redact(string message) => UrlSecrets.Redact(message, "[redacted]");

    [ProviderAlias("Console")]
    private sealed class Provider(ConsoleLoggerProvider inner) : ILoggerProvider, ISupportExternalScope
    {
        public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));
        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => inner.SetScopeProvider(scopeProvider);
        public void Dispose() => inner.Dispose();
    }

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        // The exception's text goes through the redaction too (the console would write it as it is): it is appended to the
        // message instead of passed on.
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, null, (s, _) => Redact(exception is null ? formatter(s, null) : formatter(s, exception) + Environment.NewLine + exception));
    }
}
