using Summit.Reminders.DeliveryStatus;

namespace Summit.Reminders.Ports;

/// <summary>Why a webhook request was refused, with nothing recorded.</summary>
public enum ProviderEventRefusal { NotConfigured, MissingSignature, BadSignature, StaleTimestamp, NotAnEventArray }

/// <summary>The events of one verified webhook request: those we act on, and how many we ignore (opens, clicks, kinds we do
/// not track) or cannot correlate (no ids of ours).</summary>
public sealed record ProviderEventBatch(IReadOnlyList<ProviderEvent> Events, int Ignored, int Uncorrelated);

/// <summary>The email provider's signed event webhook: verifies a request and reads its events.</summary>
public interface IProviderEventSource
{
    /// <summary>The events of <paramref name="body"/> when <paramref name="signature"/> and <paramref name="timestamp"/>
    /// prove the provider sent it just now; otherwise why not (and a detail for the answer).</summary>
    (ProviderEventBatch? Batch, ProviderEventRefusal? Refusal, string? Detail) Read(string body, string? signature, string? timestamp);
}
