using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Summit.LocalHost.Tests;

/// <summary>Key enforcement as the Functions host does it, and functions the local host refuses to run unfaithfully.</summary>
public sealed class LocalHostRulesTests
{
    private static readonly LocalHostOptions Keys = new() { FunctionKey = "function-key", MasterKey = "master-key" };

    private static HttpRequest Request(string? header = null, string? code = null)
    {
        var context = new DefaultHttpContext();
        if (header is not null) context.Request.Headers["x-functions-key"] = header;
        if (code is not null) context.Request.QueryString = QueryString.Create("code", code);
        return context.Request;
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("wrong", null, false)]
    [InlineData("function-key", null, true)]
    [InlineData(null, "function-key", true)]
    [InlineData("master-key", null, true)]
    [InlineData("function-key ", null, false)]
    public void FunctionEndpointsNeedTheFunctionOrTheMasterKey(string? header, string? code, bool allowed) =>
        Assert.Equal(allowed, Keys.Allows(Request(header, code), AuthorizationLevel.Function));

    [Fact]
    public void AdminEndpointsNeedTheMasterKeyAndAnonymousOnesNothing()
    {
        Assert.False(Keys.Allows(Request("function-key"), AuthorizationLevel.Admin));
        Assert.True(Keys.Allows(Request(code: "master-key"), AuthorizationLevel.Admin));
        Assert.True(Keys.Allows(Request(), AuthorizationLevel.Anonymous));
    }

