using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Summit.Reminders.Meetings;

/// <summary>
/// What tells a retried registration (the same Idempotency-Key) from another request under that key: a hash of the
/// draft. Absent fields are left out, so a field added to the API later does not change a draft that leaves it out.
/// Registrations stored before 1 December 2026 were hashed with absent fields written as null and without the fields
/// added then (send windows, countries, the coordinator's zone, calendar invitations); <see cref="Matches"/> accepts that
/// form too, so a retry across that deploy is still a replay.
/// </summary>
public static class RequestFingerprint
{
    private static readonly JsonSerializerOptions Current = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private static readonly JsonSerializerOptions Before = new(JsonSerializerDefaults.Web);

    public static string Of<T>(T draft) => Hash(JsonSerializer.SerializeToUtf8Bytes(draft, Current));

    /// <summary>Whether <paramref name="stored"/> is this draft's fingerprint, now or as it was written before December 2026.
    /// <paramref name="peopleField"/> names the draft's list of people (participants, owners).</summary>
    public static bool Matches<T>(string? stored, T draft, string peopleField) =>
        stored is not null && (stored == Of(draft) || stored == Legacy(draft, peopleField));

    internal static string Legacy<T>(T draft, string peopleField)
    {
        var node = JsonSerializer.SerializeToNode(draft, Before)!.AsObject();
        node.Remove("sendWindow");
        node.Remove("calendarInvitations");
        if (node["coordinator"] is JsonObject coordinator)
        {
            coordinator.Remove("timeZone");
            coordinator.Remove("country");
        }
        if (node[peopleField] is JsonArray people)
        {
            foreach (var person in people.OfType<JsonObject>())
            {
                person.Remove("country");
                person.Remove("sendWindow");
            }
        }
        return Hash(Encoding.UTF8.GetBytes(node.ToJsonString(Before)));
    }

    private static string Hash(byte[] json) => Convert.ToHexStringLower(SHA256.HashData(json));
}
