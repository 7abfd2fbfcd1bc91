using System.Runtime.InteropServices;
using System.Text.Json;

namespace Cohorts.Api;

/// <summary>
/// The bounds every JSON body keeps, checked on the document before it is read into a request: no string, list or
/// map of any body can reach storage larger than these, whatever the operation does with it (Table storage refuses
/// a property over 32 K characters, and a mail per list item is a mail too many). The OpenAPI document states them
/// as maxLength, maxItems and maxProperties. A field's own rule (a name of 200 characters, 50 leaders) is checked by
/// the operation and is never looser than these.
/// </summary>
public static class RequestLimits
{
    /// <summary>The longest free text (a reason, feedback, instructions, a problem statement).</summary>
    public const int MaxText = 4000;

    /// <summary>The longest URL (artifactUrl, link, url, sandboxUrl): what browsers and mail clients keep whole.</summary>
    public const int MaxUrl = 2048;

    /// <summary>The most items of a list.</summary>
    public const int MaxItems = 200;

    /// <summary>The most members of a map (a rubric, a plan's paths).</summary>
    public const int MaxMembers = 50;

    /// <summary>The limit of a string member called <paramref name="name"/>.</summary>
    public static int MaxLengthOf(string? name) =>
        name is not null && (name.EndsWith("url", StringComparison.OrdinalIgnoreCase) || name.Equals("link", StringComparison.OrdinalIgnoreCase))
            ? MaxUrl
            : MaxText;

    /// <summary>Null when every value of <paramref name="root"/> is within bounds, otherwise the problem naming the first that is not.</summary>
    public static ApiProblem? Check(JsonElement root) => Check(root, string.Empty, null);

    private static ApiProblem? Check(JsonElement value, string path, string? member)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                // the length in UTF-16 units is what storage counts; a value's raw UTF-8 (read without a copy) is never
                // shorter than that, so only a raw value over the limit is decoded, once
                int most = MaxLengthOf(member);
                if (JsonMarshal.GetRawUtf8Value(value).Length - 2 > most && value.GetString() is { } text && text.Length > most)
                {
                    return ApiProblem.Of(400, ErrorCodes.ValueTooLong, "A value is too long", $"{Name(path)} holds {text.Length} characters; the limit is {most}.", Name(path));
                }

                return null;
            case JsonValueKind.Array:
                int count = value.GetArrayLength();
                if (count > MaxItems)
                {
                    return ApiProblem.Of(400, ErrorCodes.TooManyItems, "A list is too long", $"{Name(path)} holds {count} items; the limit is {MaxItems}.", Name(path));
                }

                int i = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (Check(item, $"{path}[{i++}]", member) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Object:
                int members = 0;
                foreach (JsonProperty property in value.EnumerateObject())
                {
                    // the top level is a request's own fields, bounded by its schema; below it a map may grow
                    if (path.Length > 0 && ++members > MaxMembers)
                    {
                        return ApiProblem.Of(400, ErrorCodes.TooManyItems, "A map is too long", $"{Name(path)} holds more than {MaxMembers} members; the limit is {MaxMembers}.", Name(path));
                    }

                    if (property.Name.Length > MaxText)
                    {
                        return ApiProblem.Of(400, ErrorCodes.ValueTooLong, "A member name is too long", $"A member name of {Name(path)} holds {property.Name.Length} characters; the limit is {MaxText}.", Name(path));
                    }

                    string at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (Check(property.Value, at, property.Name) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static string Name(string path) => path.Length == 0 ? "the body" : path;
}
