using Summit.Functions.Holidays;

namespace Summit.Functions.Tests;

public sealed class HolidaysApiTests : AppTest
{
    private Task<HttpAnswer> GetAsync(string query) =>
        App.CallAsync("GET", "/api/calendar/holidays" + query, r => App.Function<HolidaysApi>().List(r));

    [Fact]
    public async Task ListsKoreas2027HolidaysWithNamesInThreeLanguagesAndTheSubstituteDays()
    {
        var answer = await GetAsync("?country=KR&year=2027");

        Assert.Equal(200, answer.Status);
        Assert.Equal("KR", answer.Json.GetProperty("country").GetString());
        Assert.Equal(2027, answer.Json.GetProperty("year").GetInt32());
        Assert.Contains("lunisolar", answer.Json.GetProperty("source").GetString());
        var holidays = answer.Json.GetProperty("holidays").EnumerateArray().ToList();
        Assert.Equal(22, holidays.Count);
        var seollal = holidays.Single(h => h.GetProperty("date").GetString() == "2027-02-07");
        Assert.Equal("설날", seollal.GetProperty("names").GetProperty("ko").GetString());
        Assert.Equal("Seollal", seollal.GetProperty("names").GetProperty("en").GetString());
        Assert.False(seollal.GetProperty("substitute").GetBoolean());
        var substitute = holidays.Single(h => h.GetProperty("date").GetString() == "2027-02-09");
        Assert.True(substitute.GetProperty("substitute").GetBoolean());
        Assert.False(substitute.GetProperty("halfDay").GetBoolean());
    }

    [Fact]
    public async Task ListsTurkeysHalfDaysWithTheHourTheyStart()
    {
        var answer = await GetAsync("?country=TR&year=2026");

        Assert.Equal(200, answer.Status);
        Assert.Contains("Diyanet", answer.Json.GetProperty("source").GetString());
        var eve = answer.Json.GetProperty("holidays").EnumerateArray().Single(h => h.GetProperty("date").GetString() == "2026-10-28");
        Assert.True(eve.GetProperty("halfDay").GetBoolean());
        Assert.Equal("13:00", eve.GetProperty("halfDayFrom").GetString());
        Assert.Equal("Cumhuriyet Bayramı arifesi", eve.GetProperty("names").GetProperty("tr").GetString());
    }

    [Theory]
    [InlineData("?country=US&year=2027", "country")]
    [InlineData("?country=Korea&year=2027", "country")]
    [InlineData("?country=JP&year=2027", "country")]
    [InlineData("?year=2027", "country")]
    [InlineData("?country=KR&year=2025", "year")]
    [InlineData("?country=TR&year=2036", "year")]
    [InlineData("?country=TR&year=%2B2027", "year")]
    [InlineData("?country=KR&year=", "year")]
    public async Task RefusesAnUnknownCountryOrAYearOutsideTheCalendarNamingTheField(string query, string field)
    {
        var answer = await GetAsync(query);

        Assert.Equal(400, answer.Status);
        Assert.Equal([field], answer.ErrorFields);
    }
}
