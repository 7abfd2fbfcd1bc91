namespace Cohorts.TestSupport;

/// <summary>Paths from the repository root (found from the source tree, never from bin/).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository root: the folder holding FunctionsApp.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The shared corpus beside the checkout; fails loudly when it is missing.</summary>
    public static string Corpus
    {
        get
        {
            string corpus = Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus"));
            return Directory.Exists(corpus)
                ? corpus
                : throw new DirectoryNotFoundException($"The shared corpus is missing: expected it at {corpus} (beside the checkout).");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FunctionsApp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No FunctionsApp.sln above {AppContext.BaseDirectory}.");
    }
}
