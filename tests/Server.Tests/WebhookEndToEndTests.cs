using System.Net;
using System.Net.Mime;
using System.Text;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Cohorts.TestSupport;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace Cohorts.Server.Tests;

/// <summary>
/// Events out, through the API on Azurite to receivers on loopback: a compressed cohort's review.decided and
/// checkpoint.recorded arrive as CloudEvents that the reference libraries read and verify against each subscription's
/// secret; a receiver that answers 500 twice gets the same webhook-id three times, and the delivery list shows the
/// attempts; 410 disables a subscription; a deleted one gets nothing more; a server killed between an event and its
/// delivery still delivers it after the restart.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class WebhookEndToEndTests(ServerFixture fixture)
{
    /// <summary>The webhook settings of the test servers: loopback receivers, retries in seconds.</summary>
    internal static readonly Dictionary<string, string> Settings = new()
    {
        ["Webhooks__AllowPrivateNetworks"] = "true",
        ["Webhooks__FirstRetry"] = "PT1S",
        ["Webhooks__RetryFor"] = "PT1M",
        ["Webhooks__DispatchEvery"] = "PT0.2S",
    };

    private static readonly JsonEventFormatter CloudEvents = new();

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task ACompressedCohort_DeliversSignedCloudEvents_RetriesWithTheSameId_AndStopsForDeletedOrGoneReceivers()
    {
        string cohortId = Plans.UniqueId("hooks");
        await using WebhookReceiver receiver = WebhookReceiver.Start();
        await using WebhookReceiver flaky = WebhookReceiver.Start();
        await using WebhookReceiver deleted = WebhookReceiver.Start();
        await using WebhookReceiver gone = WebhookReceiver.Start();
        await using WebhookReceiver people = WebhookReceiver.Start();
        flaky.Answer = (_, earlier) => earlier < 2 ? 500 : 204;
        gone.Answer = (_, _) => 410;

        JsonNode main = await SubscribeAsync(receiver.Url, cohortId, "review.decided", "checkpoint.recorded");
        JsonNode retried = await SubscribeAsync(flaky.Url, cohortId, "review.decided");
        JsonNode removed = await SubscribeAsync(deleted.Url, cohortId, "*");
        JsonNode refused = await SubscribeAsync(gone.Url, cohortId, "submission.created");
        JsonNode joined = await SubscribeAsync(people.Url, cohortId, "participant.joined");
        string secret = main["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        // the secret is shown once: not when the subscription is read again
        JsonNode read = await Server.GetJsonAsync("integrator", $"/api/subscriptions/{main["id"]}");
        Assert.Null(read["secret"]);
        Assert.Equal("active", read["status"]!.GetValue<string>());

        // deleted before anything happens: nothing is ever delivered to it
        Assert.Equal(HttpStatusCode.NoContent, await DeleteAsync(removed["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, await DeleteAsync(removed["id"]!.GetValue<string>()));

        // a compressed cohort with one review decided and two checkpoints
        Dictionary<string, object?> plan = Plans.Compressed(cohortId, "PT6S", "PT9S");
        plan["reviewPolicy"] = new Dictionary<string, object?> { ["window"] = "PT10M", ["reminder"] = "PT5M" };
        plan["reviewers"] = new object[] { new Dictionary<string, object?> { ["id"] = "rev-a", ["email"] = "rev-a@example.com" } };
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
        Assert.Equal("applied", (await Imports.ImportAsync(Server, cohortId, Encoding.UTF8.GetBytes(
            "employee_id,email,first_name,last_name,job_title,department,status\nB1,b1@example.com,Bea,One,Data Scientist,Analytics,Active\n"
            + "B2,b2@example.com,Bo,Two,Data Scientist,Analytics,Active\nB3,b3@example.com,Bel,Three,Data Scientist,Analytics,Active\n")))["state"]!.GetValue<string>());
        string submissionId = await ReviewEndToEndTests.SubmitAsync(Server, cohortId, "B1");
        await ReviewEndToEndTests.DecideAsync(Server, "rev-a", submissionId, "accepted", HttpStatusCode.OK);

        // the receiver gets review.decided and both checkpoints, each a CloudEvent whose signature verifies
        await Eventually.WaitAsync(() => Task.FromResult(receiver.Received.Count), n => n >= 3, TimeSpan.FromSeconds(60), "three deliveries");
        var events = receiver.Received.Select(r => (Received: r, Event: Verify(r, secret))).ToList();
        Assert.Equal(["cohorts.checkpoint.recorded", "cohorts.checkpoint.recorded", "cohorts.review.decided"], events.Select(e => e.Event.Type).Order());
        Assert.All(events, e => Assert.Equal(new Uri($"/cohorts/{cohortId}", UriKind.Relative), e.Event.Source));
        Assert.All(events, e => Assert.Equal(e.Received.Id, e.Event.Id));
        JsonNode decided = Data(events.Single(e => e.Event.Type == "cohorts.review.decided").Event);
        Assert.Equal((submissionId, "accepted", "B1"), (decided["submissionId"]!.GetValue<string>(), decided["verdict"]!.GetValue<string>(), decided["participantId"]!.GetValue<string>()));
        Assert.Equal([1, 2], events.Where(e => e.Event.Type == "cohorts.checkpoint.recorded").Select(e => Data(e.Event)["ordinal"]!.GetValue<int>()).Order());
        // ids and figures only: no name, address or link of the participant
        Assert.All(events, e => Assert.DoesNotContain("b1@example.com", e.Received.Body, StringComparison.OrdinalIgnoreCase));
        Assert.All(events, e => Assert.DoesNotContain("Bea", e.Received.Body, StringComparison.Ordinal));
        // a signature under another secret does not verify
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => Verify(events[0].Received, retried["secret"]!.GetValue<string>()));

        // the flaky receiver: 500, 500, then 204 — three posts with one webhook-id, listed as three attempts
        await Eventually.WaitAsync(() => Task.FromResult(flaky.Received.Count), n => n >= 3, TimeSpan.FromSeconds(30), "three attempts");
        Assert.Single(flaky.Received.Select(r => r.Id).Distinct());
        Assert.All(flaky.Received, r => Verify(r, retried["secret"]!.GetValue<string>()));
        JsonNode delivery = await Eventually.WaitAsync(
            () => Server.GetJsonAsync("integrator", $"/api/subscriptions/{retried["id"]}/deliveries"),
            page => page["items"]!.AsArray().Count == 1 && page["items"]![0]!["status"]!.GetValue<string>() == "delivered",
            TimeSpan.FromSeconds(20),
            "the delivery recorded");
        JsonNode only = delivery["items"]![0]!;
        Assert.Equal(flaky.Received.First().Id, only["eventId"]!.GetValue<string>());
        Assert.Equal([500, 500, 204], only["attempts"]!.AsArray().Select(a => a!["statusCode"]!.GetValue<int>()));
        DateTimeOffset[] at = only["attempts"]!.AsArray().Select(a => a!["at"]!.GetValue<DateTimeOffset>()).ToArray();
        Assert.True(at[2] - at[1] > at[1] - at[0], $"the wait grows: {string.Join(", ", at)}");

        // 410: the subscription is disabled
        await Eventually.WaitAsync(
            () => Server.GetJsonAsync("integrator", $"/api/subscriptions/{refused["id"]}"),
            s => s["status"]!.GetValue<string>() == "disabled",
            TimeSpan.FromSeconds(20),
            "the subscription disabled by 410");

        // the import raised a participant.joined per person (raised together, kept together, delivered one by one),
        // naming the person by id only
        List<ReceivedWebhook> joins = await Eventually.WaitAsync(() => Task.FromResult(people.Received.ToList()), r => r.Count >= 3, TimeSpan.FromSeconds(20), "three participant.joined");
        List<CloudEvent> joinEvents = joins.Select(j => Verify(j, joined["secret"]!.GetValue<string>())).OrderBy(e => e.Subject, StringComparer.Ordinal).ToList();
        Assert.Equal(["participants/B1", "participants/B2", "participants/B3"], joinEvents.Select(e => e.Subject));
        Assert.All(joinEvents, e => Assert.Equal("cohorts.participant.joined", e.Type));
        Assert.Equal(3, joinEvents.Select(e => e.Id).Distinct().Count());
        Assert.Equal(("B1", "builders"), (Data(joinEvents[0])["participantId"]!.GetValue<string>(), Data(joinEvents[0])["to"]!.GetValue<string>()));

        // the deleted subscription's receiver got nothing at all
        await Eventually.WaitAsync(
            () => Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"), c => c["status"]!.GetValue<string>() == "completed", TimeSpan.FromSeconds(60), "completed");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(deleted.Received);
        Assert.Equal(3, receiver.Received.Count); // and nothing twice
    }

    [Fact]
    public async Task AServerKilledBetweenAnEventAndItsDelivery_DeliversItAfterTheRestart()
    {
        // its own Azurite: a server on the shared one would hand the event on (as a second server sharing the load should)
        string dataFolder = TestFolders.New("hooks-crash-");
        const string taskHub = "hookscrash";
        await using WebhookReceiver receiver = WebhookReceiver.Start();
        string cohortId = Plans.UniqueId("hooks-crash");
        // the first server raises events but never hands them on (its dispatch waits an hour)
        var slow = new Dictionary<string, string>(Settings) { ["Webhooks__DispatchEvery"] = "PT1H" };
        ServerProcess first = await ServerProcess.StartAsync(dataFolder, taskHub, settings: slow);
        string secret;
        try
        {
            (HttpStatusCode status, JsonNode? created) = await first.PostJsonAsync("integrator", "/api/subscriptions", new { url = receiver.Url, events = new[] { "cohort.created" }, cohortId });
            Assert.Equal(HttpStatusCode.Created, status);
            secret = created!["secret"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.Created, (await first.PostJsonAsync("hr", "/api/cohorts", Plans.Compressed(cohortId, "P30D"))).Status);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Empty(receiver.Received);
            await first.CrashAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using ServerProcess second = await ServerProcess.StartAsync(dataFolder, taskHub, settings: Settings);
        ReceivedWebhook got = (await Eventually.WaitAsync(() => Task.FromResult(receiver.Received.ToList()), r => r.Count >= 1, TimeSpan.FromSeconds(30), "the delivery after the restart"))[0];
        CloudEvent created2 = Verify(got, secret);
        Assert.Equal("cohorts.cohort.created", created2.Type);
        Assert.Equal(cohortId, Data(created2)["cohortId"]!.GetValue<string>());
        await second.StopAsync(); // stops the Azurite the first server started, too
    }

    private async Task<JsonNode> SubscribeAsync(Uri url, string cohortId, params string[] events)
    {
        (HttpStatusCode status, JsonNode? body) = await Server.PostJsonAsync("integrator", "/api/subscriptions", new { url, events, cohortId });
        Assert.True(status == HttpStatusCode.Created, $"POST /api/subscriptions answered {(int)status}: {body}");
        return body!;
    }

    private async Task<HttpStatusCode> DeleteAsync(string subscriptionId)
    {
        using HttpClient client = Server.As("integrator");
        using HttpResponseMessage response = await client.DeleteAsync(new Uri($"/api/subscriptions/{subscriptionId}", UriKind.Relative));
        return response.StatusCode;
    }

    /// <summary>The delivery verified with the Standard Webhooks reference verifier and read by the CloudEvents SDK.</summary>
    private static CloudEvent Verify(ReceivedWebhook received, string secret)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = received.Id,
            ["webhook-timestamp"] = received.Timestamp,
            ["webhook-signature"] = received.Signature,
        };
        new StandardWebhook(secret).Verify(received.Body, headers);
        Assert.StartsWith("application/cloudevents+json", received.ContentType, StringComparison.Ordinal);
        return CloudEvents.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(received.Body), new ContentType(received.ContentType), extensionAttributes: null);
    }

    private static JsonNode Data(CloudEvent cloudEvent) =>
        cloudEvent.Data switch
        {
            System.Text.Json.JsonElement element => JsonNode.Parse(element.GetRawText())!,
            var other => throw new InvalidOperationException($"data is {other?.GetType().Name ?? "null"}"),
        };
}
