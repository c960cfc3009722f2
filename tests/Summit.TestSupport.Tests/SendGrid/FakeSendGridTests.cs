using System.Text.Json;
using Summit.TestSupport.SendGrid;

namespace Summit.TestSupport.Tests.SendGrid;

/// <summary>The fake refuses what the real SendGrid refuses beyond its OpenAPI file, so a test that passes against it
/// would not be a 400 in production.</summary>
public sealed class FakeSendGridTests
{
    private static JsonElement Body(string attachmentType = "text/calendar; method=REQUEST", string toName = "Ayşe Yılmaz", string toEmail = "ayse@example.org") =>
        JsonSerializer.SerializeToElement(new
        {
            from = new { email = "reminders@example.org", name = "Summit" },
            personalizations = new[] { new { to = new[] { new { email = toEmail, name = toName } } } },
            content = new[] { new { type = "text/plain", value = "x" } },
            attachments = new[] { new { content = "QQ==", filename = "invite.ics", type = attachmentType } },
        });

    [Theory]
    [InlineData("text/calendar")]
    [InlineData("text/calendar; method=REQUEST")]
    [InlineData("text/calendar;method=CANCEL")]
    public void AcceptsATypeWithNoParameterButMethod(string type) => Assert.Null(FakeSendGrid.Refusal(Body(attachmentType: type)));

    [Theory]
    [InlineData("text/calendar; method=REQUEST; charset=utf-8")]
    [InlineData("text/calendar; charset=utf-8")]
    [InlineData("text/calendar\r\nX: y")]
    public void RefusesAnAttachmentTypeWithAnotherParameterAsSendGridDoes(string type)
    {
        var answer = FakeSendGrid.Refusal(Body(attachmentType: type));
        Assert.Equal(400, answer?.Status);
        var error = Assert.Single(JsonDocument.Parse(answer!.Body!).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("attachments.0.type", error.GetProperty("field").GetString());
        Assert.Equal("The attachment type cannot contain ';', or CRLF characters.", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("Yılmaz, Ayşe", "ayse@example.org", "personalizations.0.to.0.name")]
    [InlineData("Kim; Lee", "ayse@example.org", "personalizations.0.to.0.name")]
    [InlineData("Kim", "kim@한국.example", "personalizations.0.to.0.email")]
    public void RefusesANameWithACommaOrSemicolonAndAnAddressThatIsNotAscii(string name, string email, string field)
    {
        var answer = FakeSendGrid.Refusal(Body(toName: name, toEmail: email));
        Assert.Equal(400, answer?.Status);
        Assert.Contains(field, answer!.Body);
    }
}
