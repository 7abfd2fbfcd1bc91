using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cohorts.Domain.Learning;

/// <summary>What an xAPI statement says, as far as Cohorts reads it.</summary>
/// <param name="Id">The statement id (a UUID, lower case).</param>
/// <param name="Email">The actor's <c>mbox</c> without <c>mailto:</c>, when given.</param>
/// <param name="Account">The actor's <c>account.name</c> (the employee id), when given.</param>
/// <param name="Verb">The verb's IRI.</param>
/// <param name="Activity">The object's activity id.</param>
/// <param name="Score">The result's score as raw on a scale, when given.</param>
/// <param name="Timestamp">When it happened (the statement's timestamp, or when it was received).</param>
/// <param name="Json">The statement as received, with its id (kept raw, for audit).</param>
/// <param name="Digest">A digest of what the statement says (its id, <c>stored</c>, <c>authority</c> and <c>version</c> aside), to tell a repeat from a conflict.</param>
public sealed record XapiStatement(
    string Id, string? Email, string? Account, string Verb, string Activity, (double Raw, double Min, double Max)? Score, DateTimeOffset Timestamp, string Json, string Digest);

/// <summary>What became of a statement: the cohort, participant and step it names, and what it did, or why it did nothing.</summary>
public sealed record XapiOutcome(string? CohortId, string? ParticipantId, string? StepId, bool Matched, string Effect);

/// <summary>
/// The xAPI rules Cohorts keeps: a statement needs an actor identified by <c>mbox</c> or <c>account.name</c>, a verb
/// and an object with ids; a step's activity id is <c>urn:cohorts:{cohortId}:steps:{stepId}</c>; the ADL verbs
/// completed and passed complete a step, failed and scored only score it.
/// </summary>
public static class Xapi
{
    /// <summary>The version this LRS answers with.</summary>
    public const string Version = "1.0.3";

    /// <summary>The ADL verbs read (cmi5 uses the same IRIs).</summary>
    public const string Completed = "http://adlnet.gov/expapi/verbs/completed";

    /// <summary>ADL passed.</summary>
    public const string Passed = "http://adlnet.gov/expapi/verbs/passed";

    /// <summary>ADL failed.</summary>
    public const string Failed = "http://adlnet.gov/expapi/verbs/failed";

    /// <summary>ADL scored.</summary>
    public const string Scored = "http://adlnet.gov/expapi/verbs/scored";

    private const string ActivityPrefix = "urn:cohorts:";
    private const string StepsPart = ":steps:";

    /// <summary>A step's activity id, as the LMS and Viva exports publish it.</summary>
    public static string ActivityId(string cohortId, string stepId) => $"{ActivityPrefix}{cohortId}{StepsPart}{stepId}";

