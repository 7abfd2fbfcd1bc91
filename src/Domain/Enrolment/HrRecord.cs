namespace Cohorts.Domain.Enrolment;

/// <summary>
/// One person as an HR source describes them (a CSV row, an Entra ID user). Only <see cref="EmployeeId"/> is
/// required; everything else is kept when the source has it. <see cref="Terminated"/> marks a leaver, never a joiner.
/// </summary>
public sealed record HrRecord(
    string EmployeeId,
    string? Email = null,
    string? Upn = null,
    string? DisplayName = null,
    string? ManagerId = null,
    string? JobTitle = null,
    string? Department = null,
    string? JobFamily = null,
    string? JobLevel = null,
    string? ExplicitTrack = null,
    bool Terminated = false,
    DateOnly? HireDate = null,
    string? OccupationCode = null)
{
    /// <summary>
    /// This record with what it leaves out taken from <paramref name="known"/>: a directory delta reports a changed
    /// user with only some of their attributes, and an attribute it does not report has not changed.
    /// </summary>
    public HrRecord FilledFrom(HrRecord known)
    {
        ArgumentNullException.ThrowIfNull(known);
        return this with
        {
            Email = Email ?? known.Email,
            Upn = Upn ?? known.Upn,
            DisplayName = DisplayName ?? known.DisplayName,
            ManagerId = ManagerId ?? known.ManagerId,
            JobTitle = JobTitle ?? known.JobTitle,
            Department = Department ?? known.Department,
            JobFamily = JobFamily ?? known.JobFamily,
            JobLevel = JobLevel ?? known.JobLevel,
            ExplicitTrack = ExplicitTrack ?? known.ExplicitTrack,
            HireDate = HireDate ?? known.HireDate,
            OccupationCode = OccupationCode ?? known.OccupationCode,
        };
    }

    /// <summary>The value of one attribute segmentation rules can match.</summary>
    public string? Attribute(HrField attribute) => attribute switch
    {
        HrField.JobTitle => JobTitle,
        HrField.Department => Department,
        HrField.JobFamily => JobFamily,
        HrField.JobLevel => JobLevel,
        HrField.ExplicitTrack => ExplicitTrack,
        HrField.OccupationCode => OccupationCode,
        _ => null,
    };
}

/// <summary>HR attributes that segmentation rules read.</summary>
public enum HrField
{
    /// <summary>An explicit track column in the source.</summary>
    ExplicitTrack,

    /// <summary>Job title or position.</summary>
    JobTitle,

    /// <summary>Department.</summary>
    Department,

    /// <summary>Job family.</summary>
    JobFamily,

    /// <summary>Job level or grade.</summary>
    JobLevel,

    /// <summary>An occupation code (ISCO-08, SOC 2018, O*NET-SOC).</summary>
    OccupationCode,
}

/// <summary>A source row that could not be read: its row number (the header is row 1), the field at fault and why.</summary>
public sealed record RejectedRow(int Row, string Field, string Reason);

/// <summary>What a source yields per row: a record, or the reason there is none.</summary>
public sealed record HrRow(int Row, HrRecord? Record, RejectedRow? Rejected);
