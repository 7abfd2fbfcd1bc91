using System.Diagnostics;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>The README's tour, run as written (its <c>bash tour</c> block) against a server in the Development environment with the README's keys.</summary>
[Collection(EndToEnd.Name)]
public sealed class ReadmeTourTests(ServerFixture fixture)
{
    [Fact]
    public async Task ReadmeTour_AsWritten_CreatesACohortThatCompletes()
    {
        string readme = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"));
        int start = readme.IndexOf("```bash tour\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "the README has a ```bash tour block");
        start += "```bash tour\n".Length;
        string tour = readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)];

        await using ServerProcess server = await ServerProcess.StartAsync(
            Path.Combine(fixture.Azurite.DataFolder, "tour"),
            "tourhub",
            fixture.Azurite.ConnectionString,
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" },
            testKeys: false);

        var bash = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        bash.Environment["BASE"] = server.BaseAddress.ToString().TrimEnd('/');
        using Process process = Process.Start(bash)!;
        await process.StandardInput.WriteAsync(tour);
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        string printed = await output;

        Assert.True(process.ExitCode == 0, await errors);
        Assert.Contains("\"status\":\"healthy\"", printed, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"tour-claims\"", printed, StringComparison.Ordinal);
        string last = printed.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("{\"id\":\"tour-claims\"", last, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"completed\"", last, StringComparison.Ordinal);
        Assert.Equal(3, last.Split("\"status\":\"recorded\"").Length - 1);
    }
}
