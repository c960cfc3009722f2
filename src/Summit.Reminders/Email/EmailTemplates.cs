using System.Collections.Concurrent;
using System.Reflection;
using Fluid;

namespace Summit.Reminders.Email;

/// <summary>
/// The Liquid templates of the emails (Fluid), embedded in this assembly under Email/Templates: one HTML and one
/// plain-text template per kind, shared by every language (the words come from <see cref="EmailLanguage"/>).
/// Values are HTML-encoded (<see cref="HtmlEncode"/>) before they reach an HTML template, so markup in a title or an agenda shows
/// as text, and written as they are into the text ones.
/// </summary>
public static class EmailTemplates
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { FileProvider = new EmbeddedTemplateFiles() };
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new();

    /// <summary>Renders <c>{kind}.html.liquid</c> and <c>{kind}.txt.liquid</c> with the given values.</summary>
    public static (string Html, string Text) Render(string kind, IReadOnlyDictionary<string, string?> values,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>? lists = null) =>
        (Render($"{kind}.html.liquid", values, HtmlEncode, lists), Render($"{kind}.txt.liquid", values, v => v, lists));

    /// <summary>Renders the HTML-only template <c>{kind}.html.liquid</c> (a web page) with the given values.</summary>
    public static string RenderHtml(string kind, IReadOnlyDictionary<string, string?> values,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>? lists = null) =>
        Render($"{kind}.html.liquid", values, HtmlEncode, lists);

    /// <summary>Escapes the five characters that matter in HTML text and quoted attributes, and nothing else, so Korean
    /// and Turkish stay readable in the source (WebUtility would write ç and ü as numeric entities).</summary>
    public static string HtmlEncode(string value) => value
        .Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    private static string Render(string name, IReadOnlyDictionary<string, string?> values, Func<string, string> encode,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>? lists = null)
    {
        var template = Parsed.GetOrAdd(name, Load);
        var context = new TemplateContext(Options);
        // A missing value stays undefined (nil, so "{% if %}" is false): in Liquid an empty string would count as true.
        foreach (var (key, value) in values)
            if (value is not null) context.SetValue(key, encode(value));
        foreach (var (key, items) in lists ?? new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>())
            context.SetValue(key, items.Select(item => item.ToDictionary(f => f.Key, f => (object)encode(f.Value))).ToList());
        return template.Render(context, NullEncoder.Default);
    }

    private static IFluidTemplate Load(string name)
    {
        var resource = $"Summit.Reminders.Email.Templates.{name}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The email template {resource} is not embedded.");
        using var reader = new StreamReader(stream);
        return Parser.TryParse(reader.ReadToEnd(), out var template, out var error)
            ? template
            : throw new InvalidOperationException($"The email template {name} does not parse: {error}");
    }

    /// <summary>Lets templates share parts with <c>{% include 'details.html' %}</c>: the parts are embedded resources too.</summary>
    private sealed class EmbeddedTemplateFiles : Microsoft.Extensions.FileProviders.IFileProvider
    {
        public Microsoft.Extensions.FileProviders.IFileInfo GetFileInfo(string subpath)
        {
            var name = subpath.TrimStart('/');
            if (!name.EndsWith(".liquid", StringComparison.Ordinal)) name += ".liquid";
            var resource = $"Summit.Reminders.Email.Templates.{name}";
            return Assembly.GetExecutingAssembly().GetManifestResourceInfo(resource) is null
                ? new Microsoft.Extensions.FileProviders.NotFoundFileInfo(name)
                : new Resource(resource, name);
        }

        public Microsoft.Extensions.FileProviders.IDirectoryContents GetDirectoryContents(string subpath) =>
            Microsoft.Extensions.FileProviders.NotFoundDirectoryContents.Singleton;

        public Microsoft.Extensions.Primitives.IChangeToken Watch(string filter) => Microsoft.Extensions.FileProviders.NullChangeToken.Singleton;

        private sealed class Resource(string resource, string name) : Microsoft.Extensions.FileProviders.IFileInfo
        {
            public bool Exists => true;
            public long Length => -1;
            public string? PhysicalPath => null;
            public string Name => name;
            public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;
            public bool IsDirectory => false;
            public Stream CreateReadStream() => Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!;
        }
    }
}
