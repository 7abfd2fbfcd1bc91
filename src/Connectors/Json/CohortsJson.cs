using System.Text.Json;
using System.Text.Json.Serialization;
using Cohorts.Domain;

namespace Cohorts.Connectors.Json;

/// <summary>
/// The one JSON shape of the product, for the API and for stored documents alike: camelCase names, enums as camelCase
/// strings, spans of time as ISO 8601 durations, times as ISO 8601 with their offset.
/// </summary>
public static class CohortsJson
{
    /// <summary>Options for output and stored documents: members a reader does not know are skipped, so stored
    /// documents can gain fields.</summary>
    public static JsonSerializerOptions Options { get; } = Create(JsonUnmappedMemberHandling.Skip);

    /// <summary>Options for request bodies: an unknown member is an error naming it, so a misspelt field
    /// (<c>checkpoint</c> for <c>checkpoints</c>) is not silently replaced by a default.</summary>
    public static JsonSerializerOptions StrictInput { get; } = Create(JsonUnmappedMemberHandling.Disallow, allowDuplicates: false);

    private static JsonSerializerOptions Create(JsonUnmappedMemberHandling unmapped, bool allowDuplicates = true)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = false,
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            UnmappedMemberHandling = unmapped,
            NumberHandling = JsonNumberHandling.Strict,
            // a member sent twice is ambiguous (which one did the client mean?): refused in requests, naming it
            AllowDuplicateProperties = allowDuplicates,
            // API bodies are application/json, never inlined in HTML: write "+", "&", "'" and non-ASCII letters as
            // themselves (a webhook secret read by a shell, a name with an accent), escaping only what JSON requires
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new IsoDurationConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Reads and writes <see cref="TimeSpan"/> as an ISO 8601 duration (<c>PT48H</c>).</summary>
public sealed class IsoDurationConverter : JsonConverter<TimeSpan>
{
    /// <inheritdoc/>
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return IsoDuration.TryParse(text, out TimeSpan? value)
            ? value.Value
            : throw new JsonException("Expected an ISO 8601 duration such as PT48H or P90D.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(IsoDuration.Format(value));
    }
}
