namespace Cohorts.Application;

/// <summary>Enum names as the API spells them.</summary>
public static class Naming
{
    /// <summary>camelCase of an enum value.</summary>
    public static string Camel<T>(T value)
        where T : struct, Enum
    {
        string name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>The enum member named <paramref name="text"/>, in any case (a name, never a number); false when none is.</summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = Enum.GetValues<T>().FirstOrDefault(v => string.Equals(v.ToString(), text, StringComparison.OrdinalIgnoreCase));
        return string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase);
    }
}
