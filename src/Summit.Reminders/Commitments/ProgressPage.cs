using System.Globalization;
using NodaTime.Text;
using Summit.Reminders.Email;
using Summit.Reminders.Meetings;

namespace Summit.Reminders.Commitments;

/// <summary>
/// The progress page of a track, as HTML: a chart of every track's commitments (done on time, done late, open,
/// overdue; the page's track marked), the same numbers as a table, and the track's commitments, next deadlines first.
/// Plain HTML and an inline SVG, no script, in English, Korean or Turkish.
/// </summary>
public static class ProgressPage
{
    private const int ChartWidth = 420, RowHeight = 34, BarHeight = 20, LabelWidth = 285;

    public static string Render(TrackProgress progress, string? language)
    {
        var words = ProgressText.For(language);
        var lang = EmailLanguage.For(words.Code);
        var max = Math.Max(1, progress.AllTracks.Max(t => t.Counts.Total));
        var bars = new List<IReadOnlyDictionary<string, string>>();
        var labels = new List<IReadOnlyDictionary<string, string>>();
        var rows = new List<IReadOnlyDictionary<string, string>>();
        for (var i = 0; i < progress.AllTracks.Count; i++)
        {
            var (track, counts) = progress.AllTracks[i];
            var name = track.NameIn(words.Code);
            var y = i * RowHeight;
            var x = (double)LabelWidth;
            foreach (var (cls, n) in new[] { ("done-on-time", counts.DoneOnTime), ("done-late", counts.DoneLate), ("open", counts.Open - counts.Overdue), ("overdue", counts.Overdue) })
            {
                if (n == 0) continue;
                var w = (double)n / max * ChartWidth;
                bars.Add(new Dictionary<string, string>
                {
                    ["x"] = F(x), ["y"] = F(y + (RowHeight - BarHeight) / 2.0), ["w"] = F(w), ["h"] = F(BarHeight), ["cls"] = cls,
                    ["title"] = $"{name}: {words.StateName(cls)} {n}",
                });
                x += w;
            }
            labels.Add(new Dictionary<string, string>
            {
                ["y"] = F(y + RowHeight / 2.0 + 5), ["name"] = name, ["total"] = counts.Total.ToString(CultureInfo.InvariantCulture),
                ["tx"] = F(x + 6), ["current"] = track.Id == progress.Track.Id ? "current" : "",
            });
            rows.Add(new Dictionary<string, string>
            {
                ["name"] = name, ["current"] = track.Id == progress.Track.Id ? "current" : "",
                ["done_on_time"] = N(counts.DoneOnTime), ["done_late"] = N(counts.DoneLate), ["open"] = N(counts.Open),
                ["due_soon"] = N(counts.DueWithin7Days), ["overdue"] = N(counts.Overdue), ["dropped"] = N(counts.Dropped),
            });
        }
        var items = progress.Items.Select(item => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
        {
            ["title"] = item.Title.Length == 0 ? words.Erased : item.Title,
            ["due"] = Due(item, lang),
            ["state"] = item.State,
            ["state_name"] = words.StateName(item.State),
            ["owners"] = N(item.Owners),
        }).ToList();
        var c = progress.Counts;
        var values = new Dictionary<string, string?>
        {
            ["lang"] = words.Code,
            ["heading"] = words.Heading(progress.Track.NameIn(words.Code)),
            ["description"] = progress.Track.DescriptionIn(words.Code),
            ["as_of"] = words.AsOf(lang.Describe(MeetingTime.InZone(progress.AsOf, "UTC"), "UTC")),
            ["summary"] = words.Summary(c.Open, c.DueWithin7Days, c.Overdue, c.DoneOnTime, c.DoneLate, c.Dropped),
            ["chart_caption"] = words.ChartCaption,
            ["chart_height"] = F(progress.AllTracks.Count * RowHeight),
            ["chart_width"] = F(LabelWidth + ChartWidth + 40),
            ["legend_done_on_time"] = words.StateName("done-on-time"),
            ["legend_done_late"] = words.StateName("done-late"),
            ["legend_open"] = words.StateName("open"),
            ["legend_overdue"] = words.StateName("overdue"),
            ["table_caption"] = words.TableCaption,
            ["col_track"] = words.Track, ["col_done_on_time"] = words.StateName("done-on-time"), ["col_done_late"] = words.StateName("done-late"),
            ["col_open"] = words.Open, ["col_due_soon"] = words.StateName("due-soon"), ["col_overdue"] = words.StateName("overdue"),
            ["col_dropped"] = words.StateName("dropped"),
            ["items_heading"] = words.ItemsHeading,
            ["col_title"] = words.Commitment, ["col_due"] = words.Due, ["col_state"] = words.State, ["col_owners"] = words.Owners,
            ["no_items"] = progress.Items.Count == 0 ? words.None : null, // not "empty": a Liquid keyword
        };
        return EmailTemplates.RenderHtml("progress", values, new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>
        {
            ["bars"] = bars, ["labels"] = labels, ["rows"] = rows, ["items"] = items,
        });
    }

