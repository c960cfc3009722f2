using Amqp;
using Amqp.Framing;
using Amqp.Handler;
using Amqp.Listener;
using Amqp.Types;

namespace Summit.TestSupport.ServiceBus;

// AMQP wiring: which endpoint serves each attached link.
public sealed partial class FakeServiceBusBroker
{
    private const int IncomingCredit = 100;

    private void Attach(AttachContext context)
    {
        var link = context.Link;
        var attach = context.Attach;

        // A listener link has the opposite role of the client's: Role false means the broker sends.
        var brokerSends = !link.Role;
        var address = brokerSends ? (attach.Source as Source)?.Address : (attach.Target as Target)?.Address;
        var node = NodeAddress.Parse(address);
        if (node is null)
        {
            context.Complete(new Error(ErrorCode.NotFound) { Description = $"No messaging entity at '{address}'." });
            return;
        }

        if (node.IsCbs || node.IsManagement)
        {
            if (brokerSends)
            {
                var replyTo = (attach.Target as Target)?.Address ?? string.Empty;
                var key = (link.Session.Connection, replyTo);
                lock (_gate)
                {
                    _replyLinks[key] = link;
                }

                context.Complete(new ReplyEndpoint(this, key), 0);
            }
            else
            {
                context.Complete(new RequestEndpoint(this, node), IncomingCredit);
            }

            return;
        }

        BrokerQueue? queue;
        lock (_gate)
        {
            queue = GetQueueLocked(node.Queue);
        }

        if (queue is null)
        {
            context.Complete(new Error(ErrorCode.NotFound)
            {
                Description = $"The messaging entity '{node.Queue}' could not be found.",
            });
            return;
        }

        if (brokerSends)
        {
            if (attach.Source is Source { FilterSet: { } filters } && filters.Keys.Any(k => k.ToString()!.Contains("session-filter", StringComparison.Ordinal)))
            {
                context.Complete(new Error(ErrorCode.NotImplemented) { Description = "FakeServiceBusBroker does not support sessions." });
                return;
            }

            var consumer = new Consumer(
                link,
                node.IsDeadLetter ? queue.DeadLetter : queue.Main,
                receiveAndDelete: attach.SndSettleMode == SenderSettleMode.Settled);
            AddConsumer(consumer);
            context.Complete(new ConsumerEndpoint(this, consumer), 0);
        }
        else
        {
            if (node.IsDeadLetter)
            {
                context.Complete(new Error(ErrorCode.NotAllowed) { Description = "Cannot send to a dead-letter queue." });
                return;
            }

            attach.MaxMessageSize = MaxMessageSize;
            context.Complete(new IncomingEndpoint(this, queue), IncomingCredit);
        }
    }

    private void OnRequest(NodeAddress node, MessageContext context)
    {
        var request = context.Message;
        var response = node.IsCbs ? HandleCbs(request) : HandleManagement(node, request);
        response.Properties ??= new Properties();
        response.Properties.SetCorrelationId(request.Properties?.GetMessageId());
        var replyTo = request.Properties?.ReplyTo;
        context.Complete();

        ListenerLink? replyLink = null;
        lock (_gate)
        {
            if (replyTo is not null)
            {
                _replyLinks.TryGetValue((context.Link.Session.Connection, replyTo), out replyLink);
            }
        }

        try
        {
            replyLink?.SendMessage(response);
        }
        catch (AmqpException)
        {
            // The client went away before we answered.
        }
    }

    private static Message HandleCbs(Message request)
    {
        // Any token is accepted; the client only needs a 202.
        return new Message(new Map())
        {
            ApplicationProperties = new ApplicationProperties
            {
                Map = { ["status-code"] = 202, ["status-description"] = "Accepted" },
            },
        };
    }

    private void RemoveReplyLink((Connection Connection, string Address) key, ListenerLink link)
    {
        lock (_gate)
        {
            if (_replyLinks.TryGetValue(key, out var current) && current == link)
            {
                _replyLinks.Remove(key);
            }
        }
    }

