using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Summit.Reminders.Email;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.Mail;

/// <summary>
/// The local email transport: each email becomes a standards-compliant .eml file (text, HTML and the .ics invitation
/// as MIME parts) in a folder, with an HTML copy of the body and an <c>index.html</c> that lists the emails newest
/// first. Files are named after the reminder id; a second send of the same reminder is kept as "{id}.dup2.eml" and
/// logged as a warning, so a duplicate is as visible here as in a participant's inbox.
/// </summary>
public sealed partial class PickupFolderEmailSender(IOptions<EmailOptions> options, TimeProvider time, ILogger<PickupFolderEmailSender> logger)
    : IEmailSender, IDependencyProbe, ISentEmails
{
    public const string IndexFileName = "index.html";
    public const string ManifestFileName = "index.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const int IndexLimit = 500;
    private readonly EmailOptions _options = options.Value;
    private readonly SemaphoreSlim _indexLock = new(1, 1);
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The absolute folder the emails go to.</summary>
    public string Folder => Path.GetFullPath(_options.PickupFolder);

    public string Name => "Email pickup folder";

    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var folder = Folder;
        Directory.CreateDirectory(folder);
        var reminder = FileStem(message);
        var sentAt = time.GetUtcNow();
        var mime = ToMime(message, reminder, sentAt);
        mime.Prepare(EncodingConstraint.SevenBit); // quoted-printable or base64 where needed: the file is plain ASCII, as SMTP expects
        var temporary = Path.Combine(folder, $".{reminder}.{Guid.NewGuid():N}.tmp");
        string stem;
        try
        {
            await mime.WriteToAsync(temporary, cancellationToken);
            stem = ClaimName(folder, reminder, temporary);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        await File.WriteAllTextAsync(Path.Combine(folder, stem + ".html"), message.Html, Utf8NoBom, cancellationToken);
        await AddToIndexAsync(folder, new IndexEntry(sentAt, mime.To.ToString(), message.Subject, stem), cancellationToken);
        if (stem == reminder) LogWritten(logger, stem);
        else LogDuplicate(logger, reminder, stem);
        return new SendResult.Accepted("pickup-" + stem);
    }

    /// <summary>Moves the written file to "{reminder}.eml", or, when that reminder was sent before, to
    /// "{reminder}.dup2.eml", "...dup3.eml": like a real provider the folder keeps every send, so a duplicate shows.</summary>
    private static string ClaimName(string folder, string reminder, string temporary)
    {
        for (var n = 1; n < 1000; n++)
        {
            var stem = n == 1 ? reminder : $"{reminder}.dup{n}";
            var target = Path.Combine(folder, stem + ".eml");
            if (File.Exists(target)) continue;
            try
            {
                File.Move(temporary, target, overwrite: false);
                return stem;
            }
            catch (IOException) when (File.Exists(target))
            {
                // Another send of the same reminder won the name: try the next one.
            }
        }
        throw new IOException($"Reminder {reminder} has been written 1,000 times already.");
    }

    /// <summary>Creates the folder if needed and proves it is writable.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var probe = Path.Combine(Folder, $".probe-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(probe, "ok", cancellationToken);
        File.Delete(probe);
    }

    internal MimeMessage ToMime(EmailMessage message, string stem, DateTimeOffset now)
    {
        var mime = new MimeMessage
        {
            Date = now,
            MessageId = $"{stem}@summit-followups.local",
            Subject = message.Subject,
        };
        mime.From.Add(new MailboxAddress(_options.FromName, _options.FromEmail));
        mime.To.Add(new MailboxAddress(message.To.Name ?? "", message.To.Email));
        if (message.ReplyTo is { } replyTo) mime.ReplyTo.Add(new MailboxAddress(replyTo.Name ?? "", replyTo.Email));
        foreach (var (key, value) in message.CustomArgs) mime.Headers.Add("X-Summit-" + key.Replace('_', '-'), value);
        if (message.Categories.Count > 0) mime.Headers.Add("X-Summit-Categories", string.Join(", ", message.Categories));
        foreach (var (key, value) in message.Headers) mime.Headers.Add(key, value);

        var text = new TextPart(MimeKit.Text.TextFormat.Plain);
        text.SetText(Encoding.UTF8, message.Text);
        var html = new TextPart(MimeKit.Text.TextFormat.Html);
        html.SetText(Encoding.UTF8, message.Html);
        var body = new MultipartAlternative { text, html };
        if (message.Attachments.Count == 0)
        {
            mime.Body = body;
            return mime;
        }
        var mixed = new Multipart("mixed") { body };
        foreach (var attachment in message.Attachments)
        {
            mixed.Add(new MimePart(ContentType.Parse(attachment.ContentType))
            {
                Content = new MimeContent(new MemoryStream(attachment.Content)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = attachment.FileName },
                ContentTransferEncoding = ContentEncoding.Base64,
            });
        }
        mime.Body = mixed;
        return mime;
    }

    /// <summary>The reminder id names the file (it holds no personal data); other emails get a random name.</summary>
    internal static string FileStem(EmailMessage message)
    {
        if (!message.CustomArgs.TryGetValue("reminder_id", out var id) || string.IsNullOrWhiteSpace(id)) return "email-" + Guid.NewGuid().ToString("N");
        var safe = new StringBuilder(id.Length);
        foreach (var c in id) safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        return safe.Length <= 150 ? safe.ToString() : safe.ToString(0, 150);
    }

    private sealed record IndexEntry(DateTimeOffset Date, string To, string Subject, string Stem);

    /// <summary>Adds one email to index.json (a manifest, so a send costs the same however full the folder is) and
    /// renders index.html from it. A folder without a manifest (written by an older version) is read once.</summary>
    private async Task AddToIndexAsync(string folder, IndexEntry entry, CancellationToken cancellationToken)
    {
        await _indexLock.WaitAsync(cancellationToken);
        try
        {
            var manifest = Path.Combine(folder, ManifestFileName);
            List<IndexEntry> entries;
            if (File.Exists(manifest))
            {
                await using var stream = File.OpenRead(manifest);
                entries = await JsonSerializer.DeserializeAsync<List<IndexEntry>>(stream, Json, cancellationToken) ?? [];
            }
            else
            {
                entries = [];
                foreach (var file in Directory.EnumerateFiles(folder, "*.eml"))
                {
                    try
                    {
                        var parsed = await MimeMessage.LoadAsync(file, cancellationToken);
                        entries.Add(new IndexEntry(parsed.Date, parsed.To.ToString(), parsed.Subject ?? "", Path.GetFileNameWithoutExtension(file)));
                    }
                    catch (FormatException) { /* not an email; leave it out */ }
                }
            }
            entries.RemoveAll(e => e.Stem == entry.Stem);
            entries.Add(entry);
            await ReplaceAsync(folder, ManifestFileName, JsonSerializer.Serialize(entries, Json), cancellationToken);
            await ReplaceAsync(folder, IndexFileName, RenderIndex(entries), cancellationToken);
        }
        finally
        {
            _indexLock.Release();
        }
    }

    /// <summary>Deletes the meeting's emails (all, or those to <paramref name="recipientIds"/>): their .eml and .html
    /// files and their lines in the index. Files are named after the reminder id, "{meeting}.{plan}.{slot}.{recipient}".</summary>
    public async Task<int> EraseAsync(string meetingId, IReadOnlySet<string>? recipientIds, IReadOnlySet<string>? mentioning, CancellationToken cancellationToken)
    {
        var folder = Folder;
        if (!Directory.Exists(folder)) return 0;
        bool OfMeeting(string stem, out string recipient)
        {
            var parts = stem.Split('.');
            recipient = parts.Length >= 4 ? parts[3] : "";
            return parts.Length >= 4 && parts[0] == meetingId;
        }
        await _indexLock.WaitAsync(cancellationToken);
        try
        {
            var erasedStems = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(folder, meetingId + ".*").Where(f => f.EndsWith(".eml", StringComparison.Ordinal) || f.EndsWith(".html", StringComparison.Ordinal)).ToList())
            {
                var stem = Path.GetFileNameWithoutExtension(file);
                if (!OfMeeting(stem, out var recipient)) continue;
                // Everyone's invitation lists every attendee: an email to someone else goes too when it names the person.
                var erase = recipientIds is null || recipientIds.Contains(recipient) || erasedStems.Contains(stem)
                    || (mentioning is not null && file.EndsWith(".eml", StringComparison.Ordinal) && await MentionsAsync(file, mentioning, cancellationToken));
                if (!erase) continue;
                File.Delete(file);
                File.Delete(Path.Combine(folder, stem + (file.EndsWith(".eml", StringComparison.Ordinal) ? ".html" : ".eml")));
                erasedStems.Add(stem);
            }
            bool Matches(string stem) => erasedStems.Contains(stem);
            var erased = erasedStems.Count;
            var manifest = Path.Combine(folder, ManifestFileName);
            if (File.Exists(manifest))
            {
                List<IndexEntry> entries;
                await using (var stream = File.OpenRead(manifest))
                    entries = await JsonSerializer.DeserializeAsync<List<IndexEntry>>(stream, Json, cancellationToken) ?? [];
                if (entries.RemoveAll(e => Matches(e.Stem)) > 0)
                {
                    await ReplaceAsync(folder, ManifestFileName, JsonSerializer.Serialize(entries, Json), cancellationToken);
                    await ReplaceAsync(folder, IndexFileName, RenderIndex(entries), cancellationToken);
                }
            }
            if (erased > 0) LogErased(logger, erased, meetingId);
            return erased;
        }
        finally
        {
            _indexLock.Release();
        }
    }

    /// <summary>Whether the email names any of <paramref name="addresses"/>: in its headers, its text and HTML, or an
    /// attachment (the calendar entry's ATTENDEE and ORGANIZER lines), each decoded first.</summary>
    private static async Task<bool> MentionsAsync(string file, IReadOnlySet<string> addresses, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(file, cancellationToken);
        }
        catch (FormatException)
        {
            return false;
        }
        var texts = new List<string> { string.Join('\n', message.Headers.Select(h => h.Value)) };
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            if (part is TextPart text) texts.Add(text.Text);
            else if (part.Content is { } content)
            {
                using var decoded = new MemoryStream();
                await content.DecodeToAsync(decoded, cancellationToken);
                texts.Add(Encoding.UTF8.GetString(decoded.ToArray()));
            }
        }
        return texts.Any(t => addresses.Any(a => t.Contains(a, StringComparison.OrdinalIgnoreCase)));
    }

    private static async Task ReplaceAsync(string folder, string name, string content, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temporary, content, Utf8NoBom, cancellationToken);
        File.Move(temporary, Path.Combine(folder, name), overwrite: true);
    }

    private static string RenderIndex(List<IndexEntry> entries)
    {
        var page = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Summit reminders: sent emails</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.3em .8em;text-align:left;border-bottom:1px solid #ccc}</style>")
            .Append("</head><body><h1>Sent emails (local pickup folder)</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>{entries.Count} emails, newest first{(entries.Count > IndexLimit ? $"; the newest {IndexLimit} are listed" : "")}. Written by the local email transport; nothing here was sent to anyone.</p>")
            .Append("<table><thead><tr><th>Sent (UTC)</th><th>To</th><th>Subject</th><th>Files</th></tr></thead><tbody>");
        foreach (var e in entries.OrderByDescending(e => e.Date).ThenByDescending(e => e.Stem, StringComparer.Ordinal).Take(IndexLimit))
        {
            var link = Uri.EscapeDataString(e.Stem);
            page.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{e.Date.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td><td>{WebUtility.HtmlEncode(e.To)}</td><td>{WebUtility.HtmlEncode(e.Subject)}</td><td><a href=\"{link}.html\">view</a> · <a href=\"{link}.eml\">.eml</a></td></tr>");
        }
        return page.Append("</tbody></table></body></html>").ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased {Count} emails of meeting {MeetingId} from the pickup folder")]
    private static partial void LogErased(ILogger logger, int count, string meetingId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote email {Stem}.eml to the pickup folder")]
    private static partial void LogWritten(ILogger logger, string stem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {ReminderId} was sent again: written as {Stem}.eml (a duplicate send)")]
    private static partial void LogDuplicate(ILogger logger, string reminderId, string stem);
}
