using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Summit.Functions.OpenApi;

namespace Summit.Functions.Tests;

/// <summary>GET /api/openapi.json against what the real host reads (functions.metadata) and against the OpenAPI 3.1 and
/// JSON Schema 2020-12 specifications, read by libraries other than the one that wrote it.</summary>
public class OpenApiDocumentTests
{
    private static readonly OpenApiContract Contract = OpenApiContract.FromCode();

    private static List<(string Name, string Route, string Method, string AuthLevel)> HttpFunctionsInMetadata()
    {
        var configuration = typeof(OpenApiDocumentTests).Assembly.GetCustomAttribute<BuildConfigurationAttribute>()!.Configuration;
        var path = Path.Combine(Summit.TestSupport.Repository.Root, "src", "Summit.Functions", "bin", configuration, "net10.0", "functions.metadata");
        var functions = new List<(string, string, string, string)>();
        foreach (var function in JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray())
        {
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            if (trigger.GetProperty("type").GetString() != "httpTrigger") continue;
            // The coordinator console (ConsoleAssets, /console/{*path}) serves web pages for people, not API operations: it is
            // the one function the document leaves out (ApiOperations.NotInDocument says why), and the test below keeps it so.
            if (ApiOperations.NotInDocument.ContainsKey(function.GetProperty("name").GetString()!)) continue;
            foreach (var method in trigger.GetProperty("methods").EnumerateArray())
                functions.Add((function.GetProperty("name").GetString()!, trigger.GetProperty("route").GetString()!, method.GetString()!.ToUpperInvariant(),
                    trigger.GetProperty("authLevel").GetString()!));
        }
        return functions;
    }

    [Fact]
    public void EveryRouteOfFunctionsMetadataIsInTheDocumentWithItsMethodAndNothingElseIs()
    {
        var functions = HttpFunctionsInMetadata();
        var needs = ApiDocument.HttpFunctions().ToDictionary(f => f.Name, f => f.Need);
        // host.json's route prefix is empty (FunctionsMetadataTests): the URL path is "/" + the route.
        Assert.Equal(functions.Select(f => $"{f.Method} /{f.Route}").Order(StringComparer.Ordinal), Contract.Operations());
        foreach (var f in functions)
        {
            var operation = Contract.Operation(f.Method, "/" + f.Route);
            Assert.Equal(f.Name, operation["operationId"]!.GetValue<string>());
            var schemes = operation["security"]!.AsArray().SelectMany(s => s!.AsObject().Select(p => p.Key)).ToList();
            // What the worker asks of the caller ([Needs]); the host lets every request through (FunctionsMetadataTests).
            var need = needs[f.Name];
            if (need == Identity.Need.Anonymous) Assert.Empty(schemes);
            else
            {
                Assert.Equal(["entraId", "automationKey", "automationKeyQuery"], schemes);
                Assert.NotNull(operation["responses"]!["401"]);
            }
            if (need is Identity.Need.Read or Identity.Need.Change or Identity.Need.Operate) Assert.NotNull(operation["responses"]!["403"]);
        }
        Assert.Contains(functions, f => f is { Name: "GetOpenApiDocument", Route: "api/openapi.json", Method: "GET", AuthLevel: "Anonymous" });
    }

    [Fact]
    public void OnlyTheConsolesFilesAreLeftOutOfTheDocument()
    {
        Assert.Equal(["ConsoleAssets"], ApiOperations.NotInDocument.Keys);
        Assert.DoesNotContain(Contract.Operations(), o => o.Contains("/console", StringComparison.Ordinal));
        Assert.Contains(ApiDocument.HttpFunctions(), f => f is { Name: "ConsoleAssets", Route: "console/{*path}", AuthLevel: Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous });
    }

