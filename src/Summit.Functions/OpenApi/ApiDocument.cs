using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Summit.Functions.Http;

namespace Summit.Functions.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document of the HTTP API, made once per process from the code itself: the routes, methods and auth
/// levels from each function's own <see cref="HttpTriggerAttribute"/> (what the SDK writes into functions.metadata), the
/// words, parameters and status codes from <see cref="ApiOperations"/>, and every JSON schema from the serializer's
/// contract of the very records a function reads or writes (<see cref="ContractSchemas"/>). A function without an entry in
/// <see cref="ApiOperations"/>, or an entry without a function, stops the document with the name.
/// </summary>
public sealed partial class ApiDocument(IOptions<Microsoft.AspNetCore.Mvc.JsonOptions> mvcJson)
{
    public const string OpenApiVersion = "3.1.1";

    private readonly Lazy<string> _json = new(() => Build(mvcJson.Value.JsonSerializerOptions).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>The document as served at <c>GET /api/openapi.json</c>.</summary>
    public string Json => _json.Value;

    /// <summary>An HTTP function as its attributes declare it.
    /// <see cref="Need"/> is what the worker asks of the caller (<see cref="NeedsAttribute"/>): every trigger is anonymous
    /// to the Functions host, which cannot check an Entra ID token.</summary>
    public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel, Identity.Need Need);

