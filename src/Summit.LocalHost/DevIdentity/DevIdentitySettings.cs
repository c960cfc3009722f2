namespace Summit.LocalHost.DevIdentity;

/// <summary>
/// Where the local identity provider lives and what the worker is told about it. With no <c>Identity:Authority</c> in the
/// settings, the local host points the worker at its own provider (the authority, the local API's audience, the console's
/// client id and scope), so bearer tokens are validated exactly as in Azure, only against this host's keys. A configured
/// authority (a real Entra ID tenant) is left alone: the provider still answers, but the worker does not trust it.
/// </summary>
public sealed record DevIdentitySettings(string Authority, string Audience, string ClientId, string Scope, bool TrustedByWorker)
{
    public const string PathBase = "/local-identity";
    public const string LocalAudience = "api://summit-followups-local";
    public const string LocalClientId = "summit-console-local";
    public const string ScopeName = "access_as_user";

    public const string AuthoritySetting = "Identity:Authority";
    public const string AudienceSetting = "Identity:Audience";
    public const string ClientIdSetting = "Identity:ConsoleClientId";
    public const string ScopesSetting = "Identity:ConsoleScopes";

    public string Origin => Authority[..^PathBase.Length];

    public static DevIdentitySettings Configure(IConfiguration configuration, LocalHostOptions local)
    {
        // The same origin participants' links get (LocalHostOptions.ApplyLinkDefaults): a wildcard address means loopback.
        var origin = $"http://{(local.Address is "0.0.0.0" or "::" ? "127.0.0.1" : local.Address)}:{local.Port}";
        var ours = new DevIdentitySettings(origin + PathBase, LocalAudience, LocalClientId, $"{LocalAudience}/{ScopeName}", TrustedByWorker: true);
        if (!string.IsNullOrWhiteSpace(configuration[AuthoritySetting]))
            return ours with { TrustedByWorker = false };
        configuration[AuthoritySetting] = ours.Authority;
        configuration[AudienceSetting] = ours.Audience;
        configuration[ClientIdSetting] = ours.ClientId;
        configuration[ScopesSetting] = ours.Scope;
        return ours;
    }

    /// <summary>Whether a redirect URI is on this host's own origin (any loopback name for its address, same port, http).</summary>
    public bool IsOwnRedirect(string value, LocalHostOptions local)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
            return false;
        if (uri.Port != local.Port) return false;
        var host = uri.Host.Trim('[', ']');
        var loopbackHost = local.Address is "0.0.0.0" or "::" || System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(local.Address));
        return (loopbackHost && host is "localhost" or "127.0.0.1" or "::1") || host == local.Address;
    }
}
