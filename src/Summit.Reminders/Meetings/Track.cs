namespace Summit.Reminders.Meetings;

/// <summary>A working track the summit agreed to follow up on. The list is fixed by the summit declaration.</summary>
public sealed record Track(string Id, string Name, string Description);

public static class Tracks
{
    public static IReadOnlyList<Track> All { get; } =
    [
        new("joint-economic-committee", "Joint Economic Committee", "The restarted joint economic committee: trade, investment and the follow-up work programme."),
        new("nuclear-energy", "Nuclear energy", "Detailed evaluation of the Sinop nuclear power plant project."),
        new("defence-industry", "Defence industry", "Altay main battle tank co-production, technology transfer and training."),
        new("biotechnology", "Biotechnology and medical technology", "Cooperation in biotechnology, pharmaceuticals and medical devices."),
        new("infrastructure-energy", "Infrastructure and energy", "Wind energy, road construction and other infrastructure projects."),
        new("culture-humanitarian", "Culture and humanitarian", "Cultural exchange, refugee support and public health."),
    ];

    public static Track? Find(string id) => All.FirstOrDefault(t => t.Id == id);
}