    [Fact]
    public void TheDocumentIsValidOpenApi31ToMicrosoftsReaderAndValidator()
    {
        var (document, diagnostic) = OpenApiDocument.Parse(Contract.Json, "json");
        Assert.Empty(diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Empty(diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.Empty((document!.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []).Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(HttpFunctionsInMetadata().Select(f => f.Route).Distinct().Count(), document!.Paths!.Count);
    }

    [Fact]
    public void EverySchemaIsAJsonSchema202012AndEveryReferenceResolves()
    {
        var components = Contract.Document["components"]!["schemas"]!.AsObject();
        foreach (var (name, schema) in components)
        {
            var result = MetaSchemas.Draft202012.Evaluate(JsonDocument.Parse(schema!.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"{name}: {string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Values))}");
        }
        var references = System.Text.RegularExpressions.Regex.Matches(Contract.Json, "\"\\$ref\": \"#/components/schemas/([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(components.ContainsKey(r), $"{r} is referred to but not defined"));
        // Every record is a component (nothing inlined twice), and responses say every field is written.
        Assert.Contains("MeetingResponse", components.Select(c => c.Key));
        Assert.Contains("participants", components["MeetingResponse"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(JsonValueKind.False, JsonDocument.Parse(components["MeetingDraft"]!["additionalProperties"]!.ToJsonString()).RootElement.ValueKind);
    }

    [Fact]
    public void EveryExampleFitsItsSchema()
    {
        var examples = 0;
        foreach (var (path, item) in Contract.Document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
            {
                var media = new List<(string What, JsonNode Media)>();
                if (operation!["requestBody"]?["content"] is JsonObject body) media.AddRange(body.Select(c => ($"{method} {path} request {c.Key}", c.Value!)));
                foreach (var (status, response) in operation["responses"]!.AsObject())
                    if (response!["content"] is JsonObject content) media.AddRange(content.Select(c => ($"{method} {path} {status} {c.Key}", c.Value!)));
                foreach (var (what, m) in media.Where(m => m.Media["example"] is not null))
                {
                    Contract.AssertValid(m["schema"]!, JsonDocument.Parse(m["example"]!.ToJsonString()).RootElement, what);
                    examples++;
                }
            }
        Assert.True(examples >= 10, $"{examples} examples");
    }

    [Fact]
    public void TheProblemSchemaIsWhatProblemsWrites()
    {
        var problem = Contract.Document["components"]!["schemas"]!["Problem"]!;
        Assert.Equal(["type", "title", "status", "detail", "instance", "errors"], problem["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        var create = Contract.Operation("POST", "/api/meetings");
        foreach (var status in new[] { "400", "410", "413", "415", "422", "503" })
            Assert.NotNull(create["responses"]![status]!["content"]!["application/problem+json"]);
    }

    [Fact]
    public void AnAnswerThatDoesNotFitItsSchemaIsCaught()
    {
        // The check is not vacuous: a field missing, a wrong type, a null where none is written, a date that is not one.
        var problem = Contract.Operation("POST", "/api/meetings")["responses"]!["400"]!["content"]!["application/problem+json"]!["schema"]!;
        var good = JsonNode.Parse(Functions.OpenApi.ApiExamples.ValidationProblem)!.AsObject();
        Contract.AssertValid(problem, JsonDocument.Parse(good.ToJsonString()).RootElement, "the example");
        foreach (var change in new Action<JsonObject>[]
        {
            p => p.Remove("errors"),
            p => p["status"] = "400",
            p => p["errors"]!.AsArray().Add(new JsonObject { ["field"] = "title" }),
        })
        {
            var bad = good.DeepClone().AsObject();
            change(bad);
            Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Contract.AssertValid(problem, JsonDocument.Parse(bad.ToJsonString()).RootElement, "a broken problem"));
        }
        var tombstone = Contract.Operation("DELETE", "/api/meetings/{id}")["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        var erased = new JsonObject
        {
            ["id"] = "m1", ["track"] = "nuclear-energy", ["startUtc"] = "2026-12-10T01:00:00+00:00", ["endUtc"] = "2026-12-10T03:00:00+00:00",
            ["finalStatus"] = "completed", ["participants"] = 2, ["emailsSent"] = 4, ["emailsFailed"] = 0, ["emailsSkipped"] = 0, ["reason"] = "requested",
            ["state"] = "erased", ["requestedAt"] = "2026-12-11T00:00:00+00:00", ["erasedAt"] = null,
        };
        Contract.AssertValid(tombstone, JsonDocument.Parse(erased.ToJsonString()).RootElement, "a tombstone");
        foreach (var (field, value) in new (string, JsonNode?)[] { ("participants", null), ("startUtc", "10 December"), ("track", 7) })
        {
            var bad = erased.DeepClone().AsObject();
            bad[field] = value;
            Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Contract.AssertValid(tombstone, JsonDocument.Parse(bad.ToJsonString()).RootElement, field));
        }
    }
}
