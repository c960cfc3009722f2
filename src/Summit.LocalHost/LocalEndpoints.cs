using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Summit.Functions.Http;
using Summit.Reminders.Infrastructure.Mail;
using Summit.Reminders.Ports;
using Summit.Reminders;

namespace Summit.LocalHost;

/// <summary>The body of POST /admin/clock (with LocalHost:ShiftableClock): the later instant to move the clock to.</summary>
public sealed record ClockChange(DateTimeOffset? MoveTo);

/// <summary>The local host's endpoints: every HTTP function, the admin API of the real host that matters locally
/// (run a timer function now, list functions), the sample data, and the pickup folder to browse.</summary>
public static class LocalEndpoints
{
    public const string OutboxPath = "/outbox";
    public const string OutboxCookie = "summit-outbox";

    public static void MapFunctions(this WebApplication app)
    {
        var functions = app.Services.GetRequiredService<LocalFunctions>();
        var keys = app.Services.GetRequiredService<LocalHostOptions>();
        var invoker = app.Services.GetRequiredService<FunctionInvoker>();
        foreach (var http in functions.Http.Where(h => !h.Disabled))
        {
            RequestDelegate handler = async context =>
            {
                if (!keys.Allows(context.Request, http.Trigger.AuthLevel))
                {
                    await WriteAsync(context, Unauthorized(context.Request, http.Trigger.AuthLevel));
                    return;
                }
                try
                {
                    await invoker.InvokeHttpAsync(http.Function, context);
                }
                catch (Exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
                {
                    // Logged by the invoker with the invocation id; the caller gets a problem, not a stack trace.
                    context.Response.Clear();
                    await WriteAsync(context, Problems.Create(context.Request, 500, "internal-error", "Internal server error",
                        $"The function {http.Function.Name} failed; the local host log has the details.", []));
                }
            };
            var endpoint = http.Trigger.Methods is { } methods
                ? app.MapMethods(http.Pattern, methods.Select(m => m.ToUpperInvariant()), handler)
                : app.Map(http.Pattern, handler);
            endpoint.WithDisplayName(http.Function.Name);
        }
    }

    public static void MapAdmin(this WebApplication app)
    {
        var functions = app.Services.GetRequiredService<LocalFunctions>();
        var keys = app.Services.GetRequiredService<LocalHostOptions>();
        var invoker = app.Services.GetRequiredService<FunctionInvoker>();
        var stopping = app.Lifetime.ApplicationStopping;

        // As on the real host: POST /admin/functions/{name} with the master key runs a non-HTTP function now. The local
        // host waits for the run to end before answering 202, so a script can run the timers one after the other.
        app.MapPost("/admin/functions/{name}", async (HttpContext context, string name) =>
        {
            if (!keys.Allows(context.Request, AuthorizationLevel.Admin))
                return await WriteAsync(context, Unauthorized(context.Request, AuthorizationLevel.Admin));
            if (functions.FindTimer(name) is not { } timer)
            {
                return await WriteAsync(context, functions.IsHttp(name)
                    ? Problems.Field(context.Request, 400, "validation-error", "Not a timer function", "name", "is an HTTP function; call its route instead")
                    : Problems.NotFound(context.Request, $"Function '{name}'"));
            }
            try
            {
                // The run belongs to the host, not to the caller: a client that gives up must not cut a delivery short.
                await invoker.InvokeTimerAsync(timer.Function, false, null, stopping);
            }
            catch (Exception) when (!stopping.IsCancellationRequested)
            {
                return await WriteAsync(context, Problems.Create(context.Request, 500, "internal-error", "Internal server error",
                    $"The function {timer.Function.Name} failed; the local host log has the details.", []));
            }
            return Results.StatusCode(StatusCodes.Status202Accepted);
        });

        app.MapGet("/admin/functions", async (HttpContext context) => keys.Allows(context.Request, AuthorizationLevel.Admin)
            ? Results.Ok(functions.Table())
            : await WriteAsync(context, Unauthorized(context.Request, AuthorizationLevel.Admin)));

        // Only with LocalHost:ShiftableClock: moves "now" forward, for soak runs that walk through days of reminders.
        app.MapPost("/admin/clock", async (HttpContext context) =>
        {
            if (!keys.Allows(context.Request, AuthorizationLevel.Admin))
                return await WriteAsync(context, Unauthorized(context.Request, AuthorizationLevel.Admin));
            ClockChange? change;
            try { change = await context.Request.ReadFromJsonAsync<ClockChange>(context.RequestAborted); }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException) { change = null; }
            if (context.RequestServices.GetService<ShiftedClock>() is not { } clock)
                return await WriteAsync(context, Problems.Create(context.Request, 404, "not-found", "Not found",
                    "The clock can only be moved when LocalHost:ShiftableClock is true.", []));
            if (change?.MoveTo is not { } at || !clock.MoveTo(at))
                return await WriteAsync(context, Problems.Invalid(context.Request, "moveTo", "must be an instant later than the clock's now"));
            return Results.Ok(new { now = clock.GetUtcNow(), offset = clock.Offset });
        });

        app.MapPost("/admin/sample-data", async (HttpContext context, SampleData sample) =>
        {
            if (!keys.Allows(context.Request, AuthorizationLevel.Admin))
                return await WriteAsync(context, Unauthorized(context.Request, AuthorizationLevel.Admin));
            try
            {
                var loaded = await sample.LoadAsync(context.RequestAborted);
                return Results.Json(loaded, statusCode: StatusCodes.Status201Created);
            }
            catch (DependencyUnavailableException ex)
            {
                return await WriteAsync(context, Problems.Unavailable(context.Request, ex.Dependency));
            }
        });
    }

