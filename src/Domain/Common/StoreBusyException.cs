namespace Cohorts.Domain;

/// <summary>
/// Concurrent writers kept a change from being stored for longer than its retry budget (many requests on one
/// reviewer's count, one person, one document). Nothing of the change was stored; the same request can be sent again.
/// The API answers 503 with <c>Retry-After</c>.
/// </summary>
public sealed class StoreBusyException : Exception
{
    /// <summary>How long a client should wait before sending the request again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>A busy store without details.</summary>
    public StoreBusyException()
        : base("The store is busy with concurrent changes; retry in a moment.")
    {
    }

    /// <summary>A busy store, saying what was contended.</summary>
    public StoreBusyException(string message)
        : base(message)
    {
    }

    /// <summary>A busy store, with the last conflict.</summary>
    public StoreBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
