using System.Text.Json.Nodes;
using Cohorts.Connectors.Graph;
using Cohorts.Connectors.Mail;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>Viva Learning and sendMail through the real Microsoft.Graph SDK against a loopback server with the corpus payload shapes.</summary>
public sealed class GraphLearningAndMailTests : IAsyncLifetime
{
    private const string Provider = "v1.0/employeeExperience/learningProviders/01e8f81b-3060-4dec-acf0-0389665a0a38";
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly CohortPlan Plan = new(
        "claims-q1", "Claims triage, Q1", new UseCase("Claims triage model", "Route claims", null, null, []), Start,
        CohortPlan.DefaultCheckpoints, ReviewPolicy.Default, ["cio@example.com"], "lead@example.com", [], null, Enum.GetValues<Track>());

    private GraphStub stub = null!;

    public async Task InitializeAsync() => stub = await GraphStub.StartAsync();

    public async Task DisposeAsync() => await stub.DisposeAsync();

    [Fact]
    public async Task Assign_CreatesOnce_AndARetryFindsTheFirst()
    {
        LearningStep step = LearningPaths.For(Track.Builders, Plan.UseCase)[3];
        string external = VivaLearning.AssignmentId(Plan.Id, step, "E1");
        string created = stub.Corpus("learningCourseActivities.create-assignment.response-201.json");
        // the first lookup finds nothing (Graph's 404 error shape), the retry's lookup finds what the first call created
        stub.On($"{Provider}/learningCourseActivities(externalcourseActivityId='{external}')", null,
            new GraphStub.Reply(404, """{"error":{"code":"NotFound","message":"Not found"}}"""),
            new GraphStub.Reply(200, created));
        stub.On($"{Provider}/learningCourseActivities", null, new GraphStub.Reply(201, created));
        var viva = new VivaLearning(stub.Client(), "01e8f81b-3060-4dec-acf0-0389665a0a38");

        (_, bool first) = await viva.AssignAsync(external, "7ba2228a-e020-11ec-9d64-0242ac120002", "57baf9dc-e020-11ec-9d64-0242ac120002", Start, Start.AddDays(60), CancellationToken.None);
        (var again, bool second) = await viva.AssignAsync(external, "7ba2228a-e020-11ec-9d64-0242ac120002", "57baf9dc-e020-11ec-9d64-0242ac120002", Start, Start.AddDays(60), CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal("7ba2228a-e020-11ec-9d64-0242ac120002:749c8786-99bb-4b3b-8d5d-586428f6aaa3", again.Id);
        GraphStub.StubRequest post = Assert.Single(stub.Requests, r => r.Method == "POST");
        JsonObject sent = JsonNode.Parse(post.Body)!.AsObject();
        JsonObject corpus = JsonNode.Parse(stub.Corpus("learningCourseActivities.create-assignment.request.json"))!.AsObject();
        // the SDK writes the keys of the documented request; the doc spells one "externalCourseActivityId", Graph's
        // metadata (and so the SDK) "externalcourseActivityId"
        foreach (string key in new[] { "@odata.type", "assignedDateTime", "assignmentType", "dueDateTime", "learningContentId", "learnerUserId", "status" })
        {
            Assert.True(corpus.ContainsKey(key) && sent.ContainsKey(key), key);
        }

        Assert.Equal(external, sent["externalcourseActivityId"]!.GetValue<string>());
        Assert.Equal("required", sent["assignmentType"]!.GetValue<string>());
        Assert.Equal("#microsoft.graph.learningAssignment", sent["@odata.type"]!.GetValue<string>());
        Assert.Equal("UTC", sent["dueDateTime"]!["timeZone"]!.GetValue<string>());
        Assert.StartsWith("2027-01-30T09:00:00", sent["dueDateTime"]!["dateTime"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertContent_PatchesByExternalId()
    {
        LearningStep step = LearningPaths.For(Track.Governors, Plan.UseCase)[0];
        // derived: Graph answers the PATCH with the content; the corpus has no learningContent payload, so this is the
        // documented resource shape with the fields the product reads
        stub.On($"{Provider}/learningContents(externalId='claims-q1-governors-1')", null,
            new GraphStub.Reply(200, """{"id":"b7a2b9e4-0001-4000-8000-000000000001","externalId":"claims-q1-governors-1","title":"Frame 'Claims triage model'"}"""));
        var viva = new VivaLearning(stub.Client(), "01e8f81b-3060-4dec-acf0-0389665a0a38");

        string id = await viva.UpsertContentAsync(Plan, step, new Uri("https://lms.example.com/claims-q1/governors-1"), CancellationToken.None);

        Assert.Equal("b7a2b9e4-0001-4000-8000-000000000001", id);
        GraphStub.StubRequest patch = Assert.Single(stub.Requests);
        Assert.Equal("PATCH", patch.Method);
        JsonNode body = JsonNode.Parse(patch.Body)!;
        Assert.Equal("https://lms.example.com/claims-q1/governors-1", body["contentWebUrl"]!.GetValue<string>());
        Assert.Equal(step.Title, body["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Push_OfThreeLearnersOnOneTrack_UpsertsEachStepsContentOnce_AndAssignsEachFoundLearner()
    {
        IReadOnlyList<LearningStep> path = LearningPaths.For(Track.Builders, Plan.UseCase);
        LearningStep[] open = [path[0], path[2]];
        string created = stub.Corpus("learningCourseActivities.create-assignment.response-201.json");
        // Ann is known by her directory id; Bo is found by sign-in name; Cy has no account (404 for both names)
        stub.On("v1.0/users/bo@example.com", null, new GraphStub.Reply(200, """{"id":"bbbbbbbb-0000-4000-8000-000000000002"}"""));
        stub.On("v1.0/users/cy@example.com", null, new GraphStub.Reply(404, """{"error":{"code":"Request_ResourceNotFound","message":"Resource 'cy@example.com' does not exist."}}"""));
        stub.On("v1.0/users/cy.upn@example.com", null, new GraphStub.Reply(404, """{"error":{"code":"Request_ResourceNotFound","message":"Resource 'cy.upn@example.com' does not exist."}}"""));
        foreach (LearningStep step in open)
        {
            stub.On($"{Provider}/learningContents(externalId='{VivaLearning.ContentId(Plan.Id, step)}')", null,
                new GraphStub.Reply(200, $$"""{"id":"content-{{step.StepId}}"}"""));
            foreach (string person in new[] { "A1", "B2" })
            {
                stub.On($"{Provider}/learningCourseActivities(externalcourseActivityId='{VivaLearning.AssignmentId(Plan.Id, step, person)}')", null,
                    new GraphStub.Reply(404, """{"error":{"code":"NotFound","message":"Not found"}}"""));
            }
        }

        stub.On($"{Provider}/learningCourseActivities", null, Enumerable.Repeat(new GraphStub.Reply(201, created), 4).ToArray());
        stub.Delay = TimeSpan.FromMilliseconds(100);
        var viva = new VivaLearningPlatform(stub.Client(), "01e8f81b-3060-4dec-acf0-0389665a0a38", new Uri("https://cohorts.example.com/"));

        IReadOnlyList<PushOutcome> outcomes = await viva.PushAsync(Plan, [Learner("A1", "ann@example.com", null, "aaaaaaaa-0000-4000-8000-000000000001"), Learner("B2", "bo@example.com", null, null), Learner("C3", "cy@example.com", "cy.upn@example.com", null)], CancellationToken.None);

        Assert.Equal([PushOutcome.Pushed, PushOutcome.Pushed, PushOutcome.LearnerNotFound], outcomes);
        // 2 contents + Bo's and Cy's two look-ups + 2 people × 2 steps × (find, create) = 2 + 3 + 8
        Assert.Equal(2, stub.Requests.Count(r => r.Method == "PATCH"));
        Assert.Equal(13, stub.Requests.Count);
        List<JsonNode> posts = stub.Requests.Where(r => r.Method == "POST").Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal(
            [("aaaaaaaa-0000-4000-8000-000000000001", $"content-{path[0].StepId}"), ("aaaaaaaa-0000-4000-8000-000000000001", $"content-{path[2].StepId}"),
             ("bbbbbbbb-0000-4000-8000-000000000002", $"content-{path[0].StepId}"), ("bbbbbbbb-0000-4000-8000-000000000002", $"content-{path[2].StepId}")],
            posts.Select(p => (p["learnerUserId"]!.GetValue<string>(), p["learningContentId"]!.GetValue<string>())).Order());
        // the learners went at once, a few at a time
        Assert.InRange(stub.PeakInFlight, 2, VivaLearningPlatform.LearnersAtOnce);

        LearnerPush Learner(string id, string email, string? upn, string? directoryId)
        {
            var person = new Participant(Plan.Id, id, new HrRecord(id, email, upn), Track.Builders, "r", "r", false, ParticipantStatus.Active, Start, Start, []);
            return new LearnerPush(person, open.Select(s => new Assignment(s.StepId, Track.Builders, s.Order, s.Kind, s.Title, Start.AddDays(30), AssignmentState.Assigned, 0, true)).ToList(), directoryId);
        }
    }

    [Fact]
    public async Task Push_RefusedByGraph_NamesWhatWasRefused_AndGraphsReason()
    {
        LearningStep step = LearningPaths.For(Track.Builders, Plan.UseCase)[0];
        stub.On($"{Provider}/learningContents(externalId='{VivaLearning.ContentId(Plan.Id, step)}')", null,
            new GraphStub.Reply(403, """{"error":{"code":"Forbidden","message":"The caller is not the provider's owner."}}"""));
        var viva = new VivaLearningPlatform(stub.Client(), "01e8f81b-3060-4dec-acf0-0389665a0a38", new Uri("https://cohorts.example.com/"));
        var person = new Participant(Plan.Id, "A1", new HrRecord("A1"), Track.Builders, "r", "r", false, ParticipantStatus.Active, Start, Start, []);

        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(() => viva.PushAsync(
            Plan, [new LearnerPush(person, [new Assignment(step.StepId, Track.Builders, step.Order, step.Kind, step.Title, Start, AssignmentState.Assigned, 0, true)], "x")], CancellationToken.None));

        Assert.Equal($"Viva Learning refused the content of step '{step.StepId}' (403 Forbidden): The caller is not the provider's owner.", refused.Message);
    }

    [Fact]
    public async Task SendMail_LooksInSentItemsFirst_AndSendsOnce()
    {
        const string Sent = "v1.0/users/cohorts@contoso.com/mailFolders/SentItems/messages";
        stub.On(Sent, null, new GraphStub.Reply(200, """{"value":[]}"""), new GraphStub.Reply(200, """{"value":[{"id":"AAMk-sent"}]}"""));
        stub.On("v1.0/users/cohorts@contoso.com/sendMail", null, new GraphStub.Reply(202, string.Empty));
        var mail = new GraphMailNotifier(stub.Client(), "cohorts@contoso.com");
        var message = new OutboundMessage("c1.0123456789abcdef.request", ["AlexW@contoso.com"], "Review requested", "text", "<p>html</p>");

        Assert.True(await mail.SendAsync(message, CancellationToken.None));
        Assert.False(await mail.SendAsync(message, CancellationToken.None)); // found in Sent Items: not sent again

        GraphStub.StubRequest send = Assert.Single(stub.Requests, r => r.Method == "POST");
        // the SDK writes the action's parameters as "Message" and "SaveToSentItems" (Graph reads them without regard to
        // case); the corpus request spells "message"
        JsonNode body = new JsonObject { ["message"] = JsonNode.Parse(send.Body)!["Message"]!.DeepClone() };
        Assert.True(JsonNode.Parse(send.Body)!["SaveToSentItems"]!.GetValue<bool>());
        JsonNode corpus = JsonNode.Parse(stub.Corpus("users.sendMail.html-with-headers.request.json"))!;
        Assert.Equal(corpus["message"]!["body"]!["contentType"]!.GetValue<string>().ToLowerInvariant(), body["message"]!["body"]!["contentType"]!.GetValue<string>().ToLowerInvariant());
        Assert.Equal("AlexW@contoso.com", body["message"]!["toRecipients"]![0]!["emailAddress"]!["address"]!.GetValue<string>());
        Assert.Equal("c1.0123456789abcdef.request", body["message"]!["internetMessageHeaders"]![0]!["value"]!.GetValue<string>());
        Assert.StartsWith("x-", body["message"]!["internetMessageHeaders"]![0]!["name"]!.GetValue<string>().ToLowerInvariant(), StringComparison.Ordinal); // custom headers must start x-
        Assert.Contains("c1.0123456789abcdef.request", stub.Requests.First().PathAndQuery, StringComparison.Ordinal); // the Sent Items filter names the id
    }

    [Fact]
    public async Task SendMail_WithTheReportsAttachments_SendsTheChartInlineAndTheCsvAttached()
    {
        const string Sent = "v1.0/users/cohorts@contoso.com/mailFolders/SentItems/messages";
        stub.On(Sent, null, new GraphStub.Reply(200, """{"value":[]}"""));
        stub.On("v1.0/users/cohorts@contoso.com/sendMail", null, new GraphStub.Reply(202, string.Empty));
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];
        byte[] csv = System.Text.Encoding.UTF8.GetBytes("scope,participants\r\ncohort,3\r\n");
        var message = new OutboundMessage("report.c1.3.0123456789abcdef", ["cio@contoso.com"], "Claims: final outcome report", "text", "<img src=\"cid:sla\">",
            [new MessageAttachment("sla.png", "image/png", png, ContentId: "sla"), new MessageAttachment("c1-checkpoint-3.csv", "text/csv", csv)]);

        Assert.True(await new GraphMailNotifier(stub.Client(), "cohorts@contoso.com").SendAsync(message, CancellationToken.None));

        JsonArray attachments = JsonNode.Parse(Assert.Single(stub.Requests, r => r.Method == "POST").Body)!["Message"]!["attachments"]!.AsArray();
        Assert.Equal(2, attachments.Count);
        JsonNode chart = attachments[0]!, table = attachments[1]!;
        Assert.Equal(("#microsoft.graph.fileAttachment", "sla.png", "sla", true), (chart["@odata.type"]!.GetValue<string>(), chart["name"]!.GetValue<string>(), chart["contentId"]!.GetValue<string>(), chart["isInline"]!.GetValue<bool>()));
        Assert.Equal(png, Convert.FromBase64String(chart["contentBytes"]!.GetValue<string>()));
        Assert.Equal(("c1-checkpoint-3.csv", "text/csv", false), (table["name"]!.GetValue<string>(), table["contentType"]!.GetValue<string>(), table["isInline"]!.GetValue<bool>()));
        Assert.Equal(csv, Convert.FromBase64String(table["contentBytes"]!.GetValue<string>()));
    }
}
