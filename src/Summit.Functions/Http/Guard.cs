using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Summit.Reminders.Ports;
using Summit.Reminders;
using Summit.Reminders.Audit;

namespace Summit.Functions.Http;

/// <summary>Every HTTP function runs its body through this: storage that cannot be reached is a 503 with problem
/// details and <c>Retry-After</c>, never a bare 500. It also opens the request's <see cref="RequestOrigin"/>: who acts
/// (the function key unless the function says otherwise; a participant's link narrows it once the token is checked) and
/// the request's id, for the audit trail.</summary>
public static class Guard
{
    public static async Task<IActionResult> RunAsync(HttpRequest request, Func<Task<IActionResult>> handler, Actor? actor = null)
    {
        using var origin = RequestOrigin.Begin(actor ?? Actor.FunctionKey, RequestId(request));
        try
        {
            return await handler();
        }
        catch (DependencyUnavailableException ex)
        {
            request.HttpContext.Response.Headers.RetryAfter = "30";
            return Problems.Unavailable(request, ex.Dependency);
        }
    }

    /// <summary>
    /// The request's id: the W3C trace id of the invocation's activity when there is one (in Azure the Functions host
    /// starts the trace, and it is the <c>operation_Id</c> of the request's logs and spans in Application Insights, so an
    /// entry of the history leads to them), else ASP.NET Core's <see cref="HttpContext.TraceIdentifier"/> (the local host
    /// without a telemetry listener).
    /// </summary>
    public static string RequestId(HttpRequest request) =>
        System.Diagnostics.Activity.Current is { } activity && activity.TraceId != default
            ? activity.TraceId.ToHexString()
            : request.HttpContext.TraceIdentifier;
}
