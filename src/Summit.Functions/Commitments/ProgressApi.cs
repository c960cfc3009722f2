using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Functions.Identity;
using Summit.Reminders.Commitments;
using Summit.Reminders.Meetings;
using Summit.Reminders.Participation;

namespace Summit.Functions.Commitments;

/// <summary>A track's commitments as they stand at <see cref="AsOf"/>: the counts and every commitment (docs/api.md,
/// "Progress per track").</summary>
public sealed record TrackProgressResponse(Operations.TrackResponse Track, DateTimeOffset AsOf, ProgressCounts Counts, IReadOnlyList<ProgressItem> Items);

/// <summary>A track's progress: the numbers as JSON, and the page with its chart (coordinators and observers of the track; coordinators reach the
/// page without signing in through the signed link their escalation email carries, <c>/api/p/progress?token=</c>).</summary>
public sealed class ProgressApi(ProgressService progress, Guard guard)
{
    [Function("TrackProgress")]
    [Needs(Need.Read)]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tracks/{id}/progress")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Read, async () =>
        {
            if (Hidden(request, id) is { } refused) return refused;
            if (await progress.ForTrackAsync(id, cancellationToken) is not { } p) return Problems.NotFound(request, "The track");
            return new OkObjectResult(new TrackProgressResponse(Operations.TrackResponse.From(p.Track), p.AsOf, p.Counts, p.Items));
        });

    [Function("TrackProgressPage")]
    [Needs(Need.Read)]
    public Task<IActionResult> Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/tracks/{id}/progress/page")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        guard.RunAsync(request, Need.Read, async () =>
            Hidden(request, id) ?? (await progress.ForTrackAsync(id, cancellationToken) is { } p
                // The chart compares tracks: only those the caller may see (an observer of one track sees one bar).
                ? Html(request, StatusCodes.Status200OK, ProgressPage.Render(p with
                {
                    AllTracks = [.. p.AllTracks.Where(t => Summit.Reminders.Identity.Allowed.Caller.CanRead(t.Track.Id))],
                }, Language(request)))
                : Problems.NotFound(request, "The track")));

    /// <summary>403 for a known track the caller's roles do not let them see (an unknown one is a 404 like before).</summary>
    private static IActionResult? Hidden(HttpRequest request, string track) =>
        Tracks.All.Any(t => t.Id == track) && Summit.Reminders.Identity.Allowed.ToRead(track, "id") is { } refusal ? Problems.Forbidden(request, refusal) : null;

    /// <summary>The page behind a coordinator's signed link: the token names the track; nothing else is readable with it.</summary>
    internal static async Task<IActionResult> FromLinkAsync(ProgressService progress, LinkSigner signer, HttpRequest request, CancellationToken cancellationToken)
    {
        var language = Language(request);
        var text = LinkPageText.For(language);
        var check = signer.Check(request.Query["token"].ToString());
        if (check is LinkCheck.Invalid { Problem: LinkProblem.Expired })
            return Html(request, StatusCodes.Status410Gone, ErrorPage(text, text.ErrorHeading, text.Expired));
        if (check is not LinkCheck.Valid { Claims: { Action: ParticipantAction.Progress } claims })
            return Html(request, StatusCodes.Status400BadRequest, ErrorPage(text));
        return await progress.ForTrackAsync(claims.MeetingId, cancellationToken) is { } p
            ? Html(request, StatusCodes.Status200OK, ProgressPage.Render(p, language))
            : Html(request, StatusCodes.Status404NotFound, ErrorPage(text));
    }

    private static string ErrorPage(LinkPageText text, string? heading = null, string? message = null) =>
        Summit.Reminders.Email.EmailTemplates.RenderHtml("page", new Dictionary<string, string?>
        {
            ["lang"] = text.Code, ["page"] = message is null ? "error-invalid" : "error-expired", ["heading"] = heading ?? text.ErrorHeading,
            ["message"] = message ?? text.Invalid,
        });

    private static string? Language(HttpRequest request) =>
        request.Query["lang"].ToString() is "en" or "ko" or "tr" ? request.Query["lang"].ToString() : LinkPageText.FromAcceptLanguage(request.Headers.AcceptLanguage.ToString()).Code;

    private static ContentResult Html(HttpRequest request, int status, string html)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Frame-Options"] = "DENY";
        headers["X-Content-Type-Options"] = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        headers["X-Robots-Tag"] = "noindex";
        return new ContentResult { StatusCode = status, ContentType = "text/html; charset=utf-8", Content = html };
    }
}