    /// <summary>Serves the pickup folder (index.html, .html views, .eml files) when email goes there, to master-key holders.</summary>
    public static void MapOutbox(this WebApplication app)
    {
        if (app.Services.GetService<PickupFolderEmailSender>() is not { } pickup) return;
        Directory.CreateDirectory(pickup.Folder);
        // The outbox holds every participant's personal links: the master key only, as the admin routes (a function key is
        // a 401 there too). Its index links each file relatively ("<stem>.eml"), so a browser opened on /outbox/?code=<key>
        // would lose the key on the first click. A request that brings the key therefore also gets a cookie for /outbox
        // only (HttpOnly, SameSite=Strict) whose value is an HMAC of the master key: it opens the outbox and nothing else,
        // and is not the key itself. The pages need no change and curl with the key works as before.
        var keys = app.Services.GetRequiredService<LocalHostOptions>();
        var pass = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(keys.MasterKey!), "summit-local-outbox"u8));
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(OutboxPath))
            {
                await next(context);
                return;
            }
            if (keys.Allows(context.Request, AuthorizationLevel.Admin))
            {
                context.Response.Cookies.Append(OutboxCookie, pass,
                    new CookieOptions { Path = OutboxPath, HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true });
            }
            else if (!context.Request.Cookies.TryGetValue(OutboxCookie, out var presented) || !LocalHostOptions.Same(presented, pass))
            {
                await WriteAsync(context, Unauthorized(context.Request, AuthorizationLevel.Admin));
                return;
            }
            await next(context);
        });
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".eml"] = "message/rfc822";
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = new PhysicalFileProvider(pickup.Folder), RequestPath = OutboxPath });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(pickup.Folder),
            RequestPath = OutboxPath,
            ContentTypeProvider = types,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-store",
        });
    }

    internal static IActionResult Unauthorized(HttpRequest request, AuthorizationLevel level) =>
        Problems.Create(request, StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized",
            level == AuthorizationLevel.Function
                ? "This endpoint needs a function key: send it in the x-functions-key header or the code query parameter."
                : "This endpoint needs the master key: send it in the x-functions-key header or the code query parameter.",
            [new Summit.Reminders.Meetings.FieldError("x-functions-key", "is missing or not valid")]);

    internal static async Task<IResult> WriteAsync(HttpContext context, IActionResult result)
    {
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        return Results.Empty;
    }
}
