using System.ComponentModel.DataAnnotations;

namespace Summit.Reminders.Participation;

/// <summary>
/// Settings section "Links": where participants' acknowledge and unsubscribe links point, and the keys that sign them.
/// Rotation: put a new key in <see cref="SigningKey"/> and the old one in <see cref="PreviousSigningKey"/>; links signed
/// with either are accepted, new links are signed with the new one. Remove the old key once its links have expired.
/// </summary>
public sealed class LinkOptions : IValidatableObject
{
    public const string Section = "Links";
    public const int MinKeyLength = 32;

    /// <summary>The app's public address, such as https://summit-reminders.azurewebsites.net (links add /api/p/...).</summary>
    [Required]
    public string BaseUrl { get; set; } = "";

    /// <summary>Signs new links and checks them. At least 32 characters of secret (a Key Vault reference in Azure).</summary>
    [Required]
    public string SigningKey { get; set; } = "";

    /// <summary>The key before the last rotation: still accepted, never used to sign.</summary>
    public string? PreviousSigningKey { get; set; }

    /// <summary>Links stay valid this long after the meeting ends (an unsubscribe link in an old email still works for a while).</summary>
    public TimeSpan ValidAfterMeeting { get; set; } = TimeSpan.FromDays(7);

    public static bool IsUnresolvedReference(string? value) => value?.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            yield return new ValidationResult("Links:BaseUrl must be the app's absolute http(s) address.", [nameof(BaseUrl)]);
        // In Azure these are Key Vault references; one that could not be resolved arrives as its own text, which is
        // public: it must never become a signing key.
        if (IsUnresolvedReference(SigningKey) || IsUnresolvedReference(PreviousSigningKey))
            yield return new ValidationResult("Links:SigningKey or Links:PreviousSigningKey is a Key Vault reference that was not resolved: set the secret (docs/deploy.md) and check the app's identity can read it.");
        else if (SigningKey.Length < MinKeyLength)
            yield return new ValidationResult($"Links:SigningKey must be at least {MinKeyLength} characters.", [nameof(SigningKey)]);
        if (!string.IsNullOrEmpty(PreviousSigningKey) && PreviousSigningKey.Length < MinKeyLength)
            yield return new ValidationResult($"Links:PreviousSigningKey must be empty or at least {MinKeyLength} characters.", [nameof(PreviousSigningKey)]);
        if (ValidAfterMeeting < TimeSpan.Zero)
            yield return new ValidationResult("Links:ValidAfterMeeting must not be negative.", [nameof(ValidAfterMeeting)]);
    }
}
