using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Summit.Functions.Tests;

/// <summary>The app's OpenAPI document as a client reads it, and the JSON Schema (2020-12) validation of answers and
/// examples against what it declares, with JsonSchema.Net (independent of the exporter that wrote the schemas).</summary>
public sealed class OpenApiContract
{
    private const string ComponentsPrefix = "#/components/schemas/";
    private static int _schemas;
    private readonly JsonObject _defs;

    public OpenApiContract(string json)
    {
        Json = json;
        Document = JsonNode.Parse(json)!.AsObject();
        // The component schemas, with their references pointed at $defs, so that each schema checked below is one
        // self-contained JSON Schema document.
        _defs = JsonNode.Parse(Rewrite(Document["components"]!["schemas"]!.ToJsonString()))!.AsObject();
    }

    public static OpenApiContract FromCode() =>
        new(new Functions.OpenApi.ApiDocument(Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Mvc.JsonOptions())).Json);

    public string Json { get; }
    public JsonObject Document { get; }

    /// <summary>Every (path, method) of the document, as "METHOD /path".</summary>
    public IReadOnlyList<string> Operations() =>
        Document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}")).Order(StringComparer.Ordinal).ToList();

    public JsonObject Operation(string method, string path) =>
        Document["paths"]![path]?[method.ToLowerInvariant()]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"{method} {path} is not in the document");

    /// <summary>Checks <paramref name="answer"/> against the schema the document declares for its status and content type.</summary>
    public void AssertDescribes(string method, string path, HttpAnswer answer)
    {
        var operation = Operation(method, path);
        var response = operation["responses"]![answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            ?? throw new Xunit.Sdk.XunitException($"{method} {path} answered {answer.Status}, which the document does not declare: {answer.Body}");
        var contentType = answer.Header("Content-Type")?.Split(';')[0].Trim();
        if (string.IsNullOrEmpty(contentType))
        {
            Assert.True(answer.Body.Length == 0, $"{method} {path} {answer.Status}: a body without a Content-Type");
            return;
        }
        var media = response["content"]?[contentType]
            ?? throw new Xunit.Sdk.XunitException($"{method} {path} {answer.Status} answered {contentType}, which the document does not declare");
        if (!contentType.EndsWith("json", StringComparison.Ordinal)) return; // an HTML page: its schema is "a string"
        AssertValid(media["schema"]!, JsonDocument.Parse(answer.Body).RootElement, $"{method} {path} {answer.Status}");
    }

    /// <summary>Validates <paramref name="instance"/> against <paramref name="schema"/> (a schema of the document).</summary>
    public void AssertValid(JsonNode schema, JsonElement instance, string what)
    {
        var root = JsonNode.Parse(Rewrite(schema.ToJsonString()))!.AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = _defs.DeepClone();
        var built = JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://summit.test/schemas/{Interlocked.Increment(ref _schemas)}"));
        var results = built.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid) return;
        var errors = (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .Select(d => $"{d.InstanceLocation} ({d.EvaluationPath}): {string.Join("; ", d.Errors!.Values)}");
        throw new Xunit.Sdk.XunitException($"{what} does not match its schema:\n{string.Join("\n", errors)}\n{instance.GetRawText()[..Math.Min(2000, instance.GetRawText().Length)]}");
    }

    private static string Rewrite(string json) => json.Replace(ComponentsPrefix, "#/$defs/", StringComparison.Ordinal);
}
