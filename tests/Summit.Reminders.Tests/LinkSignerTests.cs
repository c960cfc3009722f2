using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Summit.Reminders.Participation;

namespace Summit.Reminders.Tests;

public class LinkSignerTests
{
    private const string KeyA = "key-A-0123456789abcdef0123456789abcdef";
    private const string KeyB = "key-B-fedcba9876543210fedcba9876543210";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly LinkClaims Claims = new("m1", "pa", ParticipantAction.Acknowledge, Now.AddDays(10));
    private readonly FakeTimeProvider _time = new(Now);

    private LinkSigner Signer(string key, string? previous = null) =>
        new(Options.Create(new LinkOptions { BaseUrl = "https://x.example", SigningKey = key, PreviousSigningKey = previous }), _time);

    [Fact]
    public void ASignedTokenComesBackWithItsClaims() =>
        Assert.Equal(Claims, Assert.IsType<LinkCheck.Valid>(Signer(KeyA).Check(Signer(KeyA).Sign(Claims))).Claims);

    [Fact]
    public void AnyChangedCharacterBreaksTheSignature()
    {
        var token = Signer(KeyA).Sign(Claims);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '.') continue;
            var changed = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.IsType<LinkCheck.Invalid>(Signer(KeyA).Check(changed));
        }
    }

    [Fact]
    public void ClaimsForAnotherParticipantWithTheOriginalSignatureAreRefused()
    {
        var mine = Signer(KeyA).Sign(Claims).Split('.');
        var theirs = Signer(KeyB).Sign(Claims with { ParticipantId = "pb" }).Split('.');
        var forged = string.Join('.', mine[0], mine[1], theirs[2], mine[3]);
        Assert.Equal(LinkProblem.BadSignature, Assert.IsType<LinkCheck.Invalid>(Signer(KeyA).Check(forged)).Problem);
    }

    [Fact]
    public void AnExpiredTokenSaysSo()
    {
        var token = Signer(KeyA).Sign(Claims);
        _time.SetUtcNow(Claims.ExpiresAt);
        Assert.Equal(LinkProblem.Expired, Assert.IsType<LinkCheck.Invalid>(Signer(KeyA).Check(token)).Problem);
    }

    [Fact]
    public void AfterRotationTokensOfBothKeysAreAcceptedAndNewOnesUseTheNewKey()
    {
        var old = Signer(KeyA).Sign(Claims);
        var rotated = Signer(KeyB, previous: KeyA);
        Assert.IsType<LinkCheck.Valid>(rotated.Check(old));
        var fresh = rotated.Sign(Claims);
        Assert.IsType<LinkCheck.Valid>(rotated.Check(fresh));
        // Once the old key is retired, its tokens stop working; the new key's go on.
        Assert.Equal(LinkProblem.BadSignature, Assert.IsType<LinkCheck.Invalid>(Signer(KeyB).Check(old)).Problem);
        Assert.IsType<LinkCheck.Valid>(Signer(KeyB).Check(fresh));
        // A key that was never configured signs nothing we accept.
        Assert.IsType<LinkCheck.Invalid>(Signer(KeyA).Check(fresh));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1")]
    [InlineData("v1.x.y.z")]
    [InlineData("v2.a.b.c")]
    [InlineData("not a token at all")]
    public void GarbageIsMalformedOrBadlySigned(string? token) =>
        Assert.IsType<LinkCheck.Invalid>(Signer(KeyA).Check(token));

    [Fact]
    public void TheTokenIsSafeInAUrlAndCarriesNoEmailAddress()
    {
        var token = Signer(KeyA).Sign(Claims);
        Assert.Equal(Uri.EscapeDataString(token), token);
        Assert.DoesNotContain("@", token);
        Assert.DoesNotContain(KeyA, token);
    }
}
