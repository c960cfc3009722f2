using System.Net;
using System.Security.Cryptography;
using System.Text;
using Summit.Reminders.Meetings;

namespace Summit.LocalHost.DevIdentity;

/// <summary>A validated authorization request (RFC 6749 4.1.1 with RFC 7636 S256).</summary>
public sealed record AuthorizeRequest(string ClientId, string RedirectUri, string CodeChallenge, string? State, string? Scope);

/// <summary>The local sign-in form: no password, the developer says who they are and which roles they hold. Plain HTML
/// with labels and fieldsets, no script; light and dark; its only style is hashed into the Content-Security-Policy.</summary>
public static class SignInPage
{
    private const string Css = """
        :root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#4a5360;--line:#8a939e;--accent:#0b57d0;--error:#b3261e}
        @media (prefers-color-scheme:dark){:root{--fg:#e8eaed;--bg:#15181c;--muted:#b6bdc6;--line:#6c7580;--accent:#8ab4f8;--error:#f2b8b5}}
        body{font:16px/1.5 system-ui,"Noto Sans","Noto Sans CJK KR",sans-serif;color:var(--fg);background:var(--bg);margin:0}
        main{max-width:44rem;margin:0 auto;padding:1.5rem 1rem 3rem}
        h1{font-size:1.5rem;margin:0 0 .5rem}p{color:var(--muted)}
        label.field{display:block;font-weight:600;margin-top:1rem}
        input[type=text],input[type=email]{display:block;width:100%;box-sizing:border-box;font:inherit;padding:.5rem;margin-top:.25rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}
        fieldset{border:1px solid var(--line);border-radius:4px;margin-top:1rem;padding:.5rem 1rem 1rem}
        legend{font-weight:600;padding:0 .25rem}
        .roles{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.25rem 1rem}
        .roles label{display:flex;gap:.5rem;align-items:flex-start;padding:.25rem 0}
        input[type=checkbox]{width:1.1rem;height:1.1rem;margin-top:.2rem}
        .error{color:var(--error);font-weight:600;margin:.25rem 0 0}
        .actions{display:flex;gap:1rem;margin-top:1.5rem;flex-wrap:wrap}
        button{font:inherit;padding:.55rem 1.25rem;border-radius:4px;border:1px solid var(--accent);cursor:pointer}
        button.primary{background:var(--accent);color:var(--bg)}button.secondary{background:transparent;color:var(--accent)}
        :focus-visible{outline:3px solid var(--accent);outline-offset:2px}
        code{font-size:.95em}
        """;

    /// <summary>The CSP of the page: nothing but this style; the form may post here and lead to the client's origin.</summary>
    public static string ContentSecurityPolicy(string redirectUri)
    {
        var origin = new Uri(redirectUri).GetLeftPart(UriPartial.Authority);
        return $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))}'; " +
            $"form-action 'self' {origin}; frame-ancestors 'none'; base-uri 'none'";
    }

    public static string Render(AuthorizeRequest request, string name, string email, IReadOnlySet<string> roles, IReadOnlyDictionary<string, string> errors)
    {
        static string E(string? value) => WebUtility.HtmlEncode(value ?? "");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Sign in — Summit follow-ups (local)</title><style>").Append(Css).Append("</style></head><body><main>")
            .Append("<h1>Sign in — local identity provider</h1>")
            .Append("<p>For local development only: no password. Say who you are and which roles you hold; in Azure, Microsoft Entra ID signs you in and the roles come from the app's role assignments.</p>")
            .Append("<form method=\"post\" action=\"").Append(E(DevIdentitySettings.PathBase + "/authorize")).Append("\" novalidate>");
        foreach (var (field, value) in new[] { ("response_type", "code"), ("client_id", request.ClientId), ("redirect_uri", request.RedirectUri),
                     ("code_challenge", request.CodeChallenge), ("code_challenge_method", "S256"), ("state", request.State), ("scope", request.Scope) })
            if (value is not null) html.Append("<input type=\"hidden\" name=\"").Append(field).Append("\" value=\"").Append(E(value)).Append("\">");

        void Field(string id, string label, string type, string value, string autocomplete)
        {
            var error = errors.GetValueOrDefault(id);
            html.Append("<label class=\"field\" for=\"").Append(id).Append("\">").Append(label).Append("</label>")
                .Append("<input id=\"").Append(id).Append("\" name=\"").Append(id).Append("\" type=\"").Append(type).Append("\" value=\"").Append(E(value))
                .Append("\" autocomplete=\"").Append(autocomplete).Append("\" required");
            if (error is not null) html.Append(" aria-invalid=\"true\" aria-describedby=\"").Append(id).Append("-error\"");
            html.Append('>');
            if (error is not null) html.Append("<p class=\"error\" id=\"").Append(id).Append("-error\">").Append(E(error)).Append("</p>");
        }
        Field("name", "Display name", "text", name, "name");
        Field("email", "Email", "email", email, "email");

        void Roles(string legend, IEnumerable<(string Value, string Label)> items)
        {
            html.Append("<fieldset><legend>").Append(E(legend)).Append("</legend><div class=\"roles\">");
            foreach (var (value, label) in items)
            {
                html.Append("<label><input type=\"checkbox\" name=\"role\" value=\"").Append(E(value)).Append('"')
                    .Append(roles.Contains(value) ? " checked" : "").Append("><span>").Append(E(label)).Append("</span></label>");
            }
            html.Append("</div></fieldset>");
        }
        Roles("Coordinator of (read and change the track's meetings and commitments)", Tracks.All.Select(t => (DevRoles.CoordinatorOf(t.Id), $"Coordinator — {t.Name}")));
        Roles("Observer of (read only)", [(DevRoles.Observer, "Observer — every track"), .. Tracks.All.Select(t => (DevRoles.ObserverOf(t.Id), $"Observer — {t.Name}"))]);
        Roles("Operations", [(DevRoles.Operator, "Operator — dead letters and erasures")]);
        if (errors.GetValueOrDefault("roles") is { } rolesError) html.Append("<p class=\"error\">").Append(E(rolesError)).Append("</p>");

        html.Append("<div class=\"actions\"><button class=\"primary\" type=\"submit\">Sign in</button>")
            .Append("<button class=\"secondary\" type=\"submit\" name=\"cancel\" value=\"1\">Cancel</button></div>")
            .Append("<p>Signing in as <code>").Append(E(request.ClientId)).Append("</code> returns to <code>").Append(E(request.RedirectUri)).Append("</code>.</p>")
            .Append("</form></main></body></html>");
        return html.ToString();
    }
}
