using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Json;

/// <summary>
/// Writes a <see cref="RosterChange"/> as <see cref="CohortsJson.Options"/> would with null members left out (a test
/// compares the two over every kind of change), straight into UTF-8 bytes: an import writes one per person, and for a
/// 100k-row export the general serializer's work per object was a third of the read path's time, and a JSON writer's
/// per-value checks still a quarter. Text that is printable ASCII without a quote or backslash (nearly every value of
/// an export) is copied as it is; any other text is escaped by the same encoder as the API's (relaxed).
/// A member left out reads back as null, so logs written before (with their nulls) and after read alike; reading a
/// change back stays with the serializer.
/// </summary>
public static class RosterChangeJson
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    // printable ASCII but the quote and the backslash: text the relaxed encoder leaves as it is, found in one scan
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        string.Concat(Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c).Where(c => c is not '"' and not '\\')));

    private static readonly JsonEncodedText[] Kinds = EnumNames<ChangeKind>();
    private static readonly JsonEncodedText[] Tracks = EnumNames<Track>();
    private static readonly JsonEncodedText[] Groups = EnumNames<ParticipantGroup>();

    /// <summary>
    /// Writes <paramref name="change"/> as one JSON object. With <paramref name="texts"/>, a rule or reason met before is
    /// written from its encoded form: the segmenter hands out the same few assignments (the same string instances) for a
    /// whole export, and escaping and transcoding a hundred-character reason on every row was a large part of the work.
    /// </summary>
    public static void Write(ArrayBufferWriter<byte> output, RosterChange change, EncodedTexts? texts = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(change);
        Raw(output, "{\"kind\":"u8);
        Encoded(output, Kinds[(int)change.Kind]);
        Raw(output, ",\"employeeId\":"u8);
        Text(output, change.EmployeeId);
        if (change.Row is { } row)
        {
            Raw(output, ",\"row\":"u8);
            Span<byte> digits = output.GetSpan(11);
            Utf8Formatter.TryFormat(row, digits, out int written);
            output.Advance(written);
        }

        if (change.Hr is { } hr)
        {
            Raw(output, ",\"hr\":"u8);
            WriteRecord(output, hr);
        }

        if (change.From is { } from)
        {
            Raw(output, ",\"from\":"u8);
            Encoded(output, Tracks[(int)from]);
        }

        if (change.To is { } to)
        {
            Raw(output, ",\"to\":"u8);
            Encoded(output, Tracks[(int)to]);
        }

        Raw(output, ",\"rule\":"u8);
        if (texts is null)
        {
            Text(output, change.Rule);
            Raw(output, ",\"reason\":"u8);
            Text(output, change.Reason);
        }
        else
        {
            Encoded(output, texts.Of(change.Rule));
            Raw(output, ",\"reason\":"u8);
            Encoded(output, texts.Of(change.Reason));
        }

        Raw(output, ",\"group\":"u8);
        Encoded(output, Groups[(int)change.Group]);
        Raw(output, "}"u8);
    }

    private static void WriteRecord(ArrayBufferWriter<byte> output, HrRecord hr)
    {
        Raw(output, "{\"employeeId\":"u8);
        Text(output, hr.EmployeeId);
        TextIfAny(output, ",\"email\":"u8, hr.Email);
        TextIfAny(output, ",\"upn\":"u8, hr.Upn);
        TextIfAny(output, ",\"displayName\":"u8, hr.DisplayName);
        TextIfAny(output, ",\"managerId\":"u8, hr.ManagerId);
        TextIfAny(output, ",\"jobTitle\":"u8, hr.JobTitle);
        TextIfAny(output, ",\"department\":"u8, hr.Department);
        TextIfAny(output, ",\"jobFamily\":"u8, hr.JobFamily);
        TextIfAny(output, ",\"jobLevel\":"u8, hr.JobLevel);
        TextIfAny(output, ",\"explicitTrack\":"u8, hr.ExplicitTrack);
        Raw(output, hr.Terminated ? ",\"terminated\":true"u8 : ",\"terminated\":false"u8);
        if (hr.HireDate is { } hired)
        {
            Raw(output, ",\"hireDate\":\""u8);
            Span<byte> date = output.GetSpan(10);
            hired.TryFormat(date, out int written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            output.Advance(written);
            Raw(output, "\""u8);
        }

        TextIfAny(output, ",\"occupationCode\":"u8, hr.OccupationCode);
        Raw(output, "}"u8);
    }

    private static void TextIfAny(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            Raw(output, name);
            Text(output, value);
        }
    }

    private static void Raw(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static void Encoded(ArrayBufferWriter<byte> output, JsonEncodedText text)
    {
        ReadOnlySpan<byte> bytes = text.EncodedUtf8Bytes;
        Span<byte> target = output.GetSpan(bytes.Length + 2);
        target[0] = (byte)'"';
        bytes.CopyTo(target[1..]);
        target[bytes.Length + 1] = (byte)'"';
        output.Advance(bytes.Length + 2);
    }

    private static void Text(ArrayBufferWriter<byte> output, string value)
    {
        ReadOnlySpan<char> chars = value;
        if (chars.ContainsAnyExcept(Plain))
        {
            Encoded(output, JsonEncodedText.Encode(value, Encoder));
            return;
        }

        Span<byte> target = output.GetSpan(chars.Length + 2);
        target[0] = (byte)'"';
        Ascii.FromUtf16(chars, target[1..], out int written);
        target[written + 1] = (byte)'"';
        output.Advance(written + 2);
    }

    private static JsonEncodedText Name(string name) => JsonEncodedText.Encode(name, Encoder);

    // the names JsonStringEnumConverter(CamelCase) writes, indexed by value (these enums run 0, 1, 2…)
    private static JsonEncodedText[] EnumNames<T>()
        where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => (Value: Convert.ToInt32(v, CultureInfo.InvariantCulture), Name: Name(JsonNamingPolicy.CamelCase.ConvertName(v.ToString()))))
            .OrderBy(v => v.Value)
            .Select((v, i) => v.Value == i ? v.Name : throw new InvalidOperationException($"{typeof(T).Name} is not numbered 0, 1, 2…"))
            .ToArray();

    /// <summary>
    /// Strings already encoded as the change log writes them, found by reference (the same instance, not equal text:
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
