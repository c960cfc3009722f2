namespace Summit.Functions.Identity;

/// <summary>
/// Coordinators' sign-in (section <c>Identity</c>). <see cref="Authority"/> is the Entra ID tenant's v2.0 authority,
/// <c>https://login.microsoftonline.com/{tenant-id}/v2.0</c>; its OpenID Connect metadata gives the issuer and the signing
/// keys (refreshed as Entra ID rotates them). Empty: nobody signs in, only automation keys open the API. The local host
/// points it at its own development issuer (docs/local-development.md), over http on loopback only.
/// </summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    public string? Authority { get; set; }

    /// <summary>The audiences a token must be for, separated by spaces: the API's application ID URI
    /// (<c>api://summit-followups</c>) and/or its client id (what Entra ID puts in <c>aud</c> of a v2.0 token).</summary>
    public string? Audience { get; set; }

    /// <summary>The console's client id (a single-page application registration) and the scopes it asks for.</summary>
    public string? ConsoleClientId { get; set; }

    public string? ConsoleScopes { get; set; }

    public IReadOnlyList<string> Audiences => Split(Audience);

    internal static IReadOnlyList<string> Split(string? value) =>
        (value ?? "").Split([' ', ';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Keys for automation (scripts, CI, other systems), section <c>Automation:Keys:{name}</c> with <c>Secret</c> (in Azure a
/// Key Vault reference) and <c>Roles</c> (the same role values as app roles, separated by spaces). A caller presents the
/// secret in <c>x-functions-key</c> or <c>?code=</c>, the headers the Functions host uses for its own keys; the audit
/// trail records the key's name.
/// </summary>
public sealed class AutomationOptions
{
    public const string Section = "Automation";

    public Dictionary<string, AutomationKey> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The keys infra/ provisions (its secret in Key Vault as <c>automation-key</c>); others may be added.</summary>
    public static readonly IReadOnlyList<string> Provisioned = ["automation"];

    /// <summary>Shorter secrets are ignored: a key must not be guessable.</summary>
    public const int MinimumSecretLength = 16;
}

public sealed class AutomationKey
{
    public string? Secret { get; set; }
    public string? Roles { get; set; }
}
