using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Cohorts.Connectors.Storage;

namespace Cohorts.TestSupport;

/// <summary>One POST a <see cref="WebhookReceiver"/> got, and what it answered.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string ContentType, string Body, int AnsweredWith, DateTimeOffset At);

/// <summary>
/// A tiny webhook receiver on loopback (what an integrator would run): records every POST with its Standard Webhooks
/// headers and answers with the status <see cref="Answer"/> chooses (200 unless told otherwise).
/// </summary>
public sealed class WebhookReceiver : LoopbackHttpServer
{
    private WebhookReceiver(int port)
        : base(port, "/hooks/")
    {
        Listen();
    }

    /// <summary>Everything received, in order.</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>Chooses the status for each POST (given how many earlier POSTs carried the same webhook-id).</summary>
    public Func<string, int, int> Answer { get; set; } = (_, _) => 200;

    /// <summary>A receiver on a free loopback port.</summary>
    public static WebhookReceiver Start() => new(LoopbackPorts.Free());

    /// <summary>What arrived with <paramref name="webhookId"/>.</summary>
    public IReadOnlyList<ReceivedWebhook> WithId(string webhookId) => Received.Where(r => r.Id == webhookId).ToList();

    /// <inheritdoc/>
    protected override async Task HandleAsync(HttpListenerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        string body = await reader.ReadToEndAsync();
        string id = context.Request.Headers["webhook-id"] ?? string.Empty;
        int status = Answer(id, Received.Count(r => r.Id == id));
        Received.Enqueue(new ReceivedWebhook(
            id, context.Request.Headers["webhook-timestamp"] ?? string.Empty, context.Request.Headers["webhook-signature"] ?? string.Empty,
            context.Request.ContentType ?? string.Empty, body, status, DateTimeOffset.UtcNow));
        context.Response.StatusCode = status;
        context.Response.Close();
    }
}
