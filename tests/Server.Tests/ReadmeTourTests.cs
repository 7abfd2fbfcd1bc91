using System.Diagnostics;
using System.Text.RegularExpressions;
using Cohorts.Connectors.Storage;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// The README as a newcomer uses it: every <c>bash</c> block, as written and in order, in one shell from the repository
/// root, against a server started as the README says (the Development environment, its keys and settings). The first
/// block (the run and test commands) and the blocks marked <c>bash separate</c> (other programs) are named here, so a
/// new block is either run or listed on purpose.
/// </summary>
[Collection(OwnServers.Name)]
public sealed partial class ReadmeTourTests(OwnServersFixture fixture)
{
    private static readonly string[] Separate =
    [
        "dotnet run --project samples/Cohorts.Sample -- sample-report",
        "dotnet run -c Release --project bench/Cohorts.Bench -- import",
        "azd auth login",
        "Storage__AccountName=stcohortsxxxx",
        "Storage__ConnectionString=\"...\" Server__TaskHub=cohortsshared",
    ];

    [Fact]
    public async Task EveryReadmeBlock_AsWritten_RunsTheProgrammeEndToEnd()
    {
        string readme = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"));
        List<(string Info, string Body)> blocks = Blocks().Matches(readme).Select(m => (m.Groups["info"].Value.Trim(), m.Groups["body"].Value)).ToList();
        Assert.StartsWith("dotnet run --project src/Hosts/Server", blocks[0].Body, StringComparison.Ordinal);   // the run command: what this test does
        Assert.Contains("dotnet test FunctionsApp.sln", blocks[0].Body, StringComparison.Ordinal);              // the test command: what CI runs
        List<string> separate = blocks.Where(b => b.Info == "bash separate").Select(b => b.Body).ToList();
        Assert.Equal(Separate.Length, separate.Count);
        Assert.All(Separate, start => Assert.Single(separate, body => body.StartsWith(start, StringComparison.Ordinal)));
        List<string> runnable = blocks.Skip(1).Where(b => b.Info is "bash" or "bash tour").Select(b => b.Body).ToList();
        Assert.True(runnable.Count >= 8, $"{runnable.Count} runnable blocks");

        await using ServerProcess server = await ServerProcess.StartAsync(
            Path.Combine(fixture.Azurite.DataFolder, "readme"),
            "readmehub",
            fixture.Azurite.ConnectionString,
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" },
            testKeys: false);

        var bash = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        bash.Environment["BASE"] = server.BaseAddress.ToString().TrimEnd('/');
        bash.Environment["HOOK_PORT"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using Process process = Process.Start(bash)!;
        // as pasted, but stopping at the first command that fails, so a broken block fails the test where it breaks
        await process.StandardInput.WriteAsync("set -e\n" + string.Join("\n", runnable) + "\n");
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        string printed = await output;

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await errors}\n--- output ---\n{printed}");
        // the tour: healthy, a cohort that completes with its three checkpoints
        Assert.Contains("\"status\":\"healthy\"", printed, StringComparison.Ordinal);
        string tour = printed.Split('\n').Single(line => line.StartsWith("{\"id\":\"tour-claims\"", StringComparison.Ordinal) && line.Contains("\"status\":\"completed\"", StringComparison.Ordinal));
        Assert.Equal(3, tour.Split("\"status\":\"recorded\"").Length - 1);
        // the programme: enrolled, reviewed by its reviewer (and refused to hr), outcomes in, renamed, reported
        Assert.Contains("create: 201", printed, StringComparison.Ordinal);
        Assert.Contains("apply: 202", printed, StringComparison.Ordinal);
        Assert.Contains("hr deciding: 403", printed, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"accepted\"", printed, StringComparison.Ordinal);
        Assert.Equal(3, printed.Split("outcome: 201").Length - 1);
        Assert.Contains("ETag: \"2\"", printed, StringComparison.Ordinal);
        Assert.Contains("scope,participants,productionContributions", printed, StringComparison.Ordinal);
        // the receiver verified each signature: the decision and both checkpoints among them, nothing unverified
        Assert.Contains("verified cohorts.review.decided", printed, StringComparison.Ordinal);
        // (distinct ids: the shared test server dispatches from the same storage account too, so a delivery may come twice;
        // and the subscription, to every cohort, also hears the other tests' cohorts on that account: only this one counts)
        Assert.Equal(2, Regex.Matches(printed, "verified cohorts.checkpoint.recorded /cohorts/claims-[0-9]+ (evt_[0-9a-f]+)").Select(m => m.Groups[1].Value).Distinct().Count());
        Assert.DoesNotContain("BAD SIGNATURE", printed, StringComparison.Ordinal);
        Assert.Contains("unsubscribed: 204", printed, StringComparison.Ordinal);
        // enrolment from the corpus HR file: applied, a triaged person placed, the imports listed
        Assert.Contains("\"track\":\"translators\",\"inTriage\":false", printed, StringComparison.Ordinal);
        Assert.Matches("\"importId\":\"[0-9]{14}-[0-9a-f]{8}\",\"state\":\"applied\"", printed);
        // the European export: a code placed the lawyer, triage grouped by title, a rule taught and applied at the next import
        Assert.Contains("\"trackRule\":\"occupation-code:ISCO-08:2611\"", printed, StringComparison.Ordinal);
        Assert.Contains("{\"title\":\"Wellbeing Champion\",\"count\":2,", printed, StringComparison.Ordinal);
        Assert.Contains("rule: 200", printed, StringComparison.Ordinal);
        Assert.Contains("\"trackRule\":\"wellbeing-champions\"", printed, StringComparison.Ordinal);
    }

    [GeneratedRegex("^```(?<info>bash[^\\n]*)\\n(?<body>.*?)\\n```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Blocks();
}
