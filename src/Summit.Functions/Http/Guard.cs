using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Summit.Functions.Identity;
using Summit.Reminders;
using Summit.Reminders.Audit;
using Summit.Reminders.Identity;

namespace Summit.Functions.Http;

/// <summary>
/// Every HTTP function runs its body through this. First the caller: authenticated (<see cref="CallerAuthentication"/>)
/// and holding a role for what the function does (<see cref="Need"/>), else 401 or 403 before anything is read or
/// stored. Then the request's <see cref="RequestOrigin"/>: who acts, what they may do (the use cases refuse a track the
/// caller's roles do not cover) and the request's id, for the audit trail. Storage that cannot be reached is a 503 with
/// problem details and <c>Retry-After</c>, never a bare 500.
/// </summary>
public sealed class Guard(CallerAuthentication authentication)
{
    public async Task<IActionResult> RunAsync(HttpRequest request, Need need, Func<Task<IActionResult>> handler)
    {
        if (need == Need.Anonymous) return await RunAnonymousAsync(request, handler);
        switch (await authentication.AuthenticateAsync(request, request.HttpContext.RequestAborted))
        {
            case Authentication.Missing:
                return Problems.Unauthorized(request, "Authorization", "is missing: sign in (a bearer token) or send an automation key in x-functions-key", null);
            case Authentication.Unavailable:
                // Entra ID's keys cannot be read: the token may well be good. Like storage, a 503 to retry, not a 401 that
                // would sign the person out.
                request.HttpContext.Response.Headers.RetryAfter = "30";
                return Problems.Unavailable(request, "The sign-in authority (Entra ID)");
            case Authentication.Refused refused:
                return Problems.Unauthorized(request, refused.Field, refused.Message, refused.Field == "Authorization" ? "invalid_token" : null);
            case Authentication.Authenticated { Caller: var caller }:
                if (Lacks(caller.Access, need) is { } missing) return Problems.Forbidden(request, new Refusal("roles", missing));
                return await RunAsAsync(request, caller.Actor, caller.Access, handler);
            default:
                throw new InvalidOperationException("Unknown authentication outcome.");
        }
    }

    /// <summary>A function without an identity (a participant's link: its token is the credential; SendGrid's events:
    /// their signature). <paramref name="actor"/> is who the audit trail names until the function narrows it.</summary>
    public static Task<IActionResult> RunAnonymousAsync(HttpRequest request, Func<Task<IActionResult>> handler, Actor? actor = null) =>
        RunAsAsync(request, actor ?? Actor.Unknown, Access.Everything, handler);

    /// <summary>What the caller's roles lack for <paramref name="need"/>, or null.</summary>
    public static string? Lacks(Access access, Need need) => need switch
    {
        Need.Read when !access.CanReadAny => "include none that lets you see a track (coordinator.<track>, observer.<track> or observer)",
        Need.Change when !access.CanChangeAny => "include no coordinator.<track> role: observers and operators cannot change meetings or commitments",
        Need.Operate when !access.CanOperate => "do not include operator",
        _ => null,
    };

    private static async Task<IActionResult> RunAsAsync(HttpRequest request, Actor actor, Access access, Func<Task<IActionResult>> handler)
    {
        using var origin = RequestOrigin.Begin(actor, RequestId(request), access);
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
