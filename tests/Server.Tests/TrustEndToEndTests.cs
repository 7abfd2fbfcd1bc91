using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// The server's own doors (issue 13): the embedded durable-task sidecar refuses a call that does not carry the server's
/// per-start secret, configured keys replace the published development keys entirely, and a server outside Development
/// refuses to start with a published key.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed partial class TrustEndToEndTests(ServerFixture fixture)
{
    [Fact]
    public async Task TheSidecar_RefusesAGrpcCallFromOutsideTheServersProcess()
    {
        Match port = SidecarPort().Match(fixture.Server.ReadLog());
        Assert.True(port.Success, "the server logs its sidecar's port at start");
        using var http = new HttpClient();
        foreach (string? secret in new[] { null, "not-the-secret" })
        {
            // the sidecar's Hello (an empty message: a 5-byte frame header of zeros), and the call that would end a review
            foreach (string method in new[] { "/TaskHubSidecarService/Hello", "/TaskHubSidecarService/TerminateInstance" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port.Groups[1].Value}{method}"))
                {
                    Content = new ByteArrayContent(new byte[5]),
                    Version = HttpVersion.Version20,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
                request.Headers.TryAddWithoutValidation("te", "trailers");
                if (secret is not null)
                {
                    request.Headers.TryAddWithoutValidation("x-cohorts-sidecar-secret", secret);
                }

                using HttpResponseMessage response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                string status = response.Headers.TryGetValues("grpc-status", out IEnumerable<string>? inHeaders) ? inHeaders.First()
                    : response.TrailingHeaders.TryGetValues("grpc-status", out IEnumerable<string>? inTrailers) ? inTrailers.First()
                    : "none";
                Assert.True(status == "16", $"{method} with secret '{secret ?? "(none)"}' answered gRPC status {status}, not 16 (unauthenticated): HTTP {(int)response.StatusCode} {response.Version} {response.Headers} {response.Content.Headers}");
            }
        }

        // and the server's own worker and client still reach it
        Assert.Equal(HttpStatusCode.OK, (await fixture.Server.Client().GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task ConfiguredKeys_ReplaceTheDevelopmentKeysEntirely()
    {
        string folder = Path.Combine(fixture.Azurite.DataFolder, "devkeys-" + Guid.NewGuid().ToString("N")[..6]);
        var settings = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" };
        await using ServerProcess server = await ServerProcess.StartAsync(folder, "devkeys" + Guid.NewGuid().ToString("N")[..6], fixture.Azurite.ConnectionString, settings);
        foreach (string published in new[] { "dev-admin-key-not-secret", "dev-hr-key-not-secret", "dev-leader-key-not-secret", "dev-integrator-key-not-secret", "dev-reviewer-key-not-secret" })
        {
            using HttpClient client = server.WithKey(published);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/cohorts", UriKind.Relative))).StatusCode);
        }

        using HttpClient configured = server.As("hr");
        Assert.Equal(HttpStatusCode.OK, (await configured.GetAsync(new Uri("/api/cohorts", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopment_AStartWithAPublishedKey_FailsNamingIt()
    {
        string folder = Path.Combine(fixture.Azurite.DataFolder, "prodkey-" + Guid.NewGuid().ToString("N")[..6]);
        var settings = new Dictionary<string, string>
        {
            ["Auth__ApiKeys__5__Name"] = "copied-from-the-readme",
            ["Auth__ApiKeys__5__Key"] = "dev-hr-key-not-secret",
            ["Auth__ApiKeys__5__Roles__0"] = "hr",
        };
        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ServerProcess.StartAsync(folder, "prodkey", fixture.Azurite.ConnectionString, settings));
        Assert.Contains("Auth:ApiKeys:5:Key ('copied-from-the-readme') is a published development key", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondServer_OnATakenPortOrALiveDataFolder_ExitsWithOneLine_AndTheFirstKeepsAnswering()
    {
        string own = Path.Combine(fixture.Azurite.DataFolder, "second-" + Guid.NewGuid().ToString("N")[..6]);
        var samePort = new Dictionary<string, string> { ["urls"] = fixture.Server.BaseAddress.ToString().TrimEnd('/') };
        InvalidOperationException port = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ServerProcess.StartAsync(own, "secondport", fixture.Azurite.ConnectionString, samePort));
        InvalidOperationException folder = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ServerProcess.StartAsync(fixture.DataFolder, "secondfolder", fixture.Azurite.ConnectionString));
        foreach ((InvalidOperationException refused, string says) in new[] { (port, "is already in use"), (folder, "is already served by a running Cohorts server") })
        {
            Assert.Contains("exited with 2 ", refused.Message, StringComparison.Ordinal);
            string[] printed = refused.Message[(refused.Message.IndexOf('\n', StringComparison.Ordinal) + 1)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(printed.Length == 1 && printed[0].Contains(says, StringComparison.Ordinal), refused.Message);
        }

        // the first server never noticed
        using HttpResponseMessage health = await fixture.Server.Client().GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"healthy\"", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"sidecar listens on 127\.0\.0\.1:(\d+)")]
    private static partial Regex SidecarPort();
}
