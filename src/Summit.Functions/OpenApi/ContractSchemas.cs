using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Summit.Functions.OpenApi;

/// <summary>
/// JSON schemas (draft 2020-12, the dialect of OpenAPI 3.1) of the records the functions read and write, taken from the
/// serializer's own contract with <see cref="JsonSchemaExporter"/>: names, types and nullability are what the JSON
/// writer and reader do, not a second description of them. Each record of this app becomes one named component that
/// the others refer to. Responses: every property is required, because the writer writes every one (nulls included);
/// requests: as the strict reader takes them (unknown fields refused), the rules of each field in docs/api.md.
/// </summary>
public sealed class ContractSchemas
{
    public const string ProblemName = "Problem";
    private const string ComponentsPrefix = "#/components/schemas/";

    private readonly JsonSerializerOptions _responses;
    private readonly JsonSerializerOptions _requests;
    private readonly Dictionary<string, (Type Type, bool Request)> _named = new(StringComparer.Ordinal);
    private readonly Queue<(Type Type, bool Request)> _pending = new();

    public ContractSchemas(JsonSerializerOptions responses, JsonSerializerOptions requests)
    {
        // Web defaults read numbers from strings too; the writer never writes one as a string, so a response schema says integer.
        _responses = Exportable(new JsonSerializerOptions(responses) { NumberHandling = JsonNumberHandling.Strict });
        _requests = Exportable(new JsonSerializerOptions(requests));
        Components[ProblemName] = Problem();
        Components["FieldError"] = FieldError();
    }

    /// <summary>The named schemas, for <c>components.schemas</c>; complete once every request and response was asked for.</summary>
    public JsonObject Components { get; } = new();

    public JsonNode Response(Type type) => Named(type, request: false);

    public JsonNode Request(Type type) => Named(type, request: true);

    public static JsonObject RefTo(string name) => new() { ["$ref"] = ComponentsPrefix + name };

    private JsonNode Named(Type type, bool request)
    {
        var schema = Export(type, request);
        JsonNode result = schema;
        if (IsContract(type))
        {
            // A record answered or read at the top is a component too: the operation refers to it.
            Remember(type, request);
            Components[type.Name] = schema;
            result = RefTo(type.Name);
        }
        while (_pending.TryDequeue(out var next))
            Components[next.Type.Name] = Export(next.Type, next.Request);
        return result;
    }

    private JsonNode Export(Type type, bool request)
    {
        var options = request ? _requests : _responses;
        var exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => Transform(context, node, options, request),
        };
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(options, type, exporter);
        if (schema is JsonObject o) o.Remove("$schema");
        return schema;
    }

    /// <summary>True the first time a type is named; a second type with the same name (or one type both read and written,
    /// whose schemas differ) stops the document.</summary>
    private bool Remember(Type type, bool request)
    {
        if (_named.TryGetValue(type.Name, out var known))
        {
            if (known.Type != type || known.Request != request)
                throw new InvalidOperationException($"Two contract types would share the schema name '{type.Name}' ({known.Type} and {type}, or one type both read and written): rename one.");
            return false;
        }
        _named[type.Name] = (type, request);
        return true;
    }

    private JsonNode Transform(JsonSchemaExporterContext context, JsonNode node, JsonSerializerOptions options, bool request)
    {
        var info = context.TypeInfo;
        if (info.Kind == JsonTypeInfoKind.Object && context.PropertyInfo is null && node is JsonObject type && !request
            && options.DefaultIgnoreCondition == JsonIgnoreCondition.Never)
        {
            var required = info.Properties.Where(p => p.Get is not null && p.ShouldSerialize is null).Select(p => (JsonNode)p.Name).ToArray();
            // The exporter names constructor parameters without a default; the writer writes every property, so all are.
            type.Remove("required");
            if (required.Length > 0) type["required"] = new JsonArray(required);
        }
        if (context.Path.IsEmpty || info.Kind != JsonTypeInfoKind.Object || !IsContract(info.Type)) return node;

        // A record nested in another: one named component, referred to (nullable where the property is).
        if (Remember(info.Type, request)) _pending.Enqueue((info.Type, request));
        var reference = RefTo(info.Type.Name);
        var nullable = node is JsonObject { } withType && withType["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");
        return nullable ? new JsonObject { ["oneOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
    }

    private static bool IsContract(Type type) =>
        type.Namespace?.StartsWith("Summit.", StringComparison.Ordinal) == true && !type.IsEnum && !type.IsGenericType;

    private static JsonSerializerOptions Exportable(JsonSerializerOptions options)
    {
        options.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }

    /// <summary>RFC 9457 problem details as <see cref="Http.Problems"/> writes them; a 410 carries the erased meeting's tombstone.</summary>
    private static JsonObject Problem() => new()
    {
        ["type"] = "object",
        ["description"] = "RFC 9457 problem details. type ends in one of the slugs of docs/api.md (\"Errors\"); errors names each offending field.",
        ["required"] = new JsonArray("type", "title", "status", "detail", "instance", "errors"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string", ["format"] = "uri", ["pattern"] = "^https://summit-followups\\.example/problems/[a-z-]+$" },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer", ["minimum"] = 400, ["maximum"] = 599 },
            ["detail"] = new JsonObject { ["type"] = "string" },
            ["instance"] = new JsonObject { ["type"] = "string" },
            ["errors"] = new JsonObject { ["type"] = "array", ["items"] = RefTo("FieldError") },
            ["tombstone"] = new JsonObject
            {
                ["description"] = "Only with 410 meeting-erased: what is left of the erased meeting.",
                ["$ref"] = ComponentsPrefix + "TombstoneResponse",
            },
        },
    };

    private static JsonObject FieldError() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("field", "message"),
        ["properties"] = new JsonObject
        {
            ["field"] = new JsonObject { ["type"] = "string", ["description"] = "The field's JSON path (participants[1].email), query parameter, header or body." },
            ["message"] = new JsonObject { ["type"] = "string" },
        },
        ["additionalProperties"] = false,
    };
}
