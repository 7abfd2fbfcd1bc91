namespace Cohorts.Domain.Practice;

/// <summary>A file of a use case's data extract, as stored.</summary>
/// <param name="Container">The extract's container (the use case's <c>dataExtract</c>).</param>
/// <param name="Name">The file's name in it.</param>
/// <param name="Bytes">Its size.</param>
public sealed record ExtractFile(string Container, string Name, long Bytes);

/// <summary>One file of the extract as a sandbox link reaches it.</summary>
public sealed record SandboxFile(string Name, Uri Url);

/// <summary>
/// A participant's read access to the use case's data extract: a signed link to the container (read and list, nothing
/// else) that expires at <paramref name="ExpiresAt"/>, and a link to each file under the same signature.
/// </summary>
public sealed record SandboxLink(Uri Url, DateTimeOffset ExpiresAt, IReadOnlyList<SandboxFile> Files);

/// <summary>Where use cases' data extracts are kept: one container per use case.</summary>
public interface IExtractStore
{
    /// <summary>
    /// Stores <paramref name="fileName"/> in <paramref name="container"/> as it streams in; a file already there is
    /// replaced only once the new one is whole. Over <paramref name="maxBytes"/> it throws
    /// <see cref="Enrolment.SourceTooLargeException"/> and keeps nothing of it.
    /// </summary>
    Task<ExtractFile> SaveAsync(string container, string fileName, Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// A read-and-list link to <paramref name="container"/> until <paramref name="expiresAt"/>, carrying
    /// <paramref name="correlationId"/> where the signature can (a user delegation SAS's <c>scid</c>).
    /// </summary>
    Task<SandboxLink> IssueLinkAsync(string container, string correlationId, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <summary>
/// The names a data extract may have: a container name as Azure Storage allows it (3-63 lowercase letters, digits and
/// single hyphens, starting and ending with a letter or digit), never one of the product's own containers (a sandbox
/// link to <c>imports</c> would hand out HR exports); file names without paths.
/// </summary>
public static class ExtractNames
{
    /// <summary>The product's own containers and those its hosts and the Durable Task backend make.</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "cohorts", "imports", "reports", "erasures", "directory-links", "hris-imports", "communities",
    };

    /// <summary>Why <paramref name="name"/> cannot be an extract's container, or null when it can.</summary>
    public static string? ContainerProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is < 3 or > 63)
        {
            return "is 3 to 63 characters long";
        }

        if (!name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') || name.StartsWith('-') || name.EndsWith('-') || name.Contains("--", StringComparison.Ordinal))
        {
            return "is a storage container name: lowercase letters, digits and single hyphens, starting and ending with a letter or digit";
        }

        if (Reserved.Contains(name) || name.StartsWith("azure-", StringComparison.Ordinal)
            || name.EndsWith("-leases", StringComparison.Ordinal) || name.EndsWith("-largemessages", StringComparison.Ordinal) || name.EndsWith("-applease", StringComparison.Ordinal))
        {
            return $"'{name}' is a container the product or its backend keeps for itself; name the extract's own container";
        }

        return null;
    }

    /// <summary>Why <paramref name="name"/> cannot be a file of an extract, or null when it can.</summary>
    public static string? FileProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 255)
        {
            return "is 1 to 255 characters long";
        }

        if (name.Any(c => char.IsControl(c) || c is '/' or '\\') || name.StartsWith('.') || name.Trim() != name)
        {
            return "is a plain file name: no path, no control characters, not starting with '.' nor with spaces around it";
        }

        return null;
    }
}
