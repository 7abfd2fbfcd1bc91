using System.Text.Json;
using System.Text.Json.Serialization;
using Cohorts.Domain;
using Cohorts.Domain.Outcomes;

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
        options.Converters.Add(new IntervalConverter());
        options.Converters.Add(new ComparisonMetricConverter());
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

/// <summary>Reads and writes a confidence <see cref="Interval"/> as <c>[low, high]</c>.</summary>
public sealed class IntervalConverter : JsonConverter<Interval>
{
    /// <inheritdoc/>
    public override Interval Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || !reader.TryGetDouble(out double low) || !reader.Read() || !reader.TryGetDouble(out double high)
            || !reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("Expected an interval as [low, high].");
        }

        return new Interval(low, high);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Interval value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Low);
        writer.WriteNumberValue(value.High);
        writer.WriteEndArray();
    }
}

/// <summary>
/// Reads and writes a <see cref="ComparisonMetric"/> as the report's JSON names it: time to first production (held in
/// days) as ISO 8601 durations, a negative difference with a leading minus (<c>-P12D</c>); the other metrics as numbers.
/// </summary>
public sealed class ComparisonMetricConverter : JsonConverter<ComparisonMetric>
{
    private const string Duration = "timeToFirstProduction";

    /// <inheritdoc/>
    public override ComparisonMetric Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonElement e = JsonElement.ParseValue(ref reader);
        string metric = e.GetProperty("metric").GetString() ?? throw new JsonException("A comparison metric names its metric.");
        bool duration = metric == Duration;
        double? Value(string name) => e.TryGetProperty(name, out JsonElement v) ? duration ? Days(v) : v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null : null;
        Interval? ci = e.TryGetProperty("ci", out JsonElement c) && c.ValueKind == JsonValueKind.Array && c.GetArrayLength() == 2
            ? new Interval(duration ? Days(c[0]) ?? 0 : c[0].GetDouble(), duration ? Days(c[1]) ?? 0 : c[1].GetDouble())
            : null;
        return new ComparisonMetric(
            metric, Value("cohort"), Value("comparison"), Value("difference"), ci,
            e.GetProperty("nCohort").GetInt32(), e.GetProperty("nComparison").GetInt32(),
            e.TryGetProperty("withheld", out JsonElement w) && w.ValueKind == JsonValueKind.String ? w.GetString() : null);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ComparisonMetric value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        bool duration = value.Metric == Duration;
        void Figure(string name, double? figure)
        {
            if (figure is not { } f)
            {
                writer.WriteNull(name);
            }
            else if (duration)
            {
                writer.WriteString(name, Iso(f));
            }
            else
            {
                writer.WriteNumber(name, f);
            }
        }

        writer.WriteStartObject();
        writer.WriteString("metric", value.Metric);
        Figure("cohort", value.Cohort);
        Figure("comparison", value.Comparison);
        Figure("difference", value.Difference);
        if (value.Ci is { } ci)
        {
            writer.WriteStartArray("ci");
            if (duration)
            {
                writer.WriteStringValue(Iso(ci.Low));
                writer.WriteStringValue(Iso(ci.High));
            }
            else
            {
                writer.WriteNumberValue(ci.Low);
                writer.WriteNumberValue(ci.High);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNull("ci");
        }

        writer.WriteNumber("nCohort", value.NCohort);
        writer.WriteNumber("nComparison", value.NComparison);
        writer.WriteString("withheld", value.Withheld);
        writer.WriteEndObject();
    }

    /// <summary>Days as an ISO 8601 duration to the second.</summary>
    public static string Iso(double days) => IsoDuration.Format(TimeSpan.FromSeconds(Math.Round(days * 86_400)));

    private static double? Days(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { } text)
        {
            return null;
        }

        bool negative = text.StartsWith('-');
        return IsoDuration.TryParse(negative ? text[1..] : text, out TimeSpan? span) ? (negative ? -1 : 1) * span.Value.TotalDays : throw new JsonException($"'{text}' is not an ISO 8601 duration.");
    }
}
