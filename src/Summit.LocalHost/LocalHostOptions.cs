using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace Summit.LocalHost;

/// <summary>Settings section "LocalHost": where the local host listens and the keys it enforces.</summary>
public sealed class LocalHostOptions
{
    public const string Section = "LocalHost";
    public const string PortKey = "LocalHost:Port";

    /// <summary>The address to listen on; a loopback address unless <see cref="AllowRemote"/>.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Listening on a non-loopback address exposes participants' data and the admin API: an explicit choice.</summary>
    public bool AllowRemote { get; set; }
    public int Port { get; set; } = 7071;

    /// <summary>The key for <see cref="AuthorizationLevel.Function"/> endpoints. Empty: a random one for this run.</summary>
    public string? FunctionKey { get; set; }

    /// <summary>The master key: admin endpoints, and every function endpoint. Empty: a random one for this run.</summary>
    public string? MasterKey { get; set; }

    /// <summary>The pickup folder reports a <c>processed</c> and a <c>delivered</c> event for each email it writes, signed,
    /// to this host's Event Webhook, so delivery status shows locally as it does with SendGrid. On by default.</summary>
    public bool PickupEvents { get; set; } = true;

    /// <summary>The private half of the local Event Webhook key (base64 PKCS#8, P-256), whose public half is
    /// <c>EventWebhook:PublicKey</c>; <c>run.sh</c> writes both. Empty with no public key: a pair for this run. Never logged.</summary>
    public string? EventWebhookPrivateKey { get; set; }

    /// <summary>Where the local host keeps what must outlive a run (the local identity provider's signing key), relative to
    /// the working directory; git-ignored. Empty: nothing is kept, a key is made up per run.</summary>
    public string? DataFolder { get; set; } = ".local";

    /// <summary>Soak and rehearsal runs only: "now" can be moved forward with POST /admin/clock (see <see cref="ShiftedClock"/>).</summary>
    public bool ShiftableClock { get; set; }

    /// <summary>True when a key was not configured and was made up for this run.</summary>
    public bool KeysGenerated { get; private set; }

    public static LocalHostOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<LocalHostOptions>() ?? new LocalHostOptions();
        if (int.TryParse(configuration["port"], out var port)) options.Port = port;
        if (string.IsNullOrWhiteSpace(options.FunctionKey)) (options.FunctionKey, options.KeysGenerated) = (NewKey(), true);
        if (string.IsNullOrWhiteSpace(options.MasterKey)) (options.MasterKey, options.KeysGenerated) = (NewKey(), true);
        if (options.FunctionKey == options.MasterKey) throw new InvalidOperationException("LocalHost:FunctionKey and LocalHost:MasterKey must differ.");
        if (!System.Net.IPAddress.TryParse(options.Address, out var address))
            throw new InvalidOperationException($"LocalHost:Address '{options.Address}' is not an IP address.");
        if (!System.Net.IPAddress.IsLoopback(address) && !options.AllowRemote)
            throw new InvalidOperationException(
                $"LocalHost:Address {options.Address} is not a loopback address. The local host is for local use; set LocalHost:AllowRemote=true to expose it anyway.");
        return options;
    }

    /// <summary>
    /// Participants' links must reach this host: a loopback <c>Links:BaseUrl</c> (or none) becomes this host's own address
    /// and port. With no <c>Links:SigningKey</c>, one is made up for this run (links from earlier runs stop working).
    /// </summary>
    public static void ApplyLinkDefaults(IConfiguration configuration, LocalHostOptions local)
    {
        var configured = configuration["Links:BaseUrl"];
        if (string.IsNullOrWhiteSpace(configured)
            || (Uri.TryCreate(configured, UriKind.Absolute, out var uri) && uri.IsLoopback && uri.Port != local.Port))
            configuration["Links:BaseUrl"] = $"http://{(local.Address is "0.0.0.0" or "::" ? "127.0.0.1" : local.Address)}:{local.Port}";
        if (string.IsNullOrWhiteSpace(configuration["Links:SigningKey"]))
        {
            configuration["Links:SigningKey"] = NewKey() + NewKey();
            local.KeysGenerated = true;
        }
    }

    /// <summary>
    /// The local function and master keys are the worker's automation keys <c>function-key</c> (every track, to read and
    /// change) and <c>master-key</c> (every track and operator), as the host's keys opened those routes before sign-in:
    /// the worker checks them, like every credential (the triggers are anonymous to the host). Keys configured under
    /// <c>Automation:Keys</c> in local.settings.json stay as they are.
    /// </summary>
    public static void ApplyAutomationKeys(IConfiguration configuration, LocalHostOptions local)
    {
        static void Key(IConfiguration configuration, string name, string secret, string roles)
        {
            if (!string.IsNullOrEmpty(configuration[$"Automation:Keys:{name}:Secret"])) return;
            configuration[$"Automation:Keys:{name}:Secret"] = secret;
            configuration[$"Automation:Keys:{name}:Roles"] = roles;
        }
        Key(configuration, "function-key", local.FunctionKey!, "coordinator.* observer");
        Key(configuration, "master-key", local.MasterKey!, "coordinator.* observer operator");
    }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');

    /// <summary>The key a request presents, as the Functions host reads it: header <c>x-functions-key</c>, else query <c>code</c>.</summary>
    public static string? PresentedKey(HttpRequest request) =>
        request.Headers.TryGetValue("x-functions-key", out var header) && header.Count > 0 ? header.ToString()
        : request.Query.TryGetValue("code", out var code) && code.Count > 0 ? code.ToString()
        : null;

    /// <summary>Whether a request may call an endpoint of this level. The master key opens every level.</summary>
    public bool Allows(HttpRequest request, AuthorizationLevel level)
    {
        if (level == AuthorizationLevel.Anonymous) return true;
        var presented = PresentedKey(request);
        if (presented is null) return false;
        if (Same(presented, MasterKey!)) return true;
        return level == AuthorizationLevel.Function && Same(presented, FunctionKey!);
    }

    internal static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));
}
