using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cohorts.Connectors.Storage;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// A server that starts its own Azurite is killed (SIGKILL) while a cohort waits on a checkpoint timer, and started
/// again on the same data folder: it reuses the Azurite left running and the cohort completes, every checkpoint once.
/// </summary>
[Collection(OwnServers.Name)]
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Server_KilledMidTimer_RestartsOnTheSameDataAndTheCohortCompletesOnce()
    {
        string dataFolder = TestFolders.New("crash-");
        string id = Plans.UniqueId("crash");
        ServerProcess? second = null;
        try
        {
            await using ServerProcess first = await ServerProcess.StartAsync(dataFolder, "crashhub");
            AzuriteRecord azurite = ReadAzurite(dataFolder);
            Assert.True(IsRunning(azurite.Pid), "the server started Azurite");

            Assert.Equal(HttpStatusCode.Created, (await first.PostJsonAsync("hr", "/api/cohorts", Plans.Compressed(id, "PT3S", "PT40S", "PT45S"))).Status);
            await Eventually.WaitAsync(
                () => first.GetJsonAsync("hr", $"/api/cohorts/{id}"),
                c => c["checkpoints"]![0]!["status"]!.GetValue<string>() == "recorded",
                TimeSpan.FromSeconds(60),
                "the first checkpoint");

            // the cohort now waits on the second checkpoint's timer: crash the server process itself
            int serverPid = first.Pid;
            await first.CrashAsync();
            Assert.True(first.HasExited);
            Assert.False(IsRunning(serverPid), $"server process {serverPid} is gone");
            Assert.True(IsRunning(azurite.Pid), "Azurite is left running, as after a real crash");
            await first.DisposeAsync();

            second = await ServerProcess.StartAsync(dataFolder, "crashhub");
            Assert.Equal(azurite.Pid, ReadAzurite(dataFolder).Pid);
            Assert.Contains($"Reusing Azurite (pid {azurite.Pid})", second.ReadLog(), StringComparison.Ordinal);

            JsonNode done = await Eventually.WaitAsync(
                () => second.GetJsonAsync("hr", $"/api/cohorts/{id}"),
                c => c["status"]!.GetValue<string>() is "completed" or "failed" or "cancelled",
                TimeSpan.FromSeconds(150),
                "the cohort completing after the restart");

            Assert.Equal("completed", done["status"]!.GetValue<string>());
            Assert.Equal([1, 2, 3], done["checkpoints"]!.AsArray().Select(c => c!["ordinal"]!.GetValue<int>()));
            Assert.All(done["checkpoints"]!.AsArray(), c => Assert.Equal("recorded", c!["status"]!.GetValue<string>()));
            // exactly once: the stored record holds one snapshot per ordinal, and the first one survived the crash
            JsonArray stored = StoredCheckpoints(dataFolder, id);
            Assert.Equal([1, 2, 3], stored.Select(c => c!["ordinal"]!.GetValue<int>()).Order());

            await second.StopAsync();
            await Eventually.WaitAsync(() => Task.FromResult(IsRunning(azurite.Pid)), running => !running, TimeSpan.FromSeconds(30), "Azurite stopping with the server");
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            StopLeftoverAzurite(dataFolder);
            TryDelete(dataFolder);
        }
    }

    private static AzuriteRecord ReadAzurite(string dataFolder) =>
        JsonSerializer.Deserialize<AzuriteRecord>(File.ReadAllText(LocalAzurite.RecordPath(dataFolder)))!;

    /// <summary>Reads the stored cohort document straight from blob storage, not through the API that derives the view.</summary>
    private static JsonArray StoredCheckpoints(string dataFolder, string id)
    {
        AzuriteRecord record = ReadAzurite(dataFolder);
        var blobs = new Azure.Storage.Blobs.BlobServiceClient(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{record.BlobPort}/devstoreaccount1;");
        string json = blobs.GetBlobContainerClient("cohorts").GetBlobClient($"{id}/cohort.json").DownloadContent().Value.Content.ToString();
        return JsonNode.Parse(json)!["checkpoints"]!.AsArray();
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void StopLeftoverAzurite(string dataFolder)
    {
        string path = LocalAzurite.RecordPath(dataFolder);
        if (File.Exists(path) && IsRunning(ReadAzurite(dataFolder).Pid))
        {
            using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", ReadAzurite(dataFolder).Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // left in temp
        }
    }
}
