namespace Cohorts.Domain.Enrolment;

/// <summary>
/// What a person's record must keep to be stored and addressed, whichever source it came from (a CSV export, the
/// directory): the employee id becomes a table key and a route segment, so it holds none of <c>/ \ # ?</c> nor a
/// control character; every attribute is bounded, so that one 40,000-character job title rejects its own row
/// instead of failing a batch of a hundred people.
/// </summary>
public static class HrRecordLimits
{
    /// <summary>The field name the employee id is reported under.</summary>
    public const string EmployeeIdField = "employeeId";

    /// <summary>The longest employee id.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The longest attribute (a title, a department, a name, an address).</summary>
    public const int MaxAttributeLength = 256;

    /// <summary>Characters an employee id may not hold: table keys refuse them, and a route cannot carry '/'.</summary>
    public static readonly char[] ForbiddenIdCharacters = ['/', '\\', '#', '?'];

    /// <summary>Null when <paramref name="record"/> can be stored, otherwise the field at fault and why.</summary>
    public static (string Field, string Reason)? Problem(HrRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return IdProblem(record.EmployeeId) is { } idProblem ? (EmployeeIdField, idProblem) : AttributeProblem(record);
    }

    /// <summary>Null when every attribute of <paramref name="record"/> but its id can be stored, otherwise the field at fault and why.</summary>
    public static (string Field, string Reason)? AttributeProblem(HrRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);

        // field by field, not over a list of pairs: every row of an import passes here
        return Over("email", record.Email) ?? Over("upn", record.Upn) ?? Over("displayName", record.DisplayName)
            ?? Over("managerId", record.ManagerId) ?? Over("jobTitle", record.JobTitle) ?? Over("department", record.Department)
            ?? Over("jobFamily", record.JobFamily) ?? Over("jobLevel", record.JobLevel) ?? Over("track", record.ExplicitTrack)
            ?? Over("occupationCode", record.OccupationCode);
    }

    /// <summary>Null when <paramref name="employeeId"/> can be stored and addressed, otherwise why not.</summary>
    public static string? IdProblem(string? employeeId)
    {
        if (string.IsNullOrWhiteSpace(employeeId))
        {
            return "the employee id is empty";
        }

        if (employeeId.Length > MaxIdLength)
        {
            return $"the employee id is longer than {MaxIdLength} characters";
        }

        if (employeeId.AsSpan().ContainsAnyInRange('\0', '\u001f') || employeeId.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
        {
            return "the employee id holds control characters";
        }

        int forbidden = employeeId.IndexOfAny(ForbiddenIdCharacters);
        return forbidden >= 0
            ? $"the employee id '{employeeId}' holds '{employeeId[forbidden]}', which no route or table key can carry"
            : null;
    }

    private static (string Field, string Reason)? Over(string field, string? value) =>
        value is { Length: > MaxAttributeLength } ? (field, $"{field} holds {value.Length} characters; the limit is {MaxAttributeLength}") : null;
}
