using System.Security.Cryptography;
using System.Text.Json;
using Summit.Reminders.Meetings;

namespace Summit.Reminders.Tests;

/// <summary>A retry with the same Idempotency-Key is a replay across the deploy that added send windows and countries.</summary>
public sealed class RequestFingerprintTests
{
    [Fact]
    public void ARegistrationHashedBeforeTheNewFieldsStillMatchesItsRetry()
    {
        var draft = Drafts.Valid(offsets: ["P1D"]);
        // The draft as the API hashed it until 30 November 2026: every field of that day, absent ones as null, in order.
        var before = new
        {
            draft.Title, draft.Track, draft.Agenda, draft.Start, draft.TimeZone, draft.Duration, draft.Location, draft.JoinUrl,
            Coordinator = new { draft.Coordinator!.Name, draft.Coordinator.Email, draft.Coordinator.Language },
            Participants = draft.Participants!.Select(p => new { p!.Name, p.Email, p.TimeZone, p.Language }).ToList(),
            draft.ReminderOffsets, draft.EscalateBefore, draft.UseSendGridTemplates,
        };
        var stored = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(before, new JsonSerializerOptions(JsonSerializerDefaults.Web))));

        Assert.NotEqual(stored, RequestFingerprint.Of(draft));
        Assert.True(RequestFingerprint.Matches(stored, draft, "participants"));
        Assert.False(RequestFingerprint.Matches(stored, draft with { Title = "Another meeting" }, "participants"));
    }

    [Fact]
    public void AFieldLeftOutDoesNotChangeTheFingerprintAndAFieldGivenDoes()
    {
        var draft = Drafts.Valid();
        Assert.Equal(RequestFingerprint.Of(draft), RequestFingerprint.Of(draft with { SendWindow = null }));
        Assert.NotEqual(RequestFingerprint.Of(draft), RequestFingerprint.Of(draft with { SendWindow = new() { Start = "08:00", End = "20:00" } }));
    }
}
