using Summit.Reminders.Meetings;
using Summit.Reminders.Notifications;

namespace Summit.Reminders.Tests;

/// <summary>What switching calendar invitations on or off owes participants, decided when the change is stored.</summary>
public class CalendarInvitationsRulesTests
{
    private static Meeting Registered(bool? calendarInvitations)
    {
        var (content, errors) = MeetingValidator.Validate(Drafts.Valid() with { CalendarInvitations = calendarInvitations }, Drafts.Now);
        Assert.Empty(errors);
        return Meeting.Create("m1", content!, Drafts.Now);
    }

    private static Meeting Revise(Meeting meeting, MeetingDraft draft)
    {
        var (content, errors) = MeetingValidator.Validate(draft, Drafts.Now);
        Assert.Empty(errors);
        return meeting.Revise(content!, Drafts.Now).Revised;
    }

    [Fact]
    public void AMeetingHasCalendarInvitationsUnlessTheCoordinatorSaysOtherwise()
    {
        Assert.True(Registered(null).CalendarInvitations);
        Assert.True(Registered(true).CalendarInvitations);
        Assert.False(Registered(false).CalendarInvitations);
    }

    [Fact]
    public void SwitchingThemOnOwesTheInvitationOfTheNewPlanAndNoUpdate()
    {
        var before = Registered(false);
        var after = Revise(before, Drafts.Valid() with { CalendarInvitations = true });
        var notice = after.RevisionNotice(before, Drafts.Now);
        Assert.Equal(Slots.Invitation, notice?.Offset);
        Assert.Equal(after.Plan.PlanId, notice!.PlanId);
        Assert.NotEqual(before.Plan.PlanId, notice.PlanId); // a new ledger id: the plain invitation does not stand in for it
        Assert.False(after.WithdrawsCalendarEntry);
    }

    [Fact]
    public void SwitchingThemOnWithAnotherChangeIsStillOneInvitation()
    {
        var before = Registered(false);
        var after = Revise(before, Drafts.Valid(start: "2026-12-11T10:00") with { CalendarInvitations = true });
        Assert.Equal(Slots.Invitation, after.RevisionNotice(before, Drafts.Now)?.Offset);
        Assert.Equal(["start", Meeting.CalendarInvitationsField], after.LastChange!.Fields);
    }

    [Fact]
    public void SwitchingThemOffIsAnUpdateThatWithdrawsOurEntry()
    {
        var before = Registered(true);
        var after = Revise(before, Drafts.Valid() with { CalendarInvitations = false });
        Assert.Equal(Slots.Update, after.RevisionNotice(before, Drafts.Now)?.Offset);
        Assert.True(after.WithdrawsCalendarEntry);
        // The next change without them withdraws it again: the update that switched them off may have been overtaken by
        // this one before it went, and a CANCEL for an entry already gone changes nothing.
        var later = Revise(after, Drafts.Valid(start: "2026-12-11T10:00") with { CalendarInvitations = false });
        Assert.Equal(Slots.Update, later.RevisionNotice(after, Drafts.Now)?.Offset);
        Assert.True(later.WithdrawsCalendarEntry);
        // Switched on again, nothing is withdrawn any more; a meeting that never had them has nothing to withdraw.
        Assert.False(Revise(later, Drafts.Valid() with { CalendarInvitations = true }).WithdrawsCalendarEntry);
        Assert.False(Revise(Registered(false), Drafts.Valid(start: "2026-12-11T10:00") with { CalendarInvitations = false }).WithdrawsCalendarEntry);
    }

    [Fact]
    public void WithoutThemAChangeParticipantsSeeIsAnUpdateAndOffsetsAloneAreNothing()
    {
        var before = Registered(false);
        Assert.Equal(Slots.Update, Revise(before, Drafts.Valid(start: "2026-12-11T10:00") with { CalendarInvitations = false }).RevisionNotice(before, Drafts.Now)?.Offset);
        Assert.Null(Revise(before, Drafts.Valid(offsets: ["P1D"]) with { CalendarInvitations = false }).RevisionNotice(before, Drafts.Now));
    }
}
