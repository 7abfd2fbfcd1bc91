using System.ComponentModel;
using System.Globalization;
using Cohorts.Domain;

namespace Cohorts.Api;

/// <summary>
/// Durations in settings may be written in ISO 8601 (<c>PT30S</c>, <c>P1D</c>, as the API writes them) or as .NET
/// writes a <see cref="TimeSpan"/> (<c>00:00:30</c>, <c>1.00:00:00</c>). Registered once for the process, before any
/// section is bound.
/// </summary>
public static class DurationSettings
{
    private static int registered;

    /// <summary>Makes configuration binding read ISO 8601 durations too.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(IsoOrClockConverter)));
        }
    }

    /// <summary>ISO 8601 first (a value starting with P), else the usual TimeSpan text.</summary>
    private sealed class IsoOrClockConverter : TimeSpanConverter
    {
        public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
            value is string text && text.TrimStart('-').StartsWith('P')
                ? (IsoDuration.TryParse(text, out TimeSpan? parsed) ? parsed!.Value : throw new FormatException($"'{text}' is not an ISO 8601 duration such as PT30S or P1D."))
                : base.ConvertFrom(context, culture, value);
    }
}
