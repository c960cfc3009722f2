using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Summit.Reminders.Ports;
using Summit.Reminders;

namespace Summit.Functions.Http;

/// <summary>Every HTTP function runs its body through this: storage that cannot be reached is a 503 with problem
/// details and <c>Retry-After</c>, never a bare 500.</summary>
public static class Guard
{
    public static async Task<IActionResult> RunAsync(HttpRequest request, Func<Task<IActionResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (DependencyUnavailableException ex)
        {
            request.HttpContext.Response.Headers.RetryAfter = "30";
            return Problems.Unavailable(request, ex.Dependency);
        }
    }
}
