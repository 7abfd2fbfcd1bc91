using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>Posting HR exports and waiting for their imports.</summary>
internal static class Imports
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> PostCsvAsync(ServerProcess server, string cohortId, byte[] csv, string query = "", string role = "hr", bool chunked = false)
    {
        using HttpClient client = server.As(role);
        HttpContent content = chunked ? new StreamContent(new MemoryStream(csv)) : new ByteArrayContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/cohorts/{cohortId}/imports{query}", UriKind.Relative)) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using HttpResponseMessage response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Posts and waits until the import stops moving (applied, awaiting apply, blocked, failed).</summary>
    public static async Task<JsonNode> ImportAsync(ServerProcess server, string cohortId, byte[] csv, string query = "")
    {
        (HttpStatusCode status, JsonNode? started) = await PostCsvAsync(server, cohortId, csv, query);
        Assert.True(status == HttpStatusCode.Accepted, $"POST imports answered {(int)status}: {started}");
        return await SettledAsync(server, cohortId, started!["importId"]!.GetValue<string>());
    }

    public static Task<JsonNode> SettledAsync(ServerProcess server, string cohortId, string importId) =>
        Eventually.WaitAsync(
            () => server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/imports/{importId}"),
            i => i["state"]!.GetValue<string>() is not ("reading" or "applying"),
            TimeSpan.FromSeconds(120),
            $"import {importId} settling");

    public static int Count(JsonNode import, string name) => import["counts"]![name]!.GetValue<int>();

    public static IEnumerable<string> Ids(JsonNode import, string kind) =>
        import["diff"]![kind]!.AsArray().Select(c => c!["employeeId"]!.GetValue<string>()).Order(StringComparer.Ordinal);

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static byte[] Corpus(params string[] path) => File.ReadAllBytes(Path.Combine([RepoPaths.Corpus, .. path]));

    /// <summary>The cohort's participants (up to 1,000) by participant id, as hr reads them.</summary>
    public static async Task<Dictionary<string, JsonNode>> RosterAsync(ServerProcess server, string cohortId)
    {
        JsonNode page = await server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants?pageSize=1000");
        return page["items"]!.AsArray().ToDictionary(p => p!["participantId"]!.GetValue<string>(), p => p!);
    }
}
