using Summit.Reminders.Identity;

namespace Summit.Reminders.Tests;

/// <summary>What app-role values grant (docs/architecture.md, "Who may do what").</summary>
public sealed class AccessTests
{
    [Fact]
    public void ACoordinatorReadsAndChangesTheirTrackOnly()
    {
        var access = Access.FromRoles(["coordinator.nuclear-energy"]);
        Assert.True(access.CanRead("nuclear-energy"));
        Assert.True(access.CanChange("nuclear-energy"));
        Assert.False(access.CanRead("defence-industry"));
        Assert.False(access.CanChange("defence-industry"));
        Assert.False(access.CanOperate);
        Assert.Equal(["nuclear-energy"], access.ListFilter);
    }

    [Fact]
    public void ObserversReadEverythingOrOneTrackAndChangeNothing()
    {
        var all = Access.FromRoles(["observer"]);
        Assert.True(all.ReadsEveryTrack);
        Assert.Null(all.ListFilter);
        Assert.False(all.CanChangeAny);
        var one = Access.FromRoles(["observer.biotechnology"]);
        Assert.True(one.CanRead("biotechnology"));
        Assert.False(one.CanRead("nuclear-energy"));
        Assert.False(one.CanChange("biotechnology"));
    }

    [Fact]
    public void AnOperatorSeesNoTrackAndEveryTrackIsAWildcardOnlyForCoordinators()
    {
        var ops = Access.FromRoles(["operator"]);
        Assert.True(ops.CanOperate);
        Assert.False(ops.CanReadAny);
        var every = Access.FromRoles(["coordinator.*"]);
        Assert.True(every.ReadsEveryTrack);
        Assert.All(Meetings.Tracks.All, t => Assert.True(every.CanChange(t.Id)));
    }

    [Fact]
    public void UnknownRolesAndTracksGrantNothingAndCaseDoesNotMatter()
    {
        var access = Access.FromRoles(["Coordinator.Nuclear-Energy", "coordinator.space-programme", "admin", "observer.", "coordinator", " operator "]);
        Assert.Equal(["coordinator.nuclear-energy", "operator"], access.Roles);
        Assert.True(access.CanChange("nuclear-energy"));
        Assert.False(access.CanRead("space-programme"));
        Assert.False(Access.FromRoles([]).CanReadAny);
    }
}
