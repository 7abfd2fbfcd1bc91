namespace Cohorts.Domain.Enrolment;

/// <summary>A problem with an HR source as a whole (no header, no employee id column…): nothing of it is imported.</summary>
public sealed class HrSourceException(string field, string reason) : Exception($"{field}: {reason}")
{
    /// <summary>What is at fault.</summary>
    public string Field { get; } = field;

    /// <summary>Why.</summary>
    public string Reason { get; } = reason;
}

/// <summary>A source over the size or row limit; nothing of it was kept.</summary>
public sealed class SourceTooLargeException(string reason) : Exception(reason);
