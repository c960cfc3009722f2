using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Summit.LocalHost.DeliveryEvents;
using Summit.Reminders.Infrastructure.SendGrid;

namespace Summit.LocalHost.Tests;

/// <summary>The local Event Webhook key: which key pair a run uses, and that what it signs is what the app's verification
/// (the SendGrid SDK's, as in Azure) accepts.</summary>
public sealed class LocalEventSignerTests
{
    private static IConfiguration Configuration(string? publicKey = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [LocalEventSigner.PublicKeySetting] = publicKey }).Build();

    private static bool Accepted(string publicKey, SignedEvents signed, DateTimeOffset now)
    {
        var webhook = new SendGridEventWebhook(Options.Create(new EventWebhookOptions { PublicKey = publicKey }), new FakeTimeProvider(now));
        return webhook.Read(signed.Body, signed.Signature, signed.Timestamp).Refusal is null;
    }

    private const string Body = """[{"event":"delivered","reminder_id":"m1.p.invite.x","meeting_id":"m1","timestamp":1,"sg_event_id":"e1"}]""";

    [Fact]
    public void WithNoKeysAPairIsMadeForTheRunAndTheAppVerifiesWithItsPublicHalf()
    {
        var configuration = Configuration();
        using var signer = LocalEventSigner.Configure(configuration, new LocalHostOptions())!;
        Assert.True(signer.Generated);
        Assert.Equal(signer.PublicKey, configuration[LocalEventSigner.PublicKeySetting]);
        var now = DateTimeOffset.UtcNow;
        Assert.True(Accepted(configuration[LocalEventSigner.PublicKeySetting]!, signer.Sign(Body, now), now));
        Assert.False(Accepted(configuration[LocalEventSigner.PublicKeySetting]!, signer.Sign(Body, now), now.AddMinutes(6)));
        Assert.False(Accepted(configuration[LocalEventSigner.PublicKeySetting]!, signer.Sign(Body, now) with { Body = Body.Replace("delivered", "bounce", StringComparison.Ordinal) }, now));
    }

    [Fact]
    public void APrivateKeyAloneGivesThePublicKeyAndAMatchingPairIsKept()
    {
        var privateKey = LocalEventSigner.NewPrivateKey();
        var configuration = Configuration();
        using var signer = LocalEventSigner.Configure(configuration, new LocalHostOptions { EventWebhookPrivateKey = privateKey })!;
        Assert.False(signer.Generated);
        var publicKey = configuration[LocalEventSigner.PublicKeySetting]!;
        using var again = LocalEventSigner.Configure(Configuration(publicKey), new LocalHostOptions { EventWebhookPrivateKey = privateKey })!;
        Assert.Equal(publicKey, again.PublicKey);
        var now = DateTimeOffset.UtcNow;
        Assert.True(Accepted(publicKey, again.Sign(Body, now), now));
    }

    [Fact]
    public void AMismatchedPairStopsTheStartWithoutShowingEitherKey()
    {
        var privateKey = LocalEventSigner.NewPrivateKey();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherPublic = Convert.ToBase64String(other.ExportSubjectPublicKeyInfo());
        var error = Assert.Throws<InvalidOperationException>(() => LocalEventSigner.Configure(Configuration(otherPublic), new LocalHostOptions { EventWebhookPrivateKey = privateKey }));
        Assert.Contains("are not one key pair", error.Message);
        Assert.DoesNotContain(privateKey[..20], error.Message);
        Assert.DoesNotContain(otherPublic[..20], error.Message);

        var garbage = Assert.Throws<InvalidOperationException>(() => LocalEventSigner.Configure(Configuration(), new LocalHostOptions { EventWebhookPrivateKey = "not-a-key-at-all" }));
        Assert.DoesNotContain("not-a-key-at-all", garbage.Message);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Throws<InvalidOperationException>(() => LocalEventSigner.Configure(Configuration(),
            new LocalHostOptions { EventWebhookPrivateKey = Convert.ToBase64String(p384.ExportPkcs8PrivateKey()) }));
    }

    [Fact]
    public void SendGridsPublicKeyAloneMeansNothingIsSignedLocally()
    {
        using var sendGrid = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var configuration = Configuration(Convert.ToBase64String(sendGrid.ExportSubjectPublicKeyInfo()));
        Assert.Null(LocalEventSigner.Configure(configuration, new LocalHostOptions()));
    }
}
