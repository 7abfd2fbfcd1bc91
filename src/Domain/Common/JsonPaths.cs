using System.Text.Json;

namespace Cohorts.Domain;

/// <summary>Where in a JSON body a read failed, as the field a problem names.</summary>
public static class JsonPaths
{
    /// <summary>The member path of <paramref name="error"/> without its root (<c>$.reviewers[0].id</c> → <c>reviewers[0].id</c>); null at the root.</summary>
    public static string? Field(JsonException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Path is { Length: > 1 } path ? path.TrimStart('$').TrimStart('.') : null;
    }
}