    /// <summary>Every HTTP function of the app, read from the same attributes the Functions SDK reads.</summary>
    public static IReadOnlyList<HttpFunction> HttpFunctions() =>
        typeof(ApiDocument).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(),
                Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null),
                Needs: m.GetCustomAttribute<Identity.NeedsAttribute>()))
            .Where(f => f.Function is not null && f.Trigger is not null)
            .Select(f => new HttpFunction(f.Function!.Name, f.Trigger!.Route ?? f.Function.Name,
                (f.Trigger.Methods ?? []).Select(m => m.ToLowerInvariant()).ToList(), f.Trigger.AuthLevel,
                f.Needs?.Need ?? throw new InvalidOperationException($"HTTP function '{f.Function.Name}' has no [Needs]: say what it asks of its caller.")))
            .OrderBy(f => f.Route, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>The document for responses written with <paramref name="responseJson"/> (the app's MVC JSON options).</summary>
    public static JsonObject Build(JsonSerializerOptions responseJson)
    {
        var schemas = new ContractSchemas(responseJson, JsonBody.Options);
        var functions = HttpFunctions().Where(f => !ApiOperations.NotInDocument.ContainsKey(f.Name)).ToList();
        var unknown = ApiOperations.All.Keys.Except(functions.Select(f => f.Name)).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException($"ApiOperations describes {string.Join(", ", unknown)}, which is not an HTTP function of the app.");

        var paths = new JsonObject();
        foreach (var function in functions)
        {
            if (!ApiOperations.All.TryGetValue(function.Name, out var operation))
                throw new InvalidOperationException($"HTTP function '{function.Name}' has no entry in ApiOperations: describe it there so GET /api/openapi.json lists it.");
            if (function.Methods.Count == 0)
                throw new InvalidOperationException($"HTTP function '{function.Name}' accepts every method; name them in its HttpTrigger.");
            var path = "/" + function.Route.TrimStart('/');
            var item = paths[path] as JsonObject ?? (JsonObject)(paths[path] = new JsonObject());
            foreach (var method in function.Methods)
                item[method] = Operation(function, operation, schemas);
        }

        var components = new JsonObject
        {
            ["securitySchemes"] = SecuritySchemes(),
            ["schemas"] = schemas.Components,
        };
        return new JsonObject
        {
            ["openapi"] = OpenApiVersion,
            ["info"] = new JsonObject
            {
                ["title"] = "Summit follow-ups: meetings, commitments and their reminders",
                ["version"] = "1",
                ["description"] = "The HTTP API of Summit.Functions. docs/api.md explains each route, its rules and limits; errors are RFC 9457 "
                    + "problem details (application/problem+json) naming the offending fields in errors[]. Field names are camelCase and "
                    + "every response field is written, null included.",
            },
            ["tags"] = new JsonArray(ApiOperations.Tags.Select(t => (JsonNode)new JsonObject { ["name"] = t.Name, ["description"] = t.Description }).ToArray()),
            ["paths"] = paths,
            ["components"] = components,
        };
    }

    private static JsonObject Operation(HttpFunction function, ApiOperation operation, ContractSchemas schemas)
    {
        var result = new JsonObject
        {
            ["operationId"] = function.Name,
            ["tags"] = new JsonArray(operation.Tag),
            ["summary"] = operation.Summary,
        };
        if (operation.Description is not null) result["description"] = operation.Description;

        var parameters = new JsonArray();
        foreach (Match name in RouteParameter().Matches(function.Route))
        {
            var parameter = name.Groups[1].Value;
            parameters.Add(new JsonObject
            {
                ["name"] = parameter,
                ["in"] = "path",
                ["required"] = true,
                ["description"] = operation.Path.TryGetValue(parameter, out var about) ? about.Description : "",
                ["schema"] = about?.Schema?.DeepClone() ?? new JsonObject { ["type"] = "string" },
            });
        }
        foreach (var (place, list) in new[] { ("query", operation.Query), ("header", operation.Headers) })
            foreach (var p in list)
                parameters.Add(new JsonObject
                {
                    ["name"] = p.Name,
                    ["in"] = place,
                    ["required"] = p.Required,
                    ["description"] = p.Description,
                    ["schema"] = p.Schema?.DeepClone() ?? new JsonObject { ["type"] = "string" },
                });
        if (parameters.Count > 0) result["parameters"] = parameters;

        if (operation.Body is { } body)
        {
            var content = new JsonObject();
            foreach (var contentType in body.ContentTypes)
                content[contentType] = Media(body.Type is null ? body.Schema! : schemas.Request(body.Type), body.Example);
            result["requestBody"] = new JsonObject { ["required"] = body.Required, ["content"] = content };
        }

        var responses = new JsonObject();
        var replies = operation.Replies.ToList();
        if (function.Need != Identity.Need.Anonymous)
            replies.Add(Reply.Problem(401, "unauthorized: no bearer token or automation key, or one that does not hold (expired, another audience or issuer, an unknown key).") with { Headers = ["WWW-Authenticate"] });
        if (function.Need is Identity.Need.Read or Identity.Need.Change or Identity.Need.Operate)
            replies.Add(Reply.Problem(403, function.Need switch
            {
                Identity.Need.Operate => "forbidden: the caller's roles do not include operator.",
                Identity.Need.Change => "forbidden: the caller coordinates no track, or not this one (errors[].field names the track).",
                _ => "forbidden: the caller's roles let them see no track, or not this one (errors[].field names the track).",
            }));
        foreach (var group in replies.GroupBy(r => r.Status).OrderBy(g => g.Key))
        {
            var response = new JsonObject { ["description"] = string.Join(" Or: ", group.Select(r => r.Description).Distinct()) };
            var content = new JsonObject();
            foreach (var reply in group.Where(r => r.ContentType is not null))
            {
                var schema = reply.Type is not null ? schemas.Response(reply.Type) : reply.Schema ?? ContractSchemas.RefTo(ContractSchemas.ProblemName);
                content[reply.ContentType!] = Media(schema, reply.Example);
            }
            if (content.Count > 0) response["content"] = content;
            var headers = group.SelectMany(r => r.Headers).Distinct().ToList();
            if (headers.Count > 0)
                response["headers"] = new JsonObject(headers.Select(h => KeyValuePair.Create(h, (JsonNode?)new JsonObject
                {
                    ["description"] = ApiOperations.ResponseHeaders[h],
                    ["schema"] = new JsonObject { ["type"] = "string" },
                })));
            responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }
        result["responses"] = responses;
        result["security"] = function.Need == Identity.Need.Anonymous
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["entraId"] = new JsonArray() }, new JsonObject { ["automationKey"] = new JsonArray() },
                new JsonObject { ["automationKeyQuery"] = new JsonArray() });
        return result;
    }

    private static JsonObject Media(JsonNode schema, string? example)
    {
        var media = new JsonObject { ["schema"] = schema.DeepClone() };
        if (example is not null) media["example"] = JsonNode.Parse(example);
        return media;
    }

    private static JsonObject SecuritySchemes()
    {
        static JsonObject Key(string place, string name, string description) =>
            new() { ["type"] = "apiKey", ["in"] = place, ["name"] = name, ["description"] = description };
        const string key = "An automation key (Automation:Keys:{name}:Secret), with the roles configured for it; the history names the key.";
        return new JsonObject
        {
            ["entraId"] = new JsonObject
            {
                ["type"] = "http",
                ["scheme"] = "bearer",
                ["bearerFormat"] = "JWT",
                ["description"] = "An Entra ID access token for this API (app roles in its roles claim: coordinator.<track>, observer, "
                    + "observer.<track>, operator). The local host issues development tokens from its own issuer (docs/local-development.md).",
            },
            ["automationKey"] = Key("header", "x-functions-key", key),
            ["automationKeyQuery"] = Key("query", "code", key + " In the query, for pages opened in a browser."),
        };
    }

    [GeneratedRegex(@"\{([^}:?=]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