    private static string Due(ProgressItem item, EmailLanguage language)
    {
        var words = CommitmentText.For(language.Code);
        if (item.DueDate is { } date && LocalDatePattern.Iso.Parse(date) is { Success: true } parsed)
            return words.EndOfDay(LocalDatePattern.Create(words.DatePattern, language.Culture).Format(parsed.Value), item.TimeZone);
        return language.Describe(MeetingTime.InZone(item.DueUtc, item.TimeZone), item.TimeZone);
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The words of the progress page, in English, Korean and Turkish.</summary>
public sealed record ProgressText(
    string Code, Func<string, string> Heading, Func<string, string> AsOf, Func<int, int, int, int, int, int, string> Summary,
    string ChartCaption, string TableCaption, string Track, string Open, string ItemsHeading, string Commitment, string Due, string State,
    string Owners, string None, string Erased, IReadOnlyDictionary<string, string> States)
{
    public string StateName(string state) => States[state];

    public static readonly ProgressText English = new("en",
        track => $"Progress: {track}",
        when => $"As of {when}",
        (open, soon, overdue, onTime, late, dropped) => $"{open} open ({soon} due within 7 days, {overdue} overdue), {onTime} done on time, {late} done late, {dropped} dropped.",
        "Commitments per track: done on time, done late, open and overdue",
        "Commitments per track",
        "Track", "Open", "This track's commitments, next deadlines first", "Commitment", "Due", "State", "Owners",
        "This track has no commitments yet.", "(erased)",
        new Dictionary<string, string>
        {
            ["open"] = "open", ["due-soon"] = "due within 7 days", ["overdue"] = "overdue", ["done-on-time"] = "done on time",
            ["done-late"] = "done late", ["dropped"] = "dropped",
        });

    public static readonly ProgressText Korean = new("ko",
        track => $"진행 현황: {track}",
        when => $"기준 시각: {when}",
        (open, soon, overdue, onTime, late, dropped) => $"진행 중 {open}건(7일 이내 기한 {soon}건, 기한 초과 {overdue}건), 기한 내 완료 {onTime}건, 기한 후 완료 {late}건, 취소 {dropped}건.",
        "분야별 후속 과제: 기한 내 완료, 기한 후 완료, 진행 중, 기한 초과",
        "분야별 후속 과제",
        "분야", "진행 중", "이 분야의 후속 과제(가까운 기한 순)", "후속 과제", "기한", "상태", "담당자",
        "이 분야에는 아직 후속 과제가 없습니다.", "(삭제됨)",
        new Dictionary<string, string>
        {
            ["open"] = "진행 중", ["due-soon"] = "7일 이내 기한", ["overdue"] = "기한 초과", ["done-on-time"] = "기한 내 완료",
            ["done-late"] = "기한 후 완료", ["dropped"] = "취소",
        });

    public static readonly ProgressText Turkish = new("tr",
        track => $"İlerleme: {track}",
        when => $"{when} itibarıyla",
        (open, soon, overdue, onTime, late, dropped) => $"{open} açık ({soon} tanesinin son tarihi 7 gün içinde, {overdue} tanesi gecikmiş), {onTime} zamanında tamamlandı, {late} geç tamamlandı, {dropped} iptal edildi.",
        "Alanlara göre taahhütler: zamanında tamamlanan, geç tamamlanan, açık ve gecikmiş",
        "Alanlara göre taahhütler",
        "Alan", "Açık", "Bu alanın taahhütleri, en yakın son tarih önce", "Taahhüt", "Son tarih", "Durum", "Sorumlular",
        "Bu alanda henüz taahhüt yok.", "(silindi)",
        new Dictionary<string, string>
        {
            ["open"] = "açık", ["due-soon"] = "7 gün içinde", ["overdue"] = "gecikmiş", ["done-on-time"] = "zamanında tamamlandı",
            ["done-late"] = "geç tamamlandı", ["dropped"] = "iptal edildi",
        });

    public static ProgressText For(string? code) => code switch
    {
        "ko" => Korean,
        "tr" => Turkish,
        _ => English,
    };
}
