using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Summit.LocalHost;

/// <summary>What triggers a function.</summary>
public abstract record FunctionTrigger;

/// <summary>An HTTP trigger as its attribute declares it: the route without the host's prefix, lowercase methods (null:
/// every method, as on the real host).</summary>
public sealed record HttpFunctionTrigger(string Route, IReadOnlyList<string>? Methods, AuthorizationLevel AuthLevel) : FunctionTrigger;

/// <summary>A timer trigger as its attribute declares it: the schedule expression, possibly <c>%Setting%</c>.</summary>
public sealed record TimerFunctionTrigger(string Schedule, bool RunOnStartup) : FunctionTrigger;

/// <summary>One function of the app: its name, the method that implements it and its trigger.</summary>
public sealed record FunctionDefinition(string Name, MethodInfo Method, FunctionTrigger Trigger)
{
    public Type Class => Method.DeclaringType!;

    /// <summary>"Namespace.Class.Method", as <c>entryPoint</c> in functions.metadata.</summary>
    public string EntryPoint => $"{Class.FullName}.{Method.Name}";
}

/// <summary>
/// The functions of an assembly, read from their own <see cref="FunctionAttribute"/>, <see cref="HttpTriggerAttribute"/>
/// and <see cref="TimerTriggerAttribute"/>: the same attributes the Functions SDK reads to write functions.metadata, so
/// nothing is listed twice. A function this host cannot run faithfully (another trigger, a parameter it cannot bind,
/// a return type it cannot write) stops the start with its name, rather than behaving differently from Azure.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDefinition> Discover(Assembly assembly) => Discover(assembly.GetTypes());

    public static IReadOnlyList<FunctionDefinition> Discover(IEnumerable<Type> types)
    {
        var functions = new List<FunctionDefinition>();
        foreach (var type in types.Where(t => t.IsClass && !t.IsAbstract))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function) continue;
                functions.Add(new FunctionDefinition(function.Name, method, TriggerOf(function.Name, method)));
            }
        }
        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two functions are named '{duplicate.Key}'.");
        return functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    private static FunctionTrigger TriggerOf(string name, MethodInfo method)
    {
        FunctionTrigger? trigger = null;
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } http)
            {
                if (parameter.ParameterType != typeof(HttpRequest))
                    throw Unsupported(name, $"its HTTP trigger binds {parameter.ParameterType.Name}; this host binds HttpRequest");
                trigger = new HttpFunctionTrigger(http.Route ?? name, http.Methods is { Length: > 0 } methods ? methods.Select(m => m.ToLowerInvariant()).ToList() : null,
                    http.AuthLevel);
            }
            else if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timer)
            {
                if (parameter.ParameterType != typeof(TimerInfo))
                    throw Unsupported(name, $"its timer trigger binds {parameter.ParameterType.Name}; this host binds TimerInfo");
                trigger = new TimerFunctionTrigger(timer.Schedule, timer.RunOnStartup);
            }
            else if (parameter.GetCustomAttributes().Any(a => a.GetType().Namespace?.StartsWith("Microsoft.Azure.Functions.Worker", StringComparison.Ordinal) == true
                         && a.GetType().Name.EndsWith("Attribute", StringComparison.Ordinal)))
            {
                throw Unsupported(name, $"parameter '{parameter.Name}' has a binding this host does not know");
            }
        }
        if (trigger is null) throw Unsupported(name, "it has neither an HTTP nor a timer trigger");
        foreach (var parameter in method.GetParameters())
        {
            var type = parameter.ParameterType;
            var bindable = type == typeof(HttpRequest) || type == typeof(TimerInfo) || type == typeof(CancellationToken)
                || (trigger is HttpFunctionTrigger && (type == typeof(string) || type == typeof(HttpContext)));
            if (!bindable) throw Unsupported(name, $"this host cannot bind parameter '{parameter.Name}' of type {type.Name}");
        }
        var returns = method.ReturnType;
        var writable = trigger is HttpFunctionTrigger
            ? returns == typeof(IActionResult) || returns == typeof(Task<IActionResult>) || returns == typeof(ValueTask<IActionResult>)
            : returns == typeof(void) || returns == typeof(Task) || returns == typeof(ValueTask);
        if (!writable) throw Unsupported(name, $"this host cannot handle its return type {returns.Name}");
        return trigger;
    }

    private static InvalidOperationException Unsupported(string name, string why) =>
        new($"Function '{name}' cannot run on the local host: {why}. Extend Summit.LocalHost or run it with Core Tools.");

    /// <summary>The route prefix from host.json (<c>extensions.http.routePrefix</c>, "api" when absent), as the real host
    /// reads it. A missing host.json stops the start: the build output is not a function app root then.</summary>
    public static string RoutePrefix(string hostJsonPath)
    {
        if (!File.Exists(hostJsonPath))
            throw new FileNotFoundException($"host.json is missing from {Path.GetDirectoryName(hostJsonPath)}: the function app's build output must contain it.", hostJsonPath);
        using var document = JsonDocument.Parse(File.ReadAllText(hostJsonPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.TryGetProperty("extensions", out var extensions)
               && extensions.TryGetProperty("http", out var http)
               && http.TryGetProperty("routePrefix", out var prefix) && prefix.ValueKind == JsonValueKind.String
            ? prefix.GetString()!.Trim('/')
            : "api";
    }
}
