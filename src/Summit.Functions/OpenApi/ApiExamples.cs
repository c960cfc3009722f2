namespace Summit.Functions.OpenApi;

/// <summary>The examples of docs/api.md, in the document beside the schemas they must fit (a test validates each).</summary>
public static class ApiExamples
{
    public const string Digest = """
        { "email": "minjun.kim@example.org", "name": "Kim Min-jun", "language": "ko", "timeZone": "Asia/Seoul" }
        """;

    public const string Meeting = """
        {
          "title": "Sinop nuclear power plant — detailed evaluation",
          "track": "nuclear-energy",
          "agenda": "Site studies, financing model, timeline",
          "start": "2026-12-10T10:00",
          "timeZone": "Europe/Istanbul",
          "duration": "PT3H",
          "location": "Ankara, Ministry of Energy",
          "joinUrl": "https://meet.example.org/sinop",
          "coordinator": { "name": "Mehmet Demir", "email": "mehmet@example.org", "language": "tr" },
          "participants": [
            { "name": "Park Ji-ho", "email": "jiho@example.org", "timeZone": "Asia/Seoul", "language": "ko" },
            { "name": "Ayşe Yılmaz", "email": "ayse@example.org", "sendWindow": { "start": "07:30", "end": "20:00" } }
          ],
          "reminderOffsets": ["P7D", "P1D", "PT2H"],
          "escalateBefore": "P1D",
          "sendWindow": { "start": "08:00", "end": "21:00" },
          "useSendGridTemplates": false,
          "calendarInvitations": true
        }
        """;

    public const string Commitment = """
        {
          "title": "Sinop evaluation: data package",
          "track": "nuclear-energy",
          "owners": [{ "name": "Ayşe Yılmaz", "email": "ayse.yilmaz@enerji.example.org", "timeZone": "Europe/Istanbul", "language": "tr" }],
          "coordinator": { "name": "Park Ji-ho", "email": "jiho.park@motie.example.org", "language": "ko" },
          "dueDate": "2027-01-15",
          "timeZone": "Asia/Seoul",
          "reminderOffsets": ["P7D", "P2D", "P1D"],
          "escalateAfter": ["PT0M", "P2D"]
        }
        """;

    public const string ValidationProblem = """
        {
          "type": "https://summit-followups.example/problems/validation-error",
          "title": "The request is not valid",
          "status": 400,
          "detail": "2 fields are not valid; see errors.",
          "instance": "/api/meetings",
          "errors": [
            { "field": "participants[1].email", "message": "'x' is not an address every mail system can carry: it must be one address like name@example.org (one '@', no display name)" },
            { "field": "reminderOffsets[0]", "message": "must be between 5 minutes (PT5M) and 180 days (P180D)" }
          ]
        }
        """;

    public const string Holidays = """
        {
          "country": "KR",
          "year": 2027,
          "source": "Act on Public Holidays and Regulations on Holidays of Government Offices (…), Korean lunisolar calendar (…), Public Official Election Act art. 34 (…). Temporary holidays and early elections are not included.",
          "holidays": [
            { "date": "2027-02-07", "key": "seollal", "names": { "en": "Seollal", "ko": "설날", "tr": "Seollal (Ay Yılbaşı)" }, "halfDay": false, "halfDayFrom": null, "substitute": false },
            { "date": "2027-02-09", "key": "substitute-seollal", "names": { "en": "Substitute holiday for Seollal", "ko": "대체공휴일(설날)", "tr": "Seollal (Ay Yılbaşı) yerine tatil" }, "halfDay": false, "halfDayFrom": null, "substitute": true }
          ]
        }
        """;
}
