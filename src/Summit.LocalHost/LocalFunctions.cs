using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace Summit.LocalHost;

public sealed record LocalHttpFunction(FunctionDefinition Function, HttpFunctionTrigger Trigger, string Pattern, bool Disabled);

public sealed record LocalTimer(FunctionDefinition Function, TimerFunctionTrigger Trigger, TimerSchedule Schedule, bool Disabled);

/// <summary>One row of the route and schedule table, in the terms of functions.metadata.</summary>
public sealed record FunctionRow(string Name, string EntryPoint, string Trigger, string? Route, IReadOnlyList<string>? Methods, string? AuthLevel,
    string? Schedule, string? ResolvedSchedule, bool Disabled);

/// <summary>The app's functions as this host serves them: HTTP routes under the host.json prefix, timers with their
/// schedules resolved from configuration, and the <c>AzureWebJobs.{name}.Disabled</c> switches honoured.</summary>
public sealed class LocalFunctions
{
    private LocalFunctions(string routePrefix, IReadOnlyList<LocalHttpFunction> http, IReadOnlyList<LocalTimer> timers)
    {
        RoutePrefix = routePrefix;
        Http = http;
        Timers = timers;
    }

    public string RoutePrefix { get; }
    public IReadOnlyList<LocalHttpFunction> Http { get; }
    public IReadOnlyList<LocalTimer> Timers { get; }

    public static LocalFunctions Create(Assembly assembly, IConfiguration configuration, string hostJsonPath) =>
        Create(FunctionCatalog.Discover(assembly), configuration, hostJsonPath);

    public static LocalFunctions Create(IReadOnlyList<FunctionDefinition> functions, IConfiguration configuration, string hostJsonPath)
    {
        var prefix = FunctionCatalog.RoutePrefix(hostJsonPath);
        var http = new List<LocalHttpFunction>();
        var timers = new List<LocalTimer>();
        foreach (var function in functions)
        {
            var disabled = bool.TryParse(configuration[$"AzureWebJobs.{function.Name}.Disabled"], out var off) && off;
            switch (function.Trigger)
            {
                case HttpFunctionTrigger trigger:
                    RefuseReservedRoute(function.Name, trigger.Route);
                    http.Add(new LocalHttpFunction(function, trigger, prefix.Length == 0 ? trigger.Route : $"{prefix}/{trigger.Route}", disabled));
                    break;
                case TimerFunctionTrigger trigger:
                    timers.Add(new LocalTimer(function, trigger, TimerSchedule.Resolve(function.Name, trigger.Schedule, configuration), disabled));
                    break;
            }
        }
        return new LocalFunctions(prefix, http, timers);
    }

    /// <summary>The Functions host keeps routes that start with "admin" or "runtime" (before the prefix) for its own API
    /// and puts a function with such a route in error ("The specified route conflicts with one or more built in
    /// routes"); the local host refuses it too rather than serve what Azure would not.</summary>
    private static void RefuseReservedRoute(string function, string route)
    {
        var trimmed = route.Trim('/');
        foreach (var reserved in ReservedRouteStarts)
            if (trimmed.StartsWith(reserved, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"Function '{function}': its route '{route}' starts with '{reserved}', which the Functions host " +
                    "reserves for its own API; in Azure the function would not start. Choose another route (the prefix in host.json does not count).");
    }

    /// <summary>Route beginnings the Functions host reserves, whatever host.json's route prefix.</summary>
    public static readonly IReadOnlyList<string> ReservedRouteStarts = ["admin", "runtime"];

    public LocalTimer? FindTimer(string name) => Timers.FirstOrDefault(t => string.Equals(t.Function.Name, name, StringComparison.OrdinalIgnoreCase));

    public bool IsHttp(string name) => Http.Any(h => string.Equals(h.Function.Name, name, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<FunctionRow> Table() =>
        Http.Select(h => new FunctionRow(h.Function.Name, h.Function.EntryPoint, "httpTrigger", h.Trigger.Route, h.Trigger.Methods,
                AuthLevelName(h.Trigger.AuthLevel), null, null, h.Disabled))
            .Concat(Timers.Select(t => new FunctionRow(t.Function.Name, t.Function.EntryPoint, "timerTrigger", null, null, null,
                t.Trigger.Schedule, t.Schedule.Expression, t.Disabled)))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();

    public static string AuthLevelName(AuthorizationLevel level) => level.ToString();
}
