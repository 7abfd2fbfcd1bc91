using System.Security.Cryptography;
using System.Text;

namespace Cohorts.Domain.Enrolment;

/// <summary>What an import does to one person.</summary>
public enum ChangeKind
{
    /// <summary>New to the roster.</summary>
    Join,

    /// <summary>Suspended before, active in the source again.</summary>
    Rejoin,

    /// <summary>On the roster, and now on another track (or out of triage).</summary>
    Move,

    /// <summary>Same track, other HR attributes (title, manager, email…).</summary>
    Update,

    /// <summary>Marked terminated in the source, or absent from a full export: suspended, never deleted.</summary>
    Leave,
}

/// <summary>
/// One change of a roster diff, to a person of <see cref="Group"/>. <see cref="Hr"/> is null for leavers absent from the
/// source.
/// </summary>
public sealed record RosterChange(
    ChangeKind Kind, string EmployeeId, int? Row, HrRecord? Hr, Track? From, Track? To, string Rule, string Reason, ParticipantGroup Group = ParticipantGroup.Trained);

/// <summary>What the diff needs to know of each person already on the roster.</summary>
public sealed record RosterEntry(
    string EmployeeId, Track? Track, ParticipantStatus Status, bool TrackOverridden, string Fingerprint, ParticipantGroup Group = ParticipantGroup.Trained);

/// <summary>The counts of a diff, and the rows it rejected (the first <see cref="RosterDiffer.MaxRejectedListed"/> of them).</summary>
public sealed record DiffSummary(
    int Rows,
    int Joiners,
    int Rejoiners,
    int Movers,
    int Updated,
    int Leavers,
    int Unchanged,
    int Triage,
    int Invalid,
    int TerminatedNotEnrolled,
    int ActiveBefore,
    IReadOnlyList<RejectedRow> Rejected,
    IReadOnlyList<string> DuplicateIds,
    int Erased = 0,
    ComparisonMatch? Match = null,
    IReadOnlyList<TriageTitle>? TriageByTitle = null)
{
    /// <summary>Changes an apply writes.</summary>
    public int Changes => Joiners + Rejoiners + Movers + Updated + Leavers;
}

/// <summary>
/// People of a diff who went to triage, grouped by their job title (as the source wrote it; empty when it had none):
/// what HR reads to add a rule to the cohort's plan or place them. <see cref="Rule"/> and <see cref="Reason"/> are those
/// of the group's first person.
/// </summary>
public sealed record TriageTitle(string Title, int Count, string Rule, string Reason);

/// <summary>Stable digests of HR attributes, to tell an unchanged person from an updated one.</summary>
public static class HrFingerprint
{
    /// <summary>A digest of every attribute of <paramref name="record"/> but the employee id.</summary>
    public static string Of(HrRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string joined = string.Join('\u001f', record.Email, record.Upn, record.DisplayName, record.ManagerId, record.JobTitle, record.Department, record.JobFamily, record.JobLevel, record.ExplicitTrack);
        if (record.HireDate is { } hired)
        {
            // appended only when known, so that the digests of people stored before hire dates were read do not change
            joined += "\u001f" + hired.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (record.OccupationCode is { } code)
        {
            joined += "\u001fcode:" + code; // the same: only when known
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(joined)), 0, 12);
    }
}
