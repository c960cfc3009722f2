using System.Text.Json.Nodes;
using Summit.Functions.Http;

namespace Summit.Functions.OpenApi;

/// <summary>What the code cannot say about one HTTP function by itself: its words, its query and header parameters, its
/// body and its answers. The route, methods and auth level come from the function's attribute.</summary>
public sealed record ApiOperation(string Tag, string Summary, string? Description = null)
{
    public IReadOnlyDictionary<string, Parameter> Path { get; init; } = new Dictionary<string, Parameter>();
    public IReadOnlyList<Parameter> Query { get; init; } = [];
    public IReadOnlyList<Parameter> Headers { get; init; } = [];
    public RequestBody? Body { get; init; }
    public IReadOnlyList<Reply> Replies { get; init; } = [];
}

/// <summary>A path, query or header parameter; a string unless <see cref="Schema"/> says otherwise.</summary>
public sealed record Parameter(string Name, string Description, bool Required = false, JsonNode? Schema = null);

/// <summary>A request body: a contract record (<see cref="Type"/>) or a schema of its own.</summary>
public sealed record RequestBody(IReadOnlyList<string> ContentTypes, Type? Type, JsonNode? Schema = null, string? Example = null, bool Required = true)
{
    public static RequestBody Json<T>(string? example = null, bool required = true) => new(["application/json"], typeof(T), null, example, required);
}

/// <summary>One answer: a status with its content type and body (a contract record, a schema, or none).</summary>
public sealed record Reply(int Status, string Description, string? ContentType, Type? Type = null, JsonNode? Schema = null, string? Example = null)
{
    public IReadOnlyList<string> Headers { get; init; } = [];

    public static Reply Json<T>(int status, string description, string? example = null) => new(status, description, "application/json", typeof(T), null, example);

    /// <summary>Problem details; the schema is <see cref="ContractSchemas.ProblemName"/>.</summary>
    public static Reply Problem(int status, string description, string? example = null) => new(status, description, Problems.ContentType, null, null, example);

    public static Reply Html(int status, string description) =>
        new(status, description, "text/html", null, new JsonObject { ["type"] = "string" });

    public static Reply Empty(int status, string description) => new(status, description, null);
}
