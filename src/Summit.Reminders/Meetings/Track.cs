namespace Summit.Reminders.Meetings;

/// <summary>A track's name or description in the three languages people read it in (English, Korean, Turkish).</summary>
public sealed record TrackText(string En, string Ko, string Tr)
{
    /// <summary>The text in a language (<c>en</c>, <c>ko</c>, <c>tr</c>); English when none or another, as emails do.</summary>
    public string In(string? language) => language switch
    {
        "ko" => Ko,
        "tr" => Tr,
        _ => En,
    };
}

/// <summary>A working track the summit agreed to follow up on. The list is fixed by the summit declaration.</summary>
public sealed record Track(string Id, TrackText Names, TrackText Descriptions)
{
    /// <summary>The English name: what <c>GET /api/tracks</c> has always called <c>name</c>.</summary>
    public string Name => Names.En;

    /// <summary>The English description.</summary>
    public string Description => Descriptions.En;

    public string NameIn(string? language) => Names.In(language);

    public string DescriptionIn(string? language) => Descriptions.In(language);
}

public static class Tracks
{
    // Each side names the committee with its own country first (한-튀르키예 …, Türkiye-Kore …), as both ministries write it.
    public static IReadOnlyList<Track> All { get; } =
    [
        new("joint-economic-committee",
            new("Joint Economic Committee", "한-튀르키예 경제공동위원회", "Türkiye-Kore Karma Ekonomik Komisyonu"),
            new("The restarted joint economic committee: trade, investment and the follow-up work programme.",
                "재개된 경제공동위원회에서 교역·투자 협력과 후속 작업 계획을 다룹니다.",
                "Yeniden başlatılan Karma Ekonomik Komisyon: ticaret, yatırım ve takip çalışmaları programı.")),
        new("nuclear-energy",
            new("Nuclear energy", "원자력", "Nükleer enerji"),
            new("Detailed evaluation of the Sinop nuclear power plant project.",
                "시노프 원자력발전소 사업을 상세히 평가합니다.",
                "Sinop Nükleer Güç Santrali projesinin ayrıntılı değerlendirmesi.")),
        new("defence-industry",
            new("Defence industry", "방위산업", "Savunma sanayii"),
            new("Altay main battle tank co-production, technology transfer and training.",
                "알타이 주력전차 공동생산, 기술 이전과 교육훈련을 추진합니다.",
                "Altay ana muharebe tankının ortak üretimi, teknoloji transferi ve eğitim.")),
        new("biotechnology",
            new("Biotechnology and medical technology", "바이오·의료기술", "Biyoteknoloji ve tıbbi teknoloji"),
            new("Cooperation in biotechnology, pharmaceuticals and medical devices.",
                "바이오, 제약, 의료기기 분야의 협력을 추진합니다.",
                "Biyoteknoloji, ilaç ve tıbbi cihaz alanlarında iş birliği.")),
        new("infrastructure-energy",
            new("Infrastructure and energy", "인프라·에너지", "Altyapı ve enerji"),
            new("Wind energy, road construction and other infrastructure projects.",
                "풍력 에너지, 도로 건설 등 인프라 사업을 추진합니다.",
                "Rüzgâr enerjisi, yol yapımı ve diğer altyapı projeleri.")),
        new("culture-humanitarian",
            new("Culture and humanitarian", "문화·인도적 협력", "Kültür ve insani iş birliği"),
            new("Cultural exchange, refugee support and public health.",
                "문화 교류, 난민 지원, 공중보건 분야의 협력을 추진합니다.",
                "Kültürel değişim programları, mültecilere destek ve halk sağlığı.")),
    ];

    public static Track? Find(string id) => All.FirstOrDefault(t => t.Id == id);

    /// <summary>The track's name in a language, or its id when the track is not one of the summit's (an old row).</summary>
    public static string NameOf(string id, string? language) => Find(id)?.NameIn(language) ?? id;
}
