using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Json;

/// <summary>
/// Writes a <see cref="RosterChange"/> as <see cref="CohortsJson.Options"/> would with null members left out (a test
/// compares the two over every kind of change), without the serializer's per-call setup: an import writes one per
/// person, and for a 100k-row export the general serializer's work per object was a third of the read path's time.
/// A member left out reads back as null, so logs written before (with their nulls) and after read alike; reading a
/// change back stays with the serializer.
/// </summary>
public static class RosterChangeJson
{
    /// <summary>The writer options the change log uses: compact, escaping only what JSON requires (as the API does).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private static readonly JsonEncodedText Kind = Name("kind");
    private static readonly JsonEncodedText EmployeeId = Name("employeeId");
    private static readonly JsonEncodedText Row = Name("row");
    private static readonly JsonEncodedText Hr = Name("hr");
    private static readonly JsonEncodedText From = Name("from");
    private static readonly JsonEncodedText To = Name("to");
    private static readonly JsonEncodedText Rule = Name("rule");
    private static readonly JsonEncodedText Reason = Name("reason");
    private static readonly JsonEncodedText Group = Name("group");
    private static readonly JsonEncodedText Email = Name("email");
    private static readonly JsonEncodedText Upn = Name("upn");
    private static readonly JsonEncodedText DisplayName = Name("displayName");
    private static readonly JsonEncodedText ManagerId = Name("managerId");
    private static readonly JsonEncodedText JobTitle = Name("jobTitle");
    private static readonly JsonEncodedText Department = Name("department");
    private static readonly JsonEncodedText JobFamily = Name("jobFamily");
    private static readonly JsonEncodedText JobLevel = Name("jobLevel");
    private static readonly JsonEncodedText ExplicitTrack = Name("explicitTrack");
    private static readonly JsonEncodedText Terminated = Name("terminated");
    private static readonly JsonEncodedText HireDate = Name("hireDate");
    private static readonly JsonEncodedText OccupationCode = Name("occupationCode");

    private static readonly JsonEncodedText[] Kinds = EnumNames<ChangeKind>();
    private static readonly JsonEncodedText[] Tracks = EnumNames<Track>();
    private static readonly JsonEncodedText[] Groups = EnumNames<ParticipantGroup>();

    /// <summary>
    /// Writes <paramref name="change"/> as one JSON object. With <paramref name="texts"/>, a rule or reason met before is
    /// written from its encoded form: the segmenter hands out the same few assignments (the same string instances) for a
    /// whole export, and escaping and transcoding a hundred-character reason on every row was a large part of the work.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, RosterChange change, EncodedTexts? texts = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(change);
        writer.WriteStartObject();
        writer.WriteString(Kind, Kinds[(int)change.Kind]);
        writer.WriteString(EmployeeId, change.EmployeeId);
        if (change.Row is { } row)
        {
            writer.WriteNumber(Row, row);
        }

        if (change.Hr is { } hr)
        {
            writer.WritePropertyName(Hr);
            WriteRecord(writer, hr);
        }

        WriteTrack(writer, From, change.From);
        WriteTrack(writer, To, change.To);
        if (texts is null)
        {
            writer.WriteString(Rule, change.Rule);
            writer.WriteString(Reason, change.Reason);
        }
        else
        {
            writer.WriteString(Rule, texts.Of(change.Rule));
            writer.WriteString(Reason, texts.Of(change.Reason));
        }

        writer.WriteString(Group, Groups[(int)change.Group]);
        writer.WriteEndObject();
    }

    private static void WriteRecord(Utf8JsonWriter writer, HrRecord hr)
    {
        writer.WriteStartObject();
        writer.WriteString(EmployeeId, hr.EmployeeId);
        WriteIfAny(writer, Email, hr.Email);
        WriteIfAny(writer, Upn, hr.Upn);
        WriteIfAny(writer, DisplayName, hr.DisplayName);
        WriteIfAny(writer, ManagerId, hr.ManagerId);
        WriteIfAny(writer, JobTitle, hr.JobTitle);
        WriteIfAny(writer, Department, hr.Department);
        WriteIfAny(writer, JobFamily, hr.JobFamily);
        WriteIfAny(writer, JobLevel, hr.JobLevel);
        WriteIfAny(writer, ExplicitTrack, hr.ExplicitTrack);
        writer.WriteBoolean(Terminated, hr.Terminated);
        if (hr.HireDate is { } hired)
        {
            Span<char> date = stackalloc char[10];
            hired.TryFormat(date, out int written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            writer.WriteString(HireDate, date[..written]);
        }

        WriteIfAny(writer, OccupationCode, hr.OccupationCode);
        writer.WriteEndObject();
    }

    private static void WriteIfAny(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteTrack(Utf8JsonWriter writer, JsonEncodedText name, Track? track)
    {
        if (track is { } value)
        {
            writer.WriteString(name, Tracks[(int)value]);
        }
    }

    private static JsonEncodedText Name(string name) => JsonEncodedText.Encode(name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    // the names JsonStringEnumConverter(CamelCase) writes, indexed by value (these enums run 0, 1, 2…)
    private static JsonEncodedText[] EnumNames<T>()
        where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => (Value: Convert.ToInt32(v, CultureInfo.InvariantCulture), Name: Name(JsonNamingPolicy.CamelCase.ConvertName(v.ToString()))))
            .OrderBy(v => v.Value)
            .Select((v, i) => v.Value == i ? v.Name : throw new InvalidOperationException($"{typeof(T).Name} is not numbered 0, 1, 2…"))
            .ToArray();

    /// <summary>
    /// Strings already encoded for <see cref="WriterOptions"/>, found by reference (the same instance, not equal text:
    /// finding a reason by its content would cost what encoding it costs). Holds at most <see cref="Limit"/>; later
    /// strings are encoded each time. One per log written; not thread-safe.
    /// </summary>
    public sealed class EncodedTexts
    {
        /// <summary>The most strings held.</summary>
        public const int Limit = 4096;

        private readonly Dictionary<string, JsonEncodedText> encoded = new(ReferenceEqualityComparer.Instance);

        /// <summary><paramref name="text"/> encoded.</summary>
        public JsonEncodedText Of(string text)
        {
            if (!encoded.TryGetValue(text, out JsonEncodedText value))
            {
                value = Name(text);
                if (encoded.Count < Limit)
                {
                    encoded[text] = value;
                }
            }

            return value;
        }
    }
}
