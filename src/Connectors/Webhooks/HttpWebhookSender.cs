using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cohorts.Domain.Events;

namespace Cohorts.Connectors.Webhooks;

/// <summary>
/// Posts signed CloudEvents over HTTP. Redirects are not followed, and every connection is checked where it is made:
/// a name that resolves to a private or loopback address is refused unless private networks are allowed, so a
/// subscription cannot be turned against the network it runs in after it was accepted (DNS rebinding).
/// </summary>
public sealed class HttpWebhookSender : IWebhookSender, IDisposable
{
    private readonly HttpClient http;
    private readonly TimeProvider time;

    /// <summary>A sender with its own connection pool.</summary>
    public HttpWebhookSender(WebhookOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.time = time;
        bool allowPrivate = options.AllowPrivateNetworks;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, cancellationToken) =>
            {
                IPAddress[] addresses = await NetworkAddresses.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
                IPAddress target = addresses.FirstOrDefault(a => allowPrivate || NetworkAddresses.IsPublic(a))
                    ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to no public address.");
                var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(target, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        http = new HttpClient(handler) { Timeout = options.Timeout };
    }

    /// <inheritdoc/>
    public async Task<WebhookResponse> SendAsync(WebhookSubscription subscription, CohortEvent cohortEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(cohortEvent);
        string body = WebhookMessage.Body(cohortEvent);
        long timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, WebhookMessage.MediaType),
        };
        request.Headers.Add("webhook-id", cohortEvent.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookMessage.Signature(subscription.Secret, cohortEvent.Id, timestamp, body));
        request.Headers.UserAgent.ParseAdd("Cohorts-Webhooks/1.0");
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return new WebhookResponse((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (HttpRequestException e)
        {
            return new WebhookResponse(null, e.InnerException is SocketException s ? $"could not connect: {s.SocketErrorCode}" : e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookResponse(null, "no answer within the timeout");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => http.Dispose();
}
