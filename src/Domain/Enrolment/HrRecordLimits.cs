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
        if (IdProblem(record.EmployeeId) is { } idProblem)
        {
            return (EmployeeIdField, idProblem);
        }

        foreach ((string field, string? value) in Attributes(record))
        {
            if (value is { Length: > MaxAttributeLength })
            {
                return (field, $"{field} holds {value.Length} characters; the limit is {MaxAttributeLength}");
            }
        }

        return null;
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

        if (employeeId.Any(char.IsControl))
        {
            return "the employee id holds control characters";
        }

        int forbidden = employeeId.IndexOfAny(ForbiddenIdCharacters);
        return forbidden >= 0
            ? $"the employee id '{employeeId}' holds '{employeeId[forbidden]}', which no route or table key can carry"
            : null;
    }

    private static IEnumerable<(string Field, string? Value)> Attributes(HrRecord record) =>
    [
        ("email", record.Email),
        ("upn", record.Upn),
        ("displayName", record.DisplayName),
        ("managerId", record.ManagerId),
        ("jobTitle", record.JobTitle),
        ("department", record.Department),
        ("jobFamily", record.JobFamily),
        ("jobLevel", record.JobLevel),
        ("track", record.ExplicitTrack),
        ("occupationCode", record.OccupationCode),
    ];
}
