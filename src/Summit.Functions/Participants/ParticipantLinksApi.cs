using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.Http;
using Summit.Functions.Identity;
using Summit.Functions.Meetings;
using Summit.Reminders.Participation;

namespace Summit.Functions.Participants;

/// <summary>
/// The participants' links from their emails. Anonymous: the signed token in the link is the credential, and it only
/// acts for the one participant, meeting and action it names. GET shows a page with a button and changes nothing (mail
/// scanners fetch links); POST records. The POST also takes RFC 8058 one-click unsubscribes (token in the query).
/// </summary>
public sealed class ParticipantLinksApi(ParticipantLinkService links, CommitmentLinkService owners, Summit.Reminders.Commitments.ProgressService progress,
    LinkSigner signer)
{
    // A note of 2,000 characters in Korean is 6,000 bytes, URL-encoded about three times that.
    private const int MaxFormBytes = 32 * 1024;
    private const int MaxFormFields = 10; // the pages' forms have at most four (token, note, link, date), an RFC 8058 one-click one ("List-Unsubscribe")

    [Function("ParticipantLinkPage")]
    [Needs(Need.Anonymous)]
    public Task<IActionResult> Show(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/" + ParticipantLinks.Route + "/{action}")] HttpRequest request, string action,
        CancellationToken cancellationToken) =>
        Guard.RunAnonymousAsync(request, async () => action == ParticipantLinks.PathSegment(ParticipantAction.Progress)
            ? await Commitments.ProgressApi.FromLinkAsync(progress, signer, request, cancellationToken)
            : Html(request, CommitmentLinkService.Handles(action)
            ? await owners.ShowAsync(action, request.Query["token"].ToString(), request.Headers.AcceptLanguage.ToString(), cancellationToken)
            : await links.ShowAsync(action, request.Query["token"].ToString(), request.Headers.AcceptLanguage.ToString(), cancellationToken)));

    [Function("ParticipantLinkConfirm")]
    [Needs(Need.Anonymous)]
    public Task<IActionResult> Confirm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/" + ParticipantLinks.Route + "/{action}")] HttpRequest request, string action,
        CancellationToken cancellationToken) =>
        Guard.RunAnonymousAsync(request, async () =>
        {
            string? token = null;
            OwnerForm fields = new(null, null, null);
            if (request.HasFormContentType)
            {
                var (form, problem) = await FormBody.ReadAsync(request, MaxFormBytes, MaxFormFields, cancellationToken);
                if (problem is not null) return problem;
                token = form!["token"].ToString() is { Length: > 0 } t ? t : null;
                fields = new OwnerForm(Field(form, "note"), Field(form, "link"), Field(form, "date"));
            }
            token ??= request.Query["token"].ToString();
            // The progress page is read-only: nothing to send to it.
            if (action == ParticipantLinks.PathSegment(ParticipantAction.Progress)) return new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            return Html(request, CommitmentLinkService.Handles(action)
                ? await owners.ConfirmAsync(action, token, fields, request.Headers.AcceptLanguage.ToString(), cancellationToken)
                : await links.ConfirmAsync(action, token, request.Headers.AcceptLanguage.ToString(), cancellationToken));
        });

    private static string? Field(IFormCollection form, string name) => form[name].ToString() is { Length: > 0 } value ? value : null;

    private static ContentResult Html(HttpRequest request, LinkPage page)
    {
        var headers = request.HttpContext.Response.Headers;
        // The token is in the URL: never cache the page, never send it on as a Referer, never frame it (clickjacking).
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Frame-Options"] = "DENY";
        headers["X-Content-Type-Options"] = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers["X-Robots-Tag"] = "noindex";
        return new ContentResult { StatusCode = StatusCode(page.Outcome), ContentType = "text/html; charset=utf-8", Content = page.Html };
    }

    private static int StatusCode(LinkOutcome outcome) => outcome switch
    {
        LinkOutcome.Done => StatusCodes.Status200OK,
        LinkOutcome.Expired => StatusCodes.Status410Gone,
        LinkOutcome.Gone => StatusCodes.Status404NotFound,
        LinkOutcome.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };
}
