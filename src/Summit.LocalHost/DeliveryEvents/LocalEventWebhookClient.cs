using System.Net;
using System.Text;
using Summit.Functions.Webhooks;

namespace Summit.LocalHost.DeliveryEvents;

/// <summary>The answer of the Event Webhook endpoint to one post: its status code and body, as SendGrid would see them.</summary>
public sealed record WebhookAnswer(int Status, string? ContentType, string Body);

/// <summary>
/// Posts signed event batches to this host's own <c>ReceiveSendGridEvents</c> function over HTTP, with the headers SendGrid
/// sends, so that local events pass through everything SendGrid's do: Kestrel, the anonymous route, the signature and
/// timestamp check, parsing and recording. The route is the function's own (from its attribute), not a second copy.
/// </summary>
public sealed class LocalEventWebhookClient(LocalEventSigner signer, LocalHostOptions local, LocalFunctions functions, IHttpClientFactory http, TimeProvider time)
{
    public const string HttpClientName = "local-event-webhook";
    public const string FunctionName = "ReceiveSendGridEvents";

    /// <summary>This host's own Event Webhook URL (a wildcard listening address is reached through loopback).</summary>
    public Uri Endpoint { get; } = OwnUrl(local, functions.Http.Single(h => h.Function.Name == FunctionName).Pattern);

    /// <summary>The body signed now, as SendGrid would send it.</summary>
    public SignedEvents Sign(string body) => signer.Sign(body, time.GetUtcNow());

    public async Task<WebhookAnswer> PostAsync(string body, CancellationToken cancellationToken)
    {
        var signed = Sign(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent(signed.Body, Encoding.UTF8, "application/json") };
        request.Headers.Add(SendGridEventsApi.SignatureHeader, signed.Signature);
        request.Headers.Add(SendGridEventsApi.TimestampHeader, signed.Timestamp);
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        return new WebhookAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static Uri OwnUrl(LocalHostOptions local, string pattern)
    {
        var address = IPAddress.Parse(local.Address);
        if (address.Equals(IPAddress.Any)) address = IPAddress.Loopback;
        else if (address.Equals(IPAddress.IPv6Any)) address = IPAddress.IPv6Loopback;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new Uri($"http://{host}:{local.Port}/{pattern}");
    }
}