    [Fact]
    public void MissingKeysAreMadeUpForTheRunAndDiffer()
    {
        var options = LocalHostOptions.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

        Assert.True(options.KeysGenerated);
        Assert.True(options.FunctionKey!.Length >= 32);
        Assert.NotEqual(options.FunctionKey, options.MasterKey);
        Assert.Equal(7071, options.Port);
        Assert.Equal("127.0.0.1", options.Address);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.20")]
    public void ANonLoopbackAddressIsRefusedUnlessAllowedExplicitly(string address)
    {
        var settings = new Dictionary<string, string?> { ["LocalHost:Address"] = address };
        var error = Assert.Throws<InvalidOperationException>(() =>
            LocalHostOptions.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
        Assert.Contains("LocalHost:AllowRemote", error.Message);

        settings["LocalHost:AllowRemote"] = "true";
        Assert.Equal(address, LocalHostOptions.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(settings).Build()).Address);
    }

    private sealed class QueueTriggered
    {
        [Function("FromQueue")]
        public void Run([QueueTriggerLike] string message) { }
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    private sealed class QueueTriggerLikeAttribute : Attribute;

    private sealed class BindsFunctionContext
    {
        [Function("NeedsContext")]
        public IActionResult Run([HttpTrigger(AuthorizationLevel.Function, "get")] HttpRequest request, FunctionContext context) => new OkResult();
    }

    private sealed class ReturnsAString
    {
        [Function("ReturnsString")]
        public string Run([HttpTrigger(AuthorizationLevel.Function, "get")] HttpRequest request) => "hi";
    }

    private sealed class Fine
    {
        [Function("Fine")]
        public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post")] HttpRequest request, string id, CancellationToken cancellationToken) =>
            Task.FromResult<IActionResult>(new OkResult());
    }

    private sealed class AnyMethod
    {
        [Function("AnyMethod")]
        public IActionResult Run([HttpTrigger(AuthorizationLevel.Function, Route = "any")] HttpRequest request) => new OkResult();
    }

    [Fact]
    public void AnHttpTriggerWithoutMethodsAcceptsEveryMethodAsOnTheRealHost()
    {
        var trigger = Assert.IsType<HttpFunctionTrigger>(Assert.Single(FunctionCatalog.Discover([typeof(AnyMethod)])).Trigger);
        Assert.Null(trigger.Methods);
    }

    [Theory]
    [InlineData(typeof(QueueTriggered), "neither an HTTP nor a timer trigger")]
    [InlineData(typeof(BindsFunctionContext), "parameter 'context'")]
    [InlineData(typeof(ReturnsAString), "return type")]
    public void AFunctionTheLocalHostCannotRunFaithfullyStopsTheStartWithItsName(Type type, string why)
    {
        var error = Assert.Throws<InvalidOperationException>(() => FunctionCatalog.Discover([type]));
        Assert.Contains(why, error.Message);
        Assert.StartsWith("Function '", error.Message);
    }

    [Fact]
    public void AnHttpFunctionWithoutARouteIsServedUnderItsName()
    {
        var function = Assert.Single(FunctionCatalog.Discover([typeof(Fine)]));
        var trigger = Assert.IsType<HttpFunctionTrigger>(function.Trigger);
        Assert.Equal("Fine", trigger.Route);
        Assert.Equal(["get", "post"], trigger.Methods);
        Assert.Equal(AuthorizationLevel.Anonymous, trigger.AuthLevel);
    }

    [Theory]
    [InlineData("Request starting HTTP/1.1 GET http://127.0.0.1:7071/api/meetings?code=abc123 - - -",
        "Request starting HTTP/1.1 GET http://127.0.0.1:7071/api/meetings?code=[redacted] - - -")]
    [InlineData("GET /api/meetings?limit=5&CODE=abc123&x=1", "GET /api/meetings?limit=5&CODE=[redacted]&x=1")]
    [InlineData("GET /api/p/acknowledge?token=eyJ.sig-_x~ 200", "GET /api/p/acknowledge?token=[redacted] 200")]
    [InlineData("Sent reminder m1.p1.P1D.x1 (postcode=34000)", "Sent reminder m1.p1.P1D.x1 (postcode=34000)")]
    public void KeysAndLinkTokensInAUrlAreRedactedFromEveryLogMessage(string message, string logged) =>
        Assert.Equal(logged, RedactingConsole.Redact(message));

    // The request log shows the query as sent, still percent-encoded; the server decodes a name before it looks for
    // "code" or "token" (case-insensitively), so every spelling it would take for one of them is redacted.
    [Theory]
    [InlineData("GET http://127.0.0.1:7071/api/meetings?c%6Fde=abc123 - - -", "GET http://127.0.0.1:7071/api/meetings?c%6Fde=[redacted] - - -")]
    [InlineData("GET /api/meetings?limit=5&%63ode=abc123&x=1", "GET /api/meetings?limit=5&%63ode=[redacted]&x=1")]
    [InlineData("GET /api/meetings?%43%4f%44%45=abc123", "GET /api/meetings?%43%4f%44%45=[redacted]")]
    [InlineData("GET /api/p/acknowledge?t%6Fken=eyJ.sig-_x~ 200", "GET /api/p/acknowledge?t%6Fken=[redacted] 200")]
    [InlineData("GET /api/p/unsubscribe?%74OKEN=eyJ.sig&x=1 200", "GET /api/p/unsubscribe?%74OKEN=[redacted]&x=1 200")]
    // An encoded '=' makes the whole pair a name to the server, but the key is there for anyone who decodes the URL.
    [InlineData("GET /api/meetings?c%6Fde%3Dabc123 401", "GET /api/meetings?c%6Fde%3D[redacted] 401")]
    [InlineData("GET /api/meetings?code%3dabc123&x=1", "GET /api/meetings?code%3d[redacted]&x=1")]
    public void PercentEncodedSpellingsOfTheKeyAndTokenParametersAreRedactedToo(string message, string logged) =>
        Assert.Equal(logged, RedactingConsole.Redact(message));

    [Theory]
    [InlineData("GET /api/meetings?c%6Fdes=1&limit=5&%70ostcode=34000")]
    [InlineData("GET /api/meetings?co+de=1&tok%65n_id=2&x=%63ode")]
    [InlineData("GET /api/meetings?c%ZZde=1&title=a%3Db")]
    public void OtherParametersStayVisibleHoweverTheyAreEncoded(string message) =>
        Assert.Equal(message, RedactingConsole.Redact(message));
}
