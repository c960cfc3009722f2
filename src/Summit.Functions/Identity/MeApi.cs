using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Summit.Functions.History;
using Summit.Functions.Http;
using Summit.Functions.Operations;
using Summit.Reminders.Audit;

namespace Summit.Functions.Identity;

/// <summary>Who the caller is to this app: <c>actor</c> as the history names them, the roles that granted something,
/// and every track they may see with whether they may change it (what the console shows and offers).</summary>
public sealed record MeResponse(HistoryActorResponse Actor, IReadOnlyList<string> Roles, bool CanOperate, IReadOnlyList<MyTrackResponse> Tracks);

public sealed record MyTrackResponse(string Id, TrackResponse Track, bool CanChange);

public sealed class MeApi(Guard guard)
{
    [Function("GetMe")]
    [Needs(Need.SignedIn)]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me")] HttpRequest request) =>
        guard.RunAsync(request, Need.SignedIn, () =>
        {
            var (actor, _, access) = RequestOrigin.Current;
            return Task.FromResult<IActionResult>(new OkObjectResult(new MeResponse(HistoryActorResponse.From(actor), access.Roles, access.CanOperate,
                access.ReadableTracks.Select(t => new MyTrackResponse(t.Id, TrackResponse.From(t), access.CanChange(t.Id))).ToList())));
        });
}