    /// <summary>A link address, e.g. "/orders", "orders/$deadletterqueue", "orders/$management" or "$cbs".</summary>
    private sealed record NodeAddress(string Queue, bool IsDeadLetter, bool IsManagement, bool IsCbs)
    {
        public static NodeAddress? Parse(string? address)
        {
            if (string.IsNullOrWhiteSpace(address))
            {
                return null;
            }

            var path = address;
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "sb" or "amqp" or "amqps")
            {
                path = uri.AbsolutePath;
            }

            path = path.Trim('/');
            if (path.Equals("$cbs", StringComparison.OrdinalIgnoreCase))
            {
                return new NodeAddress(string.Empty, false, false, IsCbs: true);
            }

            var management = TrimSuffix(ref path, "/$management");
            var deadLetter = TrimSuffix(ref path, "/$deadletterqueue");
            if (path.Length == 0 || path.Contains('$', StringComparison.Ordinal) || path.Contains('/', StringComparison.Ordinal))
            {
                return null;
            }

            return new NodeAddress(path, deadLetter, management, IsCbs: false);
        }

        private static bool TrimSuffix(ref string path, string suffix)
        {
            if (!path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            path = path[..^suffix.Length];
            return true;
        }
    }

    private sealed class LinkProcessor(FakeServiceBusBroker broker) : ILinkProcessor
    {
        public void Process(AttachContext attachContext) => broker.Attach(attachContext);
    }

    /// <summary>Client sender link: each message (or batch) is stored and accepted.</summary>
    private sealed class IncomingEndpoint(FakeServiceBusBroker broker, BrokerQueue queue) : LinkEndpoint
    {
        public override void OnMessage(MessageContext messageContext)
        {
            if (broker.AcceptIncoming(queue, messageContext.Message))
            {
                messageContext.Complete();
            }
            else
            {
                messageContext.Complete(new Error(ErrorCode.ConnectionForced) { Description = "The broker is stopped." });
            }
        }

        public override void OnFlow(FlowContext flowContext)
        {
        }

        public override void OnDisposition(DispositionContext dispositionContext)
        {
        }
    }

    /// <summary>Request side of $cbs and $management: requests arrive here, replies leave on a <see cref="ReplyEndpoint"/>.</summary>
    private sealed class RequestEndpoint(FakeServiceBusBroker broker, NodeAddress node) : LinkEndpoint
    {
        public override void OnMessage(MessageContext messageContext) => broker.OnRequest(node, messageContext);

        public override void OnFlow(FlowContext flowContext)
        {
        }

        public override void OnDisposition(DispositionContext dispositionContext)
        {
        }
    }

    private sealed class ReplyEndpoint(FakeServiceBusBroker broker, (Connection Connection, string Address) key) : LinkEndpoint
    {
        public override void OnFlow(FlowContext flowContext)
        {
        }

        public override void OnDisposition(DispositionContext dispositionContext)
        {
        }

        public override void OnLinkClosed(ListenerLink link, Error error) => broker.RemoveReplyLink(key, link);
    }

    /// <summary>Client receiver link on a queue or dead-letter queue.</summary>
    private sealed class ConsumerEndpoint(FakeServiceBusBroker broker, Consumer consumer) : LinkEndpoint
    {
        public override void OnFlow(FlowContext flowContext) => broker.OnConsumerFlow(consumer, flowContext);

        public override void OnDisposition(DispositionContext dispositionContext) => broker.OnConsumerDisposition(consumer, dispositionContext);

        public override void OnLinkClosed(ListenerLink link, Error error) => broker.RemoveConsumer(consumer);
    }

    /// <summary>Makes the delivery tag of a peek-locked message its lock token, which is how the client learns it.</summary>
    private sealed class LockTokenDeliveryTagHandler : IHandler
    {
        public static readonly LockTokenDeliveryTagHandler Instance = new();

        public bool CanHandle(EventId id) => id == EventId.SendDelivery;

        public void Handle(Event protocolEvent)
        {
            if (protocolEvent.Id == EventId.SendDelivery
                && protocolEvent.Context is IDelivery delivery
                && delivery.Message?.MessageAnnotations?.Map is { } annotations
                && annotations.TryGetValue(LockTokenKey, out var token)
                && token is Guid lockToken)
            {
                delivery.Tag = lockToken.ToByteArray();
            }
        }
    }
}
