using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Summit.LocalHost.DevIdentity;

/// <summary>
/// The local identity provider's RSA signing key. Kept as PKCS#8 PEM in <c>{LocalHost:DataFolder}/identity/signing-key.pem</c>
/// (readable by the owner only, git-ignored with the folder), so tokens and signed-in consoles survive a restart; with no data
/// folder, a key for this run. Its <c>kid</c> is the RFC 7638 thumbprint of the public key. Never logged or printed.
/// </summary>
public sealed class DevSigningKey : IDisposable
{
    public const string FileName = "signing-key.pem";
    private readonly RSA _rsa;

    private DevSigningKey(RSA rsa, string? file)
    {
        _rsa = rsa;
        File = file;
        using var publicOnly = RSA.Create(rsa.ExportParameters(includePrivateParameters: false));
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(publicOnly.ExportParameters(false)));
        KeyId = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
        Public = new PublicJwk("RSA", "sig", KeyId, SecurityAlgorithms.RsaSha256, jwk.N, jwk.E);
        Signing = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256);
    }

    public string KeyId { get; }

    /// <summary>The file the key is kept in; null when it lives for this run only.</summary>
    public string? File { get; }

    public PublicJwk Public { get; }

    public SigningCredentials Signing { get; }

    public static DevSigningKey LoadOrCreate(string? dataFolder)
    {
        if (string.IsNullOrWhiteSpace(dataFolder)) return new DevSigningKey(RSA.Create(2048), null);
        var folder = Path.Combine(Path.GetFullPath(dataFolder), "identity");
        var file = Path.Combine(folder, FileName);
        var rsa = RSA.Create();
        if (System.IO.File.Exists(file))
        {
            rsa.ImportFromPem(System.IO.File.ReadAllText(file));
            return new DevSigningKey(rsa, file);
        }
        Directory.CreateDirectory(folder);
        rsa.Dispose();
        rsa = RSA.Create(2048);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var writer = new StreamWriter(file, System.Text.Encoding.ASCII, options);
            writer.Write(rsa.ExportPkcs8PrivateKeyPem());
        }
        catch (IOException) when (System.IO.File.Exists(file))
        {
            // Another host on the same folder wrote one first: use that.
            rsa.Dispose();
            rsa = RSA.Create();
            rsa.ImportFromPem(System.IO.File.ReadAllText(file));
        }
        return new DevSigningKey(rsa, file);
    }

    public void Dispose() => _rsa.Dispose();
}

/// <summary>The public half as a JWK of the key set: no private member can reach it.</summary>
public sealed record PublicJwk(
    [property: System.Text.Json.Serialization.JsonPropertyName("kty")] string Kty,
    [property: System.Text.Json.Serialization.JsonPropertyName("use")] string Use,
    [property: System.Text.Json.Serialization.JsonPropertyName("kid")] string Kid,
    [property: System.Text.Json.Serialization.JsonPropertyName("alg")] string Alg,
    [property: System.Text.Json.Serialization.JsonPropertyName("n")] string N,
    [property: System.Text.Json.Serialization.JsonPropertyName("e")] string E);
