using Azure.Core;
using Azure.Identity;

namespace Summit.Reminders.Infrastructure;

/// <summary>
/// How a section connects to an Azure service: a connection string (local runs, Azurite), or the service's address and
/// an identity (Azure: no key anywhere). The identity settings follow the Functions host's convention for
/// identity-based connections: <c>{Section}__credential</c> = <c>managedidentity</c> with <c>{Section}__clientId</c>
/// for a user-assigned identity; without <c>credential</c>, <see cref="DefaultAzureCredential"/> (the developer's
/// Azure CLI login, for example).
/// </summary>
public static class AzureConnection
{
    public const string ManagedIdentity = "managedidentity";

    public static TokenCredential Credential(string? credential, string? clientId)
    {
        if (string.Equals(credential, ManagedIdentity, StringComparison.OrdinalIgnoreCase))
            return new ManagedIdentityCredential(string.IsNullOrEmpty(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId));
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrEmpty(clientId) ? null : clientId });
    }

    /// <summary>Validation shared by the options classes: exactly one way to connect, and a usable address.</summary>
    public static IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(
        string section, string? connectionString, string addressName, string? address, string? credential)
    {
        var hasString = !string.IsNullOrWhiteSpace(connectionString);
        var hasAddress = !string.IsNullOrWhiteSpace(address);
        if (hasString == hasAddress)
            yield return new($"{section}: set either {section}:ConnectionString (local runs) or {section}:{addressName} with an identity (Azure), not {(hasString ? "both" : "neither")}.");
        if (hasAddress && addressName.EndsWith("Uri", StringComparison.Ordinal)
            && (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != "https"))
            yield return new($"{section}:{addressName} must be an absolute https address.");
        if (!string.IsNullOrEmpty(credential) && !string.Equals(credential, ManagedIdentity, StringComparison.OrdinalIgnoreCase))
            yield return new($"{section}:credential must be empty or '{ManagedIdentity}'.");
    }
}
