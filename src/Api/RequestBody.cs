using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cohorts.Connectors.Json;
using Cohorts.Domain;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>Reads JSON request bodies with a size limit, a media-type check and errors that name the field at fault.</summary>
public static class RequestBody
{
    /// <summary>The largest JSON body accepted (1 MiB): plans and events are small.</summary>
    public const long MaxJsonBytes = 1024 * 1024;

    /// <summary>Reads <typeparamref name="T"/> or returns the problem to answer with.</summary>
    public static async Task<(T? Value, ApiProblem? Problem)> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxJsonBytes)
        {
            return (null, Problems.TooLarge(MaxJsonBytes));
        }

        string? mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !(mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Problems.UnsupportedMediaType("application/json"));
        }

        using MemoryStream? buffer = await ReadUpToAsync(request, MaxJsonBytes, cancellationToken);
        if (buffer is null)
        {
            return (null, Problems.TooLarge(MaxJsonBytes));
        }

        if (buffer.Length == 0)
        {
            return (null, Problems.InvalidJson("The request body is empty.", null));
        }

        try
        {
            ReadOnlyMemory<byte> bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
            {
                // JSON is UTF-8 (RFC 8259): a body that is not would fail deep inside a reader, as a server error
                return (null, Problems.InvalidJson("The body is not valid UTF-8; JSON bodies are sent in UTF-8.", null));
            }

            // the document is read first: a member sent twice is refused as malformed (which of the two would count?),
            // and every string, list and map is held to its bound before anything reads it
            using (JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false }))
            {
                if (RequestLimits.Check(document.RootElement) is { } tooBig)
                {
                    return (null, tooBig);
                }
            }

            T? value = typeof(T) == typeof(System.Text.Json.Nodes.JsonObject)
                ? ReadObject(bytes) as T
                : JsonSerializer.Deserialize<T>(bytes.Span, CohortsJson.StrictInput);
            return value is null ? (null, Problems.InvalidJson("The body is JSON null; an object is expected.", null)) : (value, null);
        }
        catch (JsonException e)
        {
            string? field = JsonPaths.Field(e);
            string where = field is null ? string.Empty : $" at '{field}'";
            // The message of a JsonException can echo a type name; the path and line are what a client needs.
            string reason = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "an unknown member"
                : "a value of the wrong type or malformed JSON";
            return (null, Problems.InvalidJson($"The body has {reason}{where} (line {e.LineNumber + 1}).", field));
        }
    }

    private static System.Text.Json.Nodes.JsonObject? ReadObject(ReadOnlyMemory<byte> bytes)
    {
        using JsonDocument document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false });
        return document.RootElement.ValueKind switch
        {
            JsonValueKind.Object => System.Text.Json.Nodes.JsonObject.Create(document.RootElement.Clone()),
            JsonValueKind.Null => null,
            _ => throw new JsonException("Expected a JSON object."),
        };
    }

    /// <summary>The whole body in memory, or null when it is longer than <paramref name="maxBytes"/> (whatever the declared length).</summary>
    public static async Task<MemoryStream?> ReadUpToAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                await buffer.DisposeAsync();
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>A digest of a request's meaning: the same value serialized the same way gives the same fingerprint, whatever the whitespace or member order sent.</summary>
    public static string Fingerprint<T>(T value) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(value, FingerprintOptions)));

    // the body is fingerprinted before it is validated: a number JSON read as infinity (1e309) must not stop that
    private static readonly JsonSerializerOptions FingerprintOptions = new(CohortsJson.Options) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
