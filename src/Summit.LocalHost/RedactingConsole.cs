using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Console;

namespace Summit.LocalHost;

/// <summary>
/// The console log without the secrets a URL can carry. ASP.NET Core logs every request's URL (at Information), and
/// a function key may ride in its <c>code</c> query parameter, as the Functions host allows, and a participant link's
/// signed <c>token</c> in its own: both are replaced by <c>[redacted]</c> in every message, exception text included, at every level.
/// A logged URL is still percent-encoded, so a name is compared as the server reads it (decoded, ignoring case): <c>c%6Fde</c>
/// and <c>%74OKEN</c> are redacted too.
/// </summary>
public static partial class RedactingConsole
{
    public static void Use(IServiceCollection services)
    {
        var console = services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        services.Remove(console);
        services.AddSingleton<ILoggerProvider>(sp => new Provider(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(sp)));
    }

    public static string Redact(string message) => message.AsSpan().IndexOfAny('=', '%') >= 0 ? QueryParameter().Replace(message, RedactIfSecret) : message;

    /// <summary>One <c>name=value</c> pair of a query string, as a URL in a log line shows it.</summary>
    [GeneratedRegex(@"(?<=[?&])[^&\s""'<>]+")]
    private static partial Regex QueryParameter();

    private static string RedactIfSecret(Match parameter)
    {
        var pair = parameter.Value;
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        // The name as ASP.NET Core's query parser decodes it: '+' is a space, then percent-decoding.
        var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
        // An encoded '=' (%3D) makes "code%3DKEY" a name to the server, but the key is there for anyone who decodes the URL.
        var encodedEquals = name.IndexOf('=', StringComparison.Ordinal);
        if (encodedEquals >= 0) name = name[..encodedEquals];
        if (!name.Equals("code", StringComparison.OrdinalIgnoreCase) && !name.Equals("token", StringComparison.OrdinalIgnoreCase)) return pair;
        var valueStart = encodedEquals >= 0 ? pair.IndexOf("%3D", StringComparison.OrdinalIgnoreCase) + 3 : equals + 1;
        return valueStart <= 0 || valueStart == pair.Length ? pair : pair[..valueStart] + "[redacted]";
    }

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
