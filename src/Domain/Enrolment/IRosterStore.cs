namespace Cohorts.Domain.Enrolment;

/// <summary>A page of participants and the token for the next one.</summary>
public sealed record ParticipantPage(IReadOnlyList<Participant> Items, string? ContinuationToken);

/// <summary>Head counts of a roster's trained group, and how many comparison people are active beside it.</summary>
public sealed record RosterCounts(int Active, int Suspended, IReadOnlyDictionary<Track, int> ByTrack, int Triage, int Comparison = 0);

/// <summary>A cohort's roster.</summary>
public interface IRosterStore
{
    /// <summary>What the diff needs of every person on the roster.</summary>
    Task<IReadOnlyDictionary<string, RosterEntry>> LoadIndexAsync(string cohortId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies up to 100 changes of one import at once (all or none). Idempotent: applying them again changes nothing
    /// and adds no history twice. Returns the changes applied by this import, in their order: all of them, but for a
    /// person another import (applied at the same time from the same roster) already put where the change would.
    /// </summary>
    Task<IReadOnlyList<RosterChange>> ApplyAsync(string cohortId, string importId, IReadOnlyList<RosterChange> changes, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>One participant, or null.</summary>
    Task<Participant?> GetAsync(string cohortId, string employeeId, CancellationToken cancellationToken);

    /// <summary>
    /// A page of one group of the roster, optionally on one track (or, with <paramref name="triageOnly"/>, awaiting
    /// placement). A page may hold fewer than <paramref name="pageSize"/> people and still have a next one.
    /// </summary>
    Task<ParticipantPage> ListAsync(string cohortId, ParticipantGroup group, Track? track, bool triageOnly, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored participant and stores the result, reading again and reapplying
    /// when another writer got there first; null when nobody with that id is on the roster.
    /// </summary>
    Task<Participant?> UpdateAsync(string cohortId, string employeeId, Func<Participant, Participant> change, CancellationToken cancellationToken);

    /// <summary>Head counts.</summary>
    Task<RosterCounts> CountAsync(string cohortId, CancellationToken cancellationToken);

    /// <summary>Everyone on the roster (either group, any status) whose email is <paramref name="email"/>, ignoring case.</summary>
    Task<IReadOnlyList<Participant>> FindByEmailAsync(string cohortId, string email, CancellationToken cancellationToken);
}

/// <summary>Reading a whole roster.</summary>
public static class RosterStoreExtensions
{
    /// <summary>Everyone trained on the cohort's roster (every track, triage and suspended people too), page by page.</summary>
    public static Task<List<Participant>> ListAllAsync(this IRosterStore roster, string cohortId, CancellationToken cancellationToken) =>
        roster.ListAllAsync(cohortId, ParticipantGroup.Trained, cancellationToken);

    /// <summary>Everyone in one group of the cohort's roster (every track, triage and suspended people too), page by page.</summary>
    public static async Task<List<Participant>> ListAllAsync(this IRosterStore roster, string cohortId, ParticipantGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roster);
        var people = new List<Participant>();
        string? continuation = null;
        do
        {
            ParticipantPage page = await roster.ListAsync(cohortId, group, null, triageOnly: false, continuation, 1000, cancellationToken);
            people.AddRange(page.Items);
            continuation = page.ContinuationToken;
        }
        while (continuation is not null);
        return people;
    }
}
