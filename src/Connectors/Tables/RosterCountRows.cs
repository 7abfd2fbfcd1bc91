using Cohorts.Domain;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// What a roster's head counts are made of (<see cref="TableCounts"/> keeps them in the roster's partition, beside the
/// people): active, suspended (or erased), in triage, comparison, and active on each track. The roster's own rows (these
/// and the email-key marker) have keys that start with a percent sign and a lowercase letter, which an escaped id never
/// does (<see cref="KeyEscape"/> writes a percent sign only before the codes of <c>/ \ # ? %</c> and control characters,
/// which an id cannot hold: a digit follows it).
/// </summary>
internal static class RosterCountRows
{
    /// <summary>The first characters of every count row's key.</summary>
    public const string Prefix = "%c|";

    /// <summary>A filter that leaves the roster's own rows (counts, markers) out of a query of its partition.</summary>
    public const string NotCounts = "(RowKey lt '%a' or RowKey ge '%{')";

    /// <summary>The key of the row that says every person's email is keyed for lookups (<c>EmailKey</c>).</summary>
    public const string EmailsKeyed = "%k|emails";

    private static readonly Track[] Tracks = Enum.GetValues<Track>();

    // the counts as a vector: active, suspended (or erased), triage, comparison, then one per track
    private const int Active = 0, Suspended = 1, Triage = 2, Comparison = 3, FirstTrack = 4;

    /// <summary>The columns of a count row.</summary>
    public static readonly string[] Columns = ["Active", "Suspended", "Triage", "Comparison", .. Tracks.Select(t => "On" + t.ToString())];

    /// <summary>Whether the row key is one of the roster's own rows (counts, markers), not a person's.</summary>
    public static bool Holds(string rowKey) => rowKey.Length > 1 && rowKey[0] == '%' && char.IsAsciiLetterLower(rowKey[1]);

    /// <summary>The key of the count row of an import's batch, named by the batch's first person (once per import).</summary>
    public static string BatchKey(string importId, string firstEmployeeId) => TableCounts.RowKeyOf(Prefix, $"{KeyEscape.Escape(importId)}|{KeyEscape.Escape(firstEmployeeId)}");

    /// <summary>The key of the count row of a change to one person (made once: its transaction either commits or not).</summary>
    public static string OneKey() => TableCounts.RowKeyOf(Prefix, $"~{Guid.NewGuid():N}");

    /// <summary>Adds what <paramref name="person"/> counts for (nothing when null), <paramref name="sign"/> times.</summary>
    public static void Add(int[] counts, Participant? person, int sign)
    {
        if (person is not null)
        {
            Add(counts, person.Group, person.Status, person.Track, sign);
        }
    }

    /// <summary>Adds what a person of this group, status and track counts for, <paramref name="sign"/> times.</summary>
    public static void Add(int[] counts, ParticipantGroup group, ParticipantStatus status, Track? track, int sign)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (group == ParticipantGroup.Comparison)
        {
            counts[Comparison] += status == ParticipantStatus.Active ? sign : 0;
        }
        else if (status != ParticipantStatus.Active)
        {
            counts[Suspended] += sign; // suspended or erased: counted, never active
        }
        else
        {
            counts[Active] += sign;
            counts[track is { } placed ? FirstTrack + Array.IndexOf(Tracks, placed) : Triage] += sign;
        }
    }

    /// <summary>The head counts the vector holds.</summary>
    public static RosterCounts Of(int[] counts) => new(
        counts[Active],
        counts[Suspended],
        Tracks.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => counts[FirstTrack + x.i]),
        counts[Triage],
        counts[Comparison]);
}
