using Summit.TestSupport;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Pipeline;
using Summit.TestSupport.SendGrid;

namespace Summit.Functions.Tests;

/// <summary>
/// A delivery run is a stream: a message waits for a free send slot, never for the rest of the batch it was received
/// with, so one slow send delays one participant, not the ones queued behind it.
/// </summary>
public sealed class DeliveryStreamTests : AppTest
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Delivery:ReceiveBatchSize"] = "2";
        settings["Delivery:MaxConcurrency"] = "4";
    }

    [Fact]
    public async Task OneSlowSendDoesNotHoldUpTheParticipantsQueuedBehindIt()
    {
        var participants = Enumerable.Range(0, 12).Select(i => (object)new { name = $"Participant {i}", email = $"p{i}@example.org" }).ToArray();
        await Api.CreateIdAsync(Api.Meeting(offsets: ["PT2H"], participants: participants));
        await App.SendInvitationsAsync();

        // The first reminder to reach SendGrid takes 8 s to be answered; every other one is answered at once.
        var requests = 0;
        App.SendGrid.Responder = _ => Interlocked.Increment(ref requests) == 1 ? new FakeAnswer(202, Delay: TimeSpan.FromSeconds(8)) : null;
        App.MoveClockTo(new DateTimeOffset(2026, 12, 9, 23, 0, 30, TimeSpan.Zero)); // the PT2H reminders are due
        var timers = App.Function<ReminderTimers>();
        await timers.ScheduleDueReminders(new TimerInfo(), default);
        var run = timers.DeliverReminders(new TimerInfo(), default);

        await Poll.UntilAsync(() => App.SendGrid.AcceptedReminderCount >= 11 || run.IsCompleted, TimeSpan.FromSeconds(30),
            "the eleven quick reminders were not answered");
        // The eleven others were answered while the slow one was still waiting for its answer.
        Assert.False(run.IsCompleted, "the run ended before the others were sent");
        Assert.Equal(11, App.SendGrid.Reminders.Count);

        await run;
        var sent = App.SendGrid.Reminders;
        Assert.Equal(12, sent.Count);
        Assert.Equal(12, sent.Select(m => m.To).Distinct().Count());
    }
}
