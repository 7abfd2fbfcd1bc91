using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cohorts.Domain.Events;

/// <summary>
/// A delivery as it goes over the wire: the event as a CloudEvents 1.0 JSON body (structured mode), signed the Standard
/// Webhooks 1.0 way — <c>webhook-id</c> (the event id, the same on every retry), <c>webhook-timestamp</c> (Unix
/// seconds) and <c>webhook-signature</c> (<c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>
/// keyed by the secret's base64-decoded bytes).
/// </summary>
public static class WebhookMessage
{
    /// <summary>The media type of a structured-mode CloudEvent in JSON.</summary>
    public const string MediaType = "application/cloudevents+json";

    private static readonly System.Text.Json.JsonSerializerOptions BodyJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The CloudEvents JSON body of <paramref name="cohortEvent"/>.</summary>
    public static string Body(CohortEvent cohortEvent)
    {
        ArgumentNullException.ThrowIfNull(cohortEvent);
        var body = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = cohortEvent.Id,
            ["source"] = cohortEvent.Source,
            ["type"] = cohortEvent.CloudEventType,
            ["subject"] = cohortEvent.Subject,
            ["time"] = cohortEvent.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["datacontenttype"] = "application/json",
            ["data"] = cohortEvent.Data.DeepClone(),
        };
        return body.ToJsonString(BodyJson);
    }

    /// <summary>The <c>webhook-signature</c> value of <paramref name="body"/> sent as <paramref name="messageId"/> at <paramref name="timestamp"/>.</summary>
    /// <exception cref="FormatException">The secret is not <c>whsec_</c> and base64.</exception>
    public static string Signature(string secret, string messageId, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        byte[] key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
        byte[] mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}
