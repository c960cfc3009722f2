using System.Text;
using Ical.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Summit.Reminders.Email;
using Summit.Reminders.Infrastructure.Mail;
using Summit.Reminders.Ports;

namespace Summit.Functions.Tests;

/// <summary>The local email transport: real files in a temporary folder, read back with a MIME parser.</summary>
public sealed class PickupFolderEmailSenderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "summit-outbox-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
    private readonly PickupFolderEmailSender _sender;

    public PickupFolderEmailSenderTests() => _sender = new PickupFolderEmailSender(
        Options.Create(new EmailOptions { FromEmail = "reminders@summit-followups.example", FromName = "Summit reminders", PickupFolder = _folder }),
        _time, NullLogger<PickupFolderEmailSender>.Instance);

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private const string Ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:m1@summit-followups\r\n" +
        "DTSTAMP:20261127T090000Z\r\nDTSTART:20261210T010000Z\r\nDTEND:20261210T030000Z\r\nSUMMARY:Ortak Ekonomi Komisyonu\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    private static EmailMessage Email(string reminderId, string to, string subject) => new(
        new EmailAddress(to, "Ayşe Yılmaz"), subject, "<p>Sayın Ayşe, <b>toplantı</b> 2 saat sonra.</p>", "Sayın Ayşe, toplantı 2 saat sonra.",
        [new EmailAttachment("invite.ics", "text/calendar; method=REQUEST; charset=utf-8", Encoding.UTF8.GetBytes(Ics))],
        ["reminder", "joint-economic-committee"],
        new Dictionary<string, string> { ["reminder_id"] = reminderId, ["meeting_id"] = "m1" })
    {
        ReplyTo = new EmailAddress("yuna@example.org", "Choi, Yuna"),
    };

    [Fact]
    public async Task WritesAStandardEmlWithTextHtmlAndTheInvitationAsParts()
    {
        var result = await _sender.SendAsync(Email("m1.plan0001.PT2H.p1", "ayse@example.org", "Hatırlatma: 공동경제위원회 starts in 2 hours"), default);

        Assert.IsType<SendResult.Accepted>(result);
        var file = Assert.Single(Directory.GetFiles(_folder, "*.eml"));
        Assert.Equal("m1.plan0001.PT2H.p1.eml", Path.GetFileName(file));
        var mime = await MimeMessage.LoadAsync(file);
        Assert.Equal("ayse@example.org", Assert.Single(mime.To.Mailboxes).Address);
        Assert.Equal("Ayşe Yılmaz", mime.To.Mailboxes.Single().Name);
        // Replies go to the coordinator; a name with a comma stays whole here (MIME quotes it), unlike at SendGrid.
        Assert.Equal("yuna@example.org", Assert.Single(mime.ReplyTo.Mailboxes).Address);
        Assert.Equal("Choi, Yuna", mime.ReplyTo.Mailboxes.Single().Name);
        Assert.Equal("utf-8", InviteCharset(mime));
        Assert.Equal("reminders@summit-followups.example", Assert.Single(mime.From.Mailboxes).Address);
        Assert.Equal("Hatırlatma: 공동경제위원회 starts in 2 hours", mime.Subject);
        Assert.Equal(_time.GetUtcNow(), mime.Date);
        Assert.Equal("m1.plan0001.PT2H.p1", mime.Headers["X-Summit-reminder-id"]);
        Assert.Equal("Sayın Ayşe, toplantı 2 saat sonra.", mime.TextBody!.Trim());
        Assert.Contains("<b>toplantı</b>", mime.HtmlBody);
        var invite = Assert.Single(mime.Attachments.OfType<MimePart>());
        Assert.Equal("text/calendar", invite.ContentType.MimeType);
        Assert.Equal("REQUEST", invite.ContentType.Parameters["method"]);
        Assert.Equal("invite.ics", invite.FileName);
        Assert.NotNull(invite.Content);
        using var ics = new MemoryStream();
        await invite.Content!.DecodeToAsync(ics);
        var calendar = Ical.Net.Calendar.Load(Encoding.UTF8.GetString(ics.ToArray()))!;
        Assert.Equal("m1@summit-followups", Assert.Single(calendar.Events).Uid);
        Assert.True(File.Exists(Path.Combine(_folder, "m1.plan0001.PT2H.p1.html")));
        // Korean and Turkish text travel encoded: the file is 7-bit ASCII with lines SMTP accepts.
        var raw = await File.ReadAllBytesAsync(file);
        Assert.All(raw, b => Assert.True(b < 128, "the .eml holds a non-ASCII byte"));
        Assert.All((await File.ReadAllLinesAsync(file)), line => Assert.True(line.Length <= 998, "an .eml line is longer than RFC 5322 allows"));
    }

    private static string? InviteCharset(MimeMessage mime) => mime.Attachments.OfType<MimePart>().Single().ContentType.Charset;

    [Fact]
    public async Task ASecondSendOfTheSameReminderIsKeptAsAVisibleDuplicate()
    {
        await _sender.SendAsync(Email("m1.plan0001.PT2H.p1", "ayse@example.org", "first"), default);
        _time.Advance(TimeSpan.FromMinutes(1));
        var again = await _sender.SendAsync(Email("m1.plan0001.PT2H.p1", "ayse@example.org", "second"), default);

        Assert.Equal("pickup-m1.plan0001.PT2H.p1.dup2", Assert.IsType<SendResult.Accepted>(again).ProviderMessageId);
        Assert.Equal(["m1.plan0001.PT2H.p1.dup2.eml", "m1.plan0001.PT2H.p1.eml"],
            Directory.GetFiles(_folder, "*.eml").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("first", (await MimeMessage.LoadAsync(Path.Combine(_folder, "m1.plan0001.PT2H.p1.eml"))).Subject);
        Assert.Equal("second", (await MimeMessage.LoadAsync(Path.Combine(_folder, "m1.plan0001.PT2H.p1.dup2.eml"))).Subject);
        var index = await File.ReadAllTextAsync(Path.Combine(_folder, PickupFolderEmailSender.IndexFileName));
        Assert.Contains("<p>2 emails, newest first.", index);
    }

    [Fact]
    public async Task AFolderFromBeforeTheManifestIsIndexedWithItsOldEmails()
    {
        await _sender.SendAsync(Email("m1.plan0001.P1D.p1", "ayse@example.org", "old one"), default);
        File.Delete(Path.Combine(_folder, PickupFolderEmailSender.ManifestFileName));
        _time.Advance(TimeSpan.FromMinutes(1));

        await _sender.SendAsync(Email("m1.plan0001.PT2H.p1", "ayse@example.org", "new one"), default);

        var index = await File.ReadAllTextAsync(Path.Combine(_folder, PickupFolderEmailSender.IndexFileName));
        Assert.Contains("<td>old one</td>", index);
        Assert.Contains("<td>new one</td>", index);
    }

    [Fact]
    public async Task TheIndexListsEveryEmailNewestFirstWithItsHtmlEscaped()
    {
        await _sender.SendAsync(Email("m1.plan0001.P1D.p1", "ayse@example.org", "older <script>alert(1)</script>"), default);
        _time.Advance(TimeSpan.FromMinutes(5));
        await _sender.SendAsync(Email("m1.plan0001.PT2H.p2", "jiho@example.org", "newer"), default);

        var index = await File.ReadAllTextAsync(Path.Combine(_folder, PickupFolderEmailSender.IndexFileName));
        Assert.True(index.IndexOf("<td>newer</td>", StringComparison.Ordinal) < index.IndexOf("<td>older ", StringComparison.Ordinal));
        Assert.Contains("<td>older ", index);
        Assert.Contains("jiho@example.org", index);
        Assert.Contains("href=\"m1.plan0001.PT2H.p2.eml\"", index);
        Assert.Contains("href=\"m1.plan0001.P1D.p1.html\"", index);
        Assert.DoesNotContain("<script>", index);
        Assert.Contains("&lt;script&gt;", index);
    }

    [Fact]
    public async Task TheProbeCreatesTheFolderAndFailsWhenItCannotWrite()
    {
        await _sender.ProbeAsync(default);
        Assert.True(Directory.Exists(_folder));

        var blocked = Path.Combine(_folder, "a-file");
        await File.WriteAllTextAsync(blocked, "not a folder");
        var broken = new PickupFolderEmailSender(
            Options.Create(new EmailOptions { FromEmail = "r@summit-followups.example", PickupFolder = Path.Combine(blocked, "outbox") }),
            _time, NullLogger<PickupFolderEmailSender>.Instance);
        await Assert.ThrowsAnyAsync<IOException>(() => broken.ProbeAsync(default));
    }
}