    /// <summary>The cohort and step an activity id names, or null.</summary>
    public static (string CohortId, string StepId)? StepOf(string activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!activity.StartsWith(ActivityPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        string rest = activity[ActivityPrefix.Length..];
        int split = rest.IndexOf(StepsPart, StringComparison.Ordinal);
        return split <= 0 || split + StepsPart.Length >= rest.Length ? null : (rest[..split], rest[(split + StepsPart.Length)..]);
    }

    /// <summary>Whether the verb completes the step it names.</summary>
    public static bool Completes(string verb) => verb is Completed or Passed;

    /// <summary>Whether Cohorts reads the verb at all.</summary>
    public static bool Reads(string verb) => verb is Completed or Passed or Failed or Scored;

    /// <summary>
    /// Reads one statement; <paramref name="id"/> replaces or supplies its id (a PUT's <c>statementId</c>, or a new
    /// one). Returns the statement or the field at fault and why.
    /// </summary>
    public static (XapiStatement? Statement, string? Field, string? Problem) Read(JsonObject statement, string? id, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(statement);
        string? given = statement["id"] is JsonValue v && v.TryGetValue(out string? text) ? text : null;
        if (statement["id"] is not null && given is null)
        {
            return (null, "id", "the statement id is a UUID string");
        }

        if (given is not null && !Guid.TryParse(given, out _))
        {
            return (null, "id", $"'{given}' is not a UUID");
        }

        if (id is not null && given is not null && !string.Equals(id, given, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "id", "the statement's id differs from statementId");
        }

        string statementId = (given ?? id ?? Guid.NewGuid().ToString()).ToLowerInvariant();
        if (statement["actor"] is not JsonObject actor)
        {
            return (null, "actor", "a statement has an actor");
        }

        string? mbox = Text(actor["mbox"]);
        string? account = actor["account"] is JsonObject a ? Text(a["name"]) : null;
        if (mbox is not null && !mbox.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "actor.mbox", "mbox is a mailto: IRI");
        }

        if (mbox is null && account is null && Text(actor["mbox_sha1sum"]) is null && Text(actor["openid"]) is null)
        {
            return (null, "actor", "an actor is identified by mbox, mbox_sha1sum, openid or account");
        }

        if (Text((statement["verb"] as JsonObject)?["id"]) is not { } verb)
        {
            return (null, "verb.id", "a statement has a verb with an id");
        }

        if (Text((statement["object"] as JsonObject)?["id"]) is not { } activity)
        {
            return (null, "object.id", "a statement's object has an id");
        }

        (double, double, double)? score = null;
        if ((statement["result"] as JsonObject)?["score"] is JsonObject s)
        {
            double? raw = Number(s["raw"]), min = Number(s["min"]), max = Number(s["max"]), scaled = Number(s["scaled"]);
            if (scaled is { } sc && (sc < -1 || sc > 1))
            {
                return (null, "result.score.scaled", "scaled is from -1 to 1");
            }

            if (raw is { } r && min is { } lo && max is { } hi)
            {
                if (AssessmentScore.Problem(r, lo, hi) is { } bad)
                {
                    return (null, "result.score.raw", bad);
                }

                score = (r, lo, hi);
            }
            else if (scaled is { } sc2 && sc2 >= 0)
            {
                score = (sc2, 0, 1);
            }
        }

        DateTimeOffset at = Text(statement["timestamp"]) is { } stamp
            && DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed)
            ? parsed
            : now;
        var copy = (JsonObject)statement.DeepClone();
        copy["id"] = statementId;
        return (new XapiStatement(statementId, mbox?["mailto:".Length..], account, verb, activity, score, at, copy.ToJsonString(), Digest(copy)), null, null);
    }

    // what the statement says: its members in order of name, the LRS's own members (id, stored, authority, version) aside
    private static string Digest(JsonObject statement)
    {
        var text = new StringBuilder();
        Canonical(statement, text, top: true);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void Canonical(JsonNode? node, StringBuilder text, bool top = false)
    {
        switch (node)
        {
            case JsonObject o:
                text.Append('{');
                foreach ((string name, JsonNode? value) in o.Where(p => !top || p.Key is not ("id" or "stored" or "authority" or "version")).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append(JsonSerializer.Serialize(name)).Append(':');
                    Canonical(value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonArray items:
                text.Append('[');
                foreach (JsonNode? item in items)
                {
                    Canonical(item, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            default:
                text.Append(node?.ToJsonString() ?? "null");
                break;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    private static double? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue(out double d) && double.IsFinite(d) ? d : null;
}

/// <summary>A stored statement and what became of it.</summary>
public sealed record StoredStatement(XapiStatement Statement, XapiOutcome Outcome, DateTimeOffset StoredAt);

/// <summary>What storing a statement did.</summary>
public enum StatementWrite
{
    /// <summary>New.</summary>
    Added,

    /// <summary>Stored before with the same content: nothing changed.</summary>
    Same,

    /// <summary>Stored before with other content: refused, nothing changed.</summary>
    Conflict,
}

/// <summary>Received xAPI statements, kept raw, one per id.</summary>
public interface IStatementStore
{
    /// <summary>The statement stored under <paramref name="id"/>, or null.</summary>
    Task<StoredStatement?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stores the statement unless its id is taken; says which.</summary>
    Task<StatementWrite> AddAsync(StoredStatement statement, CancellationToken cancellationToken);

    /// <summary>Statements stored after <paramref name="since"/> and up to <paramref name="until"/>, oldest first, from <paramref name="after"/> on.</summary>
    Task<(IReadOnlyList<StoredStatement> Items, string? More)> ListAsync(DateTimeOffset? since, DateTimeOffset? until, int limit, string? after, CancellationToken cancellationToken);

    /// <summary>How many statements naming the cohort were stored, and how many of them matched nobody or nothing.</summary>
    Task<(int Received, int Unmatched)> CountAsync(string cohortId, CancellationToken cancellationToken);
}
