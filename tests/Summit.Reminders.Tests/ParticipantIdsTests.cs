using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Summit.Reminders.Participation;

namespace Summit.Reminders.Tests;

public class ParticipantIdsTests
{
    private const string Key = "first-link-signing-key-0123456789abcdef";
    private const string NextKey = "second-link-signing-key-0123456789abcdef";

    private static ParticipantIds Ids(string key, string? previous = null) =>
        new(Options.Create(new LinkOptions { BaseUrl = "https://example.org", SigningKey = key, PreviousSigningKey = previous }));

    [Fact]
    public void TheSameAddressInAnyCaseGetsTheSameIdUnderOneKey() =>
        Assert.Equal(Ids(Key).For("Ayse@Example.org"), Ids(Key).For("ayse@example.org"));

    [Fact]
    public void NobodyWithoutTheKeyCanComputeAnIdFromAnAddress()
    {
        var unkeyed = "p" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("ayse@example.org")))[..15];
        var keyed = Ids(Key).For("ayse@example.org");
        Assert.NotEqual(unkeyed, keyed);
        Assert.NotEqual(keyed, Ids(NextKey).For("ayse@example.org")); // another key, another id
        Assert.Matches("^p[0-9a-f]{15}$", keyed);
        Assert.NotEqual(keyed, Ids(Key).For("jiho@example.org"));
    }

    [Fact]
    public void TheCandidatesCoverTheCurrentAndPreviousKeyAndTheUnkeyedIdsOfOlderMeetings()
    {
        var unkeyed = "p" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("ayse@example.org")))[..15];
        var rotated = Ids(NextKey, previous: Key);
        Assert.Equal([rotated.For("ayse@example.org"), Ids(Key).For("ayse@example.org"), unkeyed], rotated.Candidates("Ayse@example.org"));
    }
}
