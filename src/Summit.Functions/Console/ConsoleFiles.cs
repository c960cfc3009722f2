using System.Reflection;
using System.Security.Cryptography;

namespace Summit.Functions.Console;

/// <summary>One file of the console, read once from the assembly: its bytes, content type and strong ETag.</summary>
public sealed record ConsoleFile(string Name, byte[] Content, string ContentType, string ETag);

/// <summary>
/// The coordinator console's files: plain HTML, CSS and JavaScript modules embedded in this assembly (Console/assets,
/// no build chain), so the console is exactly the version of the API it is deployed with.
/// </summary>
public sealed class ConsoleFiles
{
    public const string ResourcePrefix = "console/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".json"] = "application/json; charset=utf-8",
    };

    private readonly Dictionary<string, ConsoleFile> _files = new(StringComparer.Ordinal);

    public ConsoleFiles()
    {
        var assembly = typeof(ConsoleFiles).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var name = resource[ResourcePrefix.Length..];
            var content = buffer.ToArray();
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name))
                ?? throw new InvalidOperationException($"Console file {name} has no known content type.");
            _files[name] = new ConsoleFile(name, content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
        }
    }

    public IReadOnlyCollection<string> Names => _files.Keys;

    public ConsoleFile? Find(string name) => _files.GetValueOrDefault(name);
}
