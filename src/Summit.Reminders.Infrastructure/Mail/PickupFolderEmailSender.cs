using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Summit.Reminders.Email;
using Summit.Reminders.Ports;

namespace Summit.Reminders.Infrastructure.Mail;

/// <summary>
/// The local email transport: each email becomes a standards-compliant .eml file (text, HTML and the .ics invitation
/// as MIME parts) in a folder, with an HTML copy of the body and an <c>index.html</c> that lists the emails newest
/// first. One file per reminder id: a second send of the same reminder is accepted without writing again, as a
/// provider with de-duplication would.
/// </summary>
public sealed partial class PickupFolderEmailSender(IOptions<EmailOptions> options, TimeProvider time, ILogger<PickupFolderEmailSender> logger)
    : IEmailSender, IDependencyProbe
{
    public const string IndexFileName = "index.html";
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
        var stem = FileStem(message);
        var eml = Path.Combine(folder, stem + ".eml");
        var providerId = "pickup-" + stem;
        if (File.Exists(eml))
        {
            LogAlreadyWritten(logger, stem);
            return new SendResult.Accepted(providerId);
        }

        var mime = ToMime(message, stem, time.GetUtcNow());
        mime.Prepare(EncodingConstraint.SevenBit); // quoted-printable or base64 where needed: the file is plain ASCII, as SMTP expects
        var temporary = Path.Combine(folder, $".{stem}.{Guid.NewGuid():N}.tmp");
        try
        {
            await mime.WriteToAsync(temporary, cancellationToken);
            File.Move(temporary, eml, overwrite: false);
        }
        catch (IOException) when (File.Exists(eml))
        {
            LogAlreadyWritten(logger, stem);
            return new SendResult.Accepted(providerId);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        await File.WriteAllTextAsync(Path.Combine(folder, stem + ".html"), message.Html, Utf8NoBom, cancellationToken);
        await WriteIndexAsync(folder, cancellationToken);
        LogWritten(logger, stem);
        return new SendResult.Accepted(providerId);
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
        foreach (var (key, value) in message.CustomArgs) mime.Headers.Add("X-Summit-" + key.Replace('_', '-'), value);
        if (message.Categories.Count > 0) mime.Headers.Add("X-Summit-Categories", string.Join(", ", message.Categories));

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

    private async Task WriteIndexAsync(string folder, CancellationToken cancellationToken)
    {
        await _indexLock.WaitAsync(cancellationToken);
        try
        {
            var entries = new List<(DateTimeOffset Date, string To, string Subject, string Stem)>();
            foreach (var file in Directory.EnumerateFiles(folder, "*.eml"))
            {
                try
                {
                    using var stream = File.OpenRead(file);
                    var parsed = await MimeMessage.LoadAsync(stream, cancellationToken);
                    entries.Add((parsed.Date, parsed.To.ToString(), parsed.Subject ?? "", Path.GetFileNameWithoutExtension(file)));
                }
                catch (FormatException) { /* not one of ours; leave it out of the index */ }
            }
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
            page.Append("</tbody></table></body></html>");
            var temporary = Path.Combine(folder, $".index.{Guid.NewGuid():N}.tmp");
            await File.WriteAllTextAsync(temporary, page.ToString(), Utf8NoBom, cancellationToken);
            File.Move(temporary, Path.Combine(folder, IndexFileName), overwrite: true);
        }
        finally
        {
            _indexLock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote email {Stem}.eml to the pickup folder")]
    private static partial void LogWritten(ILogger logger, string stem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Stem}.eml is already in the pickup folder; not written again")]
    private static partial void LogAlreadyWritten(ILogger logger, string stem);
}
