using System.Text.RegularExpressions;

namespace Summit.Reminders.Email;

/// <summary>Text that goes where people's data must not (the ledger's reasons, dead letters, logs) passes through here.</summary>
public static partial class PersonalData
{
    /// <summary><paramref name="text"/> with anything shaped like an email address replaced by "[address]": an exception's
    /// text or a provider's error may quote one.</summary>
    public static string WithoutAddresses(string text) => Address().Replace(text, "[address]");

    [GeneratedRegex(@"[^\s<>""'(),;:]+@[^\s<>""'(),;:]+")]
    private static partial Regex Address();
}
