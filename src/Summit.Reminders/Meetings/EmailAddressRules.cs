using System.Globalization;

namespace Summit.Reminders.Meetings;

/// <summary>
/// The addresses every hop can carry: SendGrid (ASCII only), the calendar invitation (a mailto: URI), MIME headers and
/// mail servers. A local part is an ASCII dot-atom (RFC 5322 §3.2.3) without '%' (source routing) and without an RFC 2047
/// encoded word; the domain is LDH labels (RFC 1035/5890), a Unicode domain converted to its punycode form (IDNA). No
/// quoted strings, IP literals, comments or display names; nothing invisible (controls, format and separator characters).
/// docs/api.md states the grammar.
/// </summary>
public static class EmailAddressRules
{
    public const int MaxLength = 254;
    public const int LocalPartMaxLength = 64;
    private const string LocalSpecials = "!#$&'*+-/=?^_`{|}~";
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>The address as stored and sent (its domain in punycode), or an explanation of what is wrong.</summary>
    public static bool TryNormalize(string? value, out string address, out string error)
    {
        address = "";
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = "is required";
            return false;
        }
        if (text.Any(c => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned))
        {
            error = "must not contain spaces or invisible characters (control, format or separator characters such as U+200B or U+202E)";
            return false;
        }
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1 || text.IndexOf('@') != at)
        {
            error = "must be one address like name@example.org (one '@', no display name)";
            return false;
        }
        var local = text[..at];
        var domain = text[(at + 1)..];
        if (!LocalPartIsValid(local, out error)) return false;
        if (!TryDomain(domain, out var asciiDomain, out error)) return false;
        address = local + "@" + asciiDomain;
        if (address.Length > MaxLength)
        {
            error = $"must be at most {MaxLength} characters (with its domain in punycode)";
            address = "";
            return false;
        }
        return true;
    }

    private static bool LocalPartIsValid(string local, out string error)
    {
        error = "";
        if (local.Any(c => c > 127))
            error = "must have a name part (before '@') in ASCII letters, digits and . _ - + ' and the like: mail systems cannot all carry other characters there";
        else if (local.Length > LocalPartMaxLength)
            error = $"must have a name part (before '@') of at most {LocalPartMaxLength} characters";
        else if (local.Contains("=?", StringComparison.Ordinal))
            error = "must not contain an encoded word (=?...?=) before '@'";
        else if (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
            error = "must not start or end its name part with '.' or have two dots in a row";
        else if (local.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '.' && !LocalSpecials.Contains(c)))
            error = "must not contain quotes, brackets, commas, semicolons, '%', '\\' or spaces before '@' (only letters, digits and . _ - + ' and the like)";
        return error.Length == 0;
    }

    private static bool TryDomain(string domain, out string ascii, out string error)
    {
        ascii = "";
        error = "must have a domain of letters, digits and hyphens such as example.org (no IP address in brackets, no '%')";
        if (domain.StartsWith('[')) return false;
        try
        {
            ascii = Idn.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }
        var labels = ascii.Split('.');
        if (labels.Length < 2 || ascii.Length > 253) return false;
        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-') || label.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
                return false;
        }
        // A top-level domain is never all digits: a@127.0.0.1 is an IP address in disguise.
        if (labels[^1].All(char.IsAsciiDigit)) return false;
        error = "";
        return true;
    }
}
