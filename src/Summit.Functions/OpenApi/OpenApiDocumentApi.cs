using Summit.Functions.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Summit.Functions.OpenApi;

/// <summary>The OpenAPI 3.1 document of this HTTP API. Anonymous: it describes routes and shapes, never data or keys.</summary>
public sealed class OpenApiDocumentApi(ApiDocument document)
{
    [Function("GetOpenApiDocument")]
    [Needs(Need.Anonymous)]
    public IActionResult Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request) =>
        new ContentResult { StatusCode = StatusCodes.Status200OK, ContentType = "application/json; charset=utf-8", Content = document.Json };
}
