using ScottPlot;

namespace Summit.Benchmarks;

public static class Charts
{
    /// <summary>Entities read per tick against stored reminders, both axes log10, for our due index and the naive scan.</summary>
    public static void TickCost(IReadOnlyList<TickSize> rows, string path)
    {
        var plot = new Plot();
        double[] xs = rows.Select(r => Math.Log10(r.Stored)).ToArray();
        var ours = plot.Add.Scatter(xs, rows.Select(r => Math.Log10(r.OursEntitiesRead)).ToArray());
        ours.LegendText = "due index (ours): entities read per tick";
        ours.LineWidth = 3;
        ours.MarkerSize = 10;
        var naive = plot.Add.Scatter(xs, rows.Select(r => Math.Log10(r.NaiveEntitiesRead)).ToArray());
        naive.LegendText = "naive full-table scan: entities read per tick";
        naive.LineWidth = 3;
        naive.MarkerSize = 10;
        var due = plot.Add.HorizontalLine(Math.Log10(TickBenchmark.DueCount));
        due.LegendText = $"reminders due ({TickBenchmark.DueCount:N0})";
        due.LinePattern = LinePattern.Dashed;

        static string Label(double log) => Math.Pow(10, log) switch
        {
            >= 1_000_000 and var v => $"{v / 1_000_000:0.#}M",
            >= 1_000 and var v => $"{v / 1_000:0.#}k",
            var v => $"{v:0}",
        };
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var p = 3; p <= 7; p++) ticks.AddMajor(p, Label(p));
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimits(3.8, 6.2, 2.8, 6.3);
        plot.XLabel("pending reminders stored (log scale)");
        plot.YLabel("entities read by one tick (log scale)");
        plot.Title("Scheduler tick cost vs. stored reminders");
        plot.ShowLegend(Alignment.UpperLeft);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 560);
    }
}
