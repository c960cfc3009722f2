using System.Text.Json;
using Summit.Reminders.Identity;
using Summit.Reminders.Meetings;

namespace Summit.Infra.Tests;

/// <summary>The app registration scripts/entra-app.sh applies (infra/entra/app-registration.json) defines exactly the
/// roles the worker understands, one per track for coordinators and observers, so a role assigned in Entra ID always
/// grants what docs/deploy.md says.</summary>
public sealed class EntraAppTests
{
    private static JsonElement Registration() => JsonDocument.Parse(File.ReadAllText(
        Path.Combine(Summit.TestSupport.Repository.Root, "infra", "entra", "app-registration.json"))).RootElement;

    [Fact]
    public void TheAppRolesAreEveryRoleTheWorkerGrantsAndEachGrantsSomething()
    {
        var roles = Registration().GetProperty("appRoles").EnumerateArray().ToList();
        var values = roles.Select(r => r.GetProperty("value").GetString()!).ToList();
        var expected = Tracks.All.Select(t => Access.CoordinatorPrefix + t.Id)
            .Concat(Tracks.All.Select(t => Access.ObserverPrefix + t.Id))
            .Append(Access.Observer).Append(Access.Operator);
        Assert.Equal(expected.Order(), values.Order());
        foreach (var value in values) Assert.Equal([value], Access.FromRoles([value]).Roles);

        var ids = roles.Select(r => Guid.Parse(r.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(roles, r => Assert.True(r.GetProperty("isEnabled").GetBoolean()));
        Assert.All(roles, r => Assert.Contains("User", r.GetProperty("allowedMemberTypes").EnumerateArray().Select(m => m.GetString())));
    }

    [Fact]
    public void TheConsoleAsksForTheScopeTheRegistrationDefinesAndTokensAreVersion2()
    {
        var api = Registration().GetProperty("api");
        Assert.Equal(2, api.GetProperty("requestedAccessTokenVersion").GetInt32());
        Assert.Equal("access_as_user", Assert.Single(api.GetProperty("oauth2PermissionScopes").EnumerateArray()).GetProperty("value").GetString());
        var settings = Template.AppSettings();
        Assert.Contains("/access_as_user", settings["Identity__ConsoleScopes"].GetRawText());
        Assert.Contains("/v2.0", settings["Identity__Authority"].GetRawText());
    }
}
