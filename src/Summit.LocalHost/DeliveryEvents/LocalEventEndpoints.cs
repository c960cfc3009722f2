using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Summit.Functions.Http;
using Summit.Functions.Webhooks;
using Summit.Reminders.Infrastructure.Mail;
using Summit.Reminders.Ports;

namespace Summit.LocalHost.DeliveryEvents;

/// <summary>What <c>POST /admin/sendgrid-events/sign</c> answers: the request SendGrid would send, ready for curl.</summary>
public sealed record SignedEventsRequest(Uri Url, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// The local delivery-event loop: SendGrid's signed Event Webhook fed by this host itself. The pickup folder reports
/// <c>processed</c> and <c>delivered</c> for each email it writes (<c>LocalHost:PickupEvents</c>, on by default), and
/// two master-key endpoints sign events given to them with the local key, so a reader can play SendGrid (a bounce, a
/// drop, a spam report) from curl. All of it is local: the function app has no part of it.
/// </summary>
public static class LocalEventEndpoints
{
    public const string Path = "/admin/sendgrid-events";

    public static IServiceCollection AddLocalDeliveryEvents(this IServiceCollection services, LocalHostOptions local, LocalEventSigner? signer)
    {
        if (signer is null) return services; // only SendGrid's public key is configured: its events alone are accepted
        services.AddSingleton(signer);
        services.AddHttpClient(LocalEventWebhookClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<LocalEventWebhookClient>();
        if (!local.PickupEvents || !services.Any(d => d.ServiceType == typeof(PickupFolderEmailSender))) return services;
        services.AddSingleton<PickupEventPoster>();
        services.AddHostedService(sp => sp.GetRequiredService<PickupEventPoster>());
        services.Replace(ServiceDescriptor.Singleton<IEmailSender>(sp => new PickupEventsEmailSender(
            sp.GetRequiredService<PickupFolderEmailSender>(), sp.GetRequiredService<PickupEventPoster>(), sp.GetRequiredService<TimeProvider>())));
        return services;
    }

    public static void MapDeliveryEventHelper(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<LocalHostOptions>();

        // Signs the given events with the local key and posts them to this host's Event Webhook; answers with its answer.
        app.MapPost(Path, async (HttpContext context) =>
        {
            if (!keys.Allows(context.Request, AuthorizationLevel.Admin))
                return await LocalEndpoints.WriteAsync(context, LocalEndpoints.Unauthorized(context.Request, AuthorizationLevel.Admin));
            var (webhook, body, problem) = await ReadAsync(context);
            if (problem is not null) return await LocalEndpoints.WriteAsync(context, problem);
            var answer = await webhook!.PostAsync(body!, context.RequestAborted);
            return Results.Content(answer.Body, answer.ContentType, statusCode: answer.Status);
        });

        // Only signs them: the URL, the two headers and the body, to send with curl (or to look at).
        app.MapPost(Path + "/sign", async (HttpContext context) =>
        {
            if (!keys.Allows(context.Request, AuthorizationLevel.Admin))
                return await LocalEndpoints.WriteAsync(context, LocalEndpoints.Unauthorized(context.Request, AuthorizationLevel.Admin));
            var (webhook, body, problem) = await ReadAsync(context);
            if (problem is not null) return await LocalEndpoints.WriteAsync(context, problem);
            var signed = webhook!.Sign(body!);
            return Results.Ok(new SignedEventsRequest(webhook.Endpoint,
                new Dictionary<string, string> { [SendGridEventsApi.SignatureHeader] = signed.Signature, [SendGridEventsApi.TimestampHeader] = signed.Timestamp },
                signed.Body));
        });
    }

    /// <summary>The events of the request as SendGrid would post them. Each needs <c>event</c> and <c>reminder_id</c> (the
    /// file name of its .eml, or an id from GET /api/meetings/{id}); <c>meeting_id</c> (the reminder id's first part),
    /// <c>timestamp</c> (now) and <c>sg_event_id</c> (a fresh one) are filled in when absent; other fields are kept.</summary>
    private static async Task<(LocalEventWebhookClient? Webhook, string? Body, Microsoft.AspNetCore.Mvc.IActionResult? Problem)> ReadAsync(HttpContext context)
    {
        if (context.RequestServices.GetService<LocalEventWebhookClient>() is not { } webhook)
            return (null, null, Problems.Create(context.Request, StatusCodes.Status409Conflict, "not-configured", "Events are not signed locally",
                $"{LocalEventSigner.PublicKeySetting} is set without {LocalEventSigner.PrivateKeySetting}: only SendGrid can sign events for this host.", []));
        JsonNode? root;
        try
        {
            root = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            root = null;
        }
        if (root is not JsonArray events || events.Count == 0 || events.Any(e => e is not JsonObject))
            return (null, null, Problems.Invalid(context.Request, "body", "must be a JSON array of event objects, e.g. [{\"event\":\"bounce\",\"reminder_id\":\"…\",\"type\":\"bounce\",\"reason\":\"550 5.1.1 unknown user\"}]"));
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var e in events.Cast<JsonObject>())
        {
            if (Text(e, "event") is null || Text(e, "reminder_id") is not { } reminderId)
                return (null, null, Problems.Invalid(context.Request, "body", "every event needs \"event\" and \"reminder_id\""));
            if (Text(e, "meeting_id") is null) e["meeting_id"] = reminderId.Split('.')[0];
            e["timestamp"] ??= now.ToUnixTimeSeconds();
            e["sg_event_id"] ??= "local-" + Guid.NewGuid().ToString("N");
        }
        return (webhook, events.ToJsonString(), null);
    }

    private static string? Text(JsonObject e, string name) =>
        e[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
