using System.Text;
using Cohorts.Client;
using Cohorts.Client.Models;
using Cohorts.CsvClient;
using Cohorts.TestSupport;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Serialization.Text;
using Track = Cohorts.Client.Models.Track;

namespace Cohorts.Server.Tests;

/// <summary>
/// The API as an integrator meets it: through clients Kiota generated from the served OpenAPI document (at build time,
/// see the project file), with no request built by hand — create, enrol from CSV, submit, review, and the final report
/// as JSON and as CSV.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class GeneratedClientTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task GeneratedClient_DrivesCreate_CsvImport_Submit_Review_AndTheReport()
    {
        CohortsClient hr = Json("hr");
        string cohortId = Plans.UniqueId("kiota");
        Cohort? created = await hr.Cohorts.PostAsync(new CohortPlan
        {
            Id = cohortId,
            Name = "Claims triage, generated client",
            UseCase = new UseCase { Title = "Claims triage model", Problem = "Route incoming claims to the right desk" },
            Checkpoints = ["PT20S"],
            ReviewPolicy = new ReviewPolicy { Window = "PT1H", Reminder = "PT30M" },
            Leaders = ["cio@example.com"],
            ProgramLead = "lead@example.com",
            Reviewers = [new Reviewer { Id = "test-reviewer", Email = "reviewer@example.com", Tracks = [Track.Builders] }],
        });
        Assert.Equal((cohortId, CohortStatus.Scheduled), (created!.Id, created.Status));

        // enrol from an HR export, through the client generated for the CSV routes
        const string Export = "employee_id,email,first_name,last_name,job_title,department,status\n"
            + "K1,k1@example.com,Kai,One,Data Scientist,Analytics,Active\n"
            + "K2,k2@example.com,Kim,Two,Business Analyst,Operations,Active\n";
        Cohorts.CsvClient.Models.Import? import = await Csv("hr").Cohorts[cohortId].Imports.PostAsync(Export);
        Assert.Equal(Cohorts.CsvClient.Models.Import_state.Reading, import!.State);
        Import applied = await Eventually.WaitAsync(
            async () => (await hr.Cohorts[cohortId].Imports[import.ImportId].GetAsync())!,
            i => i.State is Import_state.Applied or Import_state.Failed,
            TimeSpan.FromSeconds(30),
            "the import to apply");
        Assert.Equal((Import_state.Applied, 2), (applied.State, applied.Counts!.Joiners));

        // the participant's assignments name the demonstration step to submit
        CohortsClient integrator = Json("integrator");
        Participant? k1 = await integrator.Cohorts[cohortId].Participants["K1"].GetAsync();
        Assert.Equal(Participant_track.Builders, k1!.Track);
        string step = k1.Assignments!.First(a => a.Kind == Assignment_kind.CapabilityDemonstration).StepId!;
        Assert.Equal("builders-4", step);

        Submission? submitted = await integrator.Cohorts[cohortId].Submissions.PostAsync(new() { ParticipantId = "K1", StepId = step, ArtifactUrl = "https://git.example.com/k1/model" });
        Assert.Equal((Submission_status.AwaitingReview, "test-reviewer", 1), (submitted!.Status, submitted.ReviewerId, submitted.Attempt));

        Submission? decided = await Json("reviewer").Submissions[submitted.SubmissionId].Review.PostAsync(new()
        {
            Verdict = Cohorts.Client.Submissions.Item.Review.ReviewPostRequestBody_verdict.Accepted,
            Feedback = "Clear framing; the threshold choice is argued from the claims data.",
        });
        Assert.Equal((Submission_status.Accepted, Submission_verdict.Accepted), (decided!.Status, decided.Verdict));

        // an error answers as the document's Problem, typed
        Problem missing = await Assert.ThrowsAsync<Problem>(() => integrator.Submissions["nobody.0000"].GetAsync());
        Assert.Equal((404, Problem_code.SubmissionNotFound), (missing.Status, missing.Code));

        // the final report, once the checkpoint is recorded: as JSON and as CSV
        CohortsClient leader = Json("leader");
        var report = await Eventually.WaitAsync(
            async () => await TryAsync(() => leader.Cohorts[cohortId].Reports["final"].GetAsync(r => r.QueryParameters.Format = Cohorts.Client.Cohorts.Item.Reports.Item.GetFormatQueryParameterType.Json)),
            r => r is not null,
            TimeSpan.FromSeconds(60),
            "the final report");
        Assert.True(report!.AdditionalData.ContainsKey("cohort"), "the JSON report holds the cohort's figures");
        string? csv = await Csv("leader").Cohorts[cohortId].Reports["final"].GetAsync(r => r.QueryParameters.Format = Cohorts.CsvClient.Cohorts.Item.Reports.Item.GetFormatQueryParameterType.Csv);
        string[] lines = csv!.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("scope,participants,productionContributions,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("cohort,2,0,", lines[1], StringComparison.Ordinal);
    }

    private CohortsClient Json(string role) => new(Adapter(role));

    private CohortsCsvClient Csv(string role) => new(Adapter(role));

    /// <summary>The adapter over the test server's checked client; the key rides as a default header (Kiota's API key provider is https-only).</summary>
    private HttpClientRequestAdapter Adapter(string role)
    {
        var adapter = new HttpClientRequestAdapter(
            new AnonymousAuthenticationProvider(),
            CsvText.Parsers,
            CsvText.Writers,
            Server.As(role))
        {
            BaseUrl = new Uri(Server.BaseAddress, "/api").ToString(),
        };
        return adapter;
    }

    private static async Task<T?> TryAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (Problem notYet) when (notYet.Code == Problem_code.ReportNotReady)
        {
            return null;
        }
    }

    /// <summary>
    /// The serializers a client needs for the document's media types: Kiota's JSON and text ones, and text/csv read and
    /// written as text (Kiota has no CSV serializer; the document's CSV bodies are plain strings).
    /// </summary>
    private sealed class CsvText : ISerializationWriterFactory, IParseNodeFactory
    {
        public static readonly ParseNodeFactoryRegistry Parsers = Registries().Parsers;

        public static readonly SerializationWriterFactoryRegistry Writers = Registries().Writers;

        public string ValidContentType => "text/csv";

        public ISerializationWriter GetSerializationWriter(string contentType) => new TextSerializationWriter();

        public async Task<IParseNode> GetRootParseNodeAsync(string contentType, Stream content, CancellationToken cancellationToken = default)
        {
            using var reader = new StreamReader(content, Encoding.UTF8);
            return new TextParseNode(await reader.ReadToEndAsync(cancellationToken));
        }

        private static (ParseNodeFactoryRegistry Parsers, SerializationWriterFactoryRegistry Writers) Registries()
        {
            var parsers = new ParseNodeFactoryRegistry();
            var writers = new SerializationWriterFactoryRegistry();
            var csv = new CsvText();
            parsers.ContentTypeAssociatedFactories["application/json"] = new Microsoft.Kiota.Serialization.Json.JsonParseNodeFactory();
            parsers.ContentTypeAssociatedFactories["text/plain"] = new TextParseNodeFactory();
            parsers.ContentTypeAssociatedFactories["text/csv"] = csv;
            writers.ContentTypeAssociatedFactories["application/json"] = new Microsoft.Kiota.Serialization.Json.JsonSerializationWriterFactory();
            writers.ContentTypeAssociatedFactories["text/plain"] = new TextSerializationWriterFactory();
            writers.ContentTypeAssociatedFactories["text/csv"] = csv;
            return (parsers, writers);
        }
    }
}
