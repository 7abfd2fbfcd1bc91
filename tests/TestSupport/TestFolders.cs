namespace Cohorts.TestSupport;

/// <summary>
/// Where tests keep their data folders: <c>COHORTS_TEST_TEMP</c> when set (<c>.ci/run</c> sets one per run, so that it
/// can find and end exactly the processes its own tests left behind), else <c>cohorts-tests</c> in the temp folder.
/// </summary>
public static class TestFolders
{
    /// <summary>The root of every test's data folder.</summary>
    public static string Root { get; } =
        Environment.GetEnvironmentVariable("COHORTS_TEST_TEMP") is { Length: > 0 } root ? root : Path.Combine(Path.GetTempPath(), "cohorts-tests");

    /// <summary>A new folder name below <see cref="Root"/>.</summary>
    public static string New(string prefix) => Path.Combine(Root, prefix + Guid.NewGuid().ToString("N")[..8]);
}
