using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Summit.Reminders.Participation;

/// <summary>
/// Participant ids: an HMAC-SHA256 of the normalised address under a key derived from the link signing key (its own
/// purpose label, so the two uses never share a MAC). Without the key nobody can compute a person's id from an address
/// and follow them through logs, links or meetings. An id is made once, when someone joins a meeting; updates keep the
/// ids of people already there (<see cref="Meetings.MeetingService"/>), so rotating the key changes only new ids, and
/// meetings from before keyed ids (an unsalted SHA-256 prefix) keep theirs.
/// </summary>
public sealed class ParticipantIds
{
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("summit-followups/participant-id/v1");
    private readonly byte[] _current;
    private readonly byte[]? _previous;

    public ParticipantIds(IOptions<LinkOptions> options)
    {
        _current = Derive(options.Value.SigningKey);
        _previous = string.IsNullOrEmpty(options.Value.PreviousSigningKey) ? null : Derive(options.Value.PreviousSigningKey);
    }

    /// <summary>The id a newcomer with this address gets.</summary>
    public string For(string email) => Id(_current, email);

    /// <summary>Every id this address may already have in a meeting: under the current key, the key before the last
    /// rotation, and the unkeyed form of meetings stored before keyed ids.</summary>
    public IReadOnlyList<string> Candidates(string email)
    {
        var ids = new List<string> { For(email) };
        if (_previous is not null) ids.Add(Id(_previous, email));
        ids.Add("p" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalise(email))))[..15]);
        return ids;
    }

    private static byte[] Derive(string signingKey) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Purpose);

    private static string Id(byte[] key, string email) =>
        "p" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Normalise(email))))[..15];

    private static string Normalise(string email) => email.Trim().ToLowerInvariant();
}
