using Summit.Reminders.Infrastructure.Mail;
using Summit.LocalHost.DeliveryEvents;
using Summit.LocalHost.DevIdentity;

namespace Summit.LocalHost;

/// <summary>What the run command shows once the host listens: that this is the local host, where everything is, and
/// the local keys (written to the console for the developer, never to the log).</summary>
public static class Banner
{
    public static void Print(WebApplication app, LocalHostOptions local, LocalFunctions functions, string? settingsFile, LocalEventSigner? eventSigner)
    {
        var root = $"http://{local.Address}:{local.Port}";
        var time = app.Services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        var lines = new List<string>
        {
            "",
            "  Summit.Functions LOCAL HOST — for local development only. In Azure the Functions host runs this app.",
            "",
            $"  Settings      {settingsFile ?? "(no local.settings.json: environment variables only)"}",
        };
        // The API's base and health URL as the functions' own routes give them (Health is the anonymous GET .../health).
        var health = functions.Http.Single(h => h.Function.Name == "Health").Pattern;
        lines.Add($"  API           {root}/{health[..Math.Max(0, health.LastIndexOf('/'))]}");
        lines.Add($"  Health        {root}/{health}");
        // The outbox URL carries the master key, so that it opens in a browser as printed (the key is printed in full below
        // anyway): this banner is the developer's console, not the log, and the request log redacts ?code=.
        if (app.Services.GetService<PickupFolderEmailSender>() is { } pickup)
            lines.Add($"  Emails        {Path.Combine(pickup.Folder, PickupFolderEmailSender.IndexFileName)}  (or {root}{LocalEndpoints.OutboxPath}/?code={Uri.EscapeDataString(local.MasterKey!)})");
        else
            lines.Add("  Emails        sent through SendGrid (SendGrid:ApiKey is set)");
        // The delivery-event loop (never the private key: it is not for the developer's eyes either, only for the host).
        if (eventSigner is null)
            lines.Add($"  Events        from SendGrid only ({LocalEventSigner.PublicKeySetting} is set without {LocalEventSigner.PrivateKeySetting})");
        else
        {
            var pickupEvents = app.Services.GetService<PickupEventPoster>() is not null;
            var route = functions.Http.Single(h => h.Function.Name == LocalEventWebhookClient.FunctionName).Pattern;
            if (pickupEvents)
            {
                lines.Add($"  Events        each email written reports processed and delivered to /{route}, signed with the local key");
                lines.Add($"                (POST {root}{LocalEventEndpoints.Path} with the master key signs events of your own, e.g. a bounce)");
            }
            else lines.Add($"  Events        POST {root}{LocalEventEndpoints.Path} (master key) signs events with the local key; the pickup folder's own events are off");
            if (eventSigner.Generated) lines.Add($"                (key made up for this run: ./run.sh writes {LocalEventSigner.PrivateKeySetting.Replace(":", "__", StringComparison.Ordinal)} to keep one)");
        }
        // The local identity provider: the worker validates bearer tokens against it unless Identity:Authority names another.
        var identity = app.Services.GetRequiredService<DevIdentitySettings>();
        var signingKey = app.Services.GetRequiredService<DevSigningKey>();
        lines.Add($"  Sign-in       {identity.Authority}  (local identity provider{(identity.TrustedByWorker ? $", audience {identity.Audience}" : "; the worker trusts the configured Identity:Authority instead")})");
        lines.Add($"                tokens for scripts: POST {root}{DevIdentityEndpoints.DevTokensPath} with the master key, body {{\"name\", \"email\", \"roles\"}}");
        lines.Add($"                (signing key {(signingKey.File is { } file ? "kept in " + file : "made up for this run: set LocalHost__DataFolder to keep one")})");
        lines.Add($"  Function key  {local.FunctionKey}   (header x-functions-key, or ?code=)");
        lines.Add($"  Master key    {local.MasterKey}   (admin: POST {root}/admin/functions/{{name}}, POST {root}/admin/sample-data)");
        if (local.KeysGenerated) lines.Add("                (made up for this run: set LocalHost__FunctionKey and LocalHost__MasterKey in local.settings.json to keep them)");
        lines.Add("");
        foreach (var http in functions.Http)
            lines.Add($"  {(http.Trigger.Methods is { } methods ? string.Join(",", methods).ToUpperInvariant() : "ANY"),-5} /{http.Pattern,-32} {http.Function.Name} [{http.Trigger.AuthLevel.ToString().ToLowerInvariant()}]{(http.Disabled ? " DISABLED" : "")}");
        foreach (var timer in functions.Timers)
            lines.Add($"  TIMER {timer.Schedule.Expression,-33} {timer.Function.Name}{(timer.Disabled ? " DISABLED" : $", next {timer.Schedule.Next(now):yyyy-MM-dd HH:mm:ss} UTC")}");
        lines.Add("");
        lines.Add("  Ctrl+C stops it.");
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
