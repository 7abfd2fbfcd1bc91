using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Cohorts.Connectors.Blob;
using Cohorts.Connectors.Mail;
using Cohorts.Connectors.Reports;
using Cohorts.Domain;
using Cohorts.Domain.Outcomes;
using Cohorts.TestSupport;
using CsvHelper;
using MimeKit;

namespace Cohorts.Connectors.Tests;

/// <summary>
/// The report rendered from figures written out by hand (not computed): a cohort with no baseline for velocity or
/// advisory hours, a first-pass baseline, one busy track and one empty track.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class ReportRendererTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static ScopeMetrics Scope(string name, int people, int contributions, TimeSpan? velocity, Share firstPass, double hours, double? perMonth, double? baselineHours, Share within, TimeSpan? feedback, int escalations, int accepted, Share completion) =>
        new(name, people,
            new ProductionMetrics(contributions, contributions == 0 ? 0 : 2, velocity, BaselineTimeToProduction: null),
            new QualityMetrics(firstPass, 0.4, new Share(1, 2)),
            new AdvisoryMetrics(hours, perMonth, baselineHours),
            new ReviewMetrics(within.Of + 1, within.Of, within, feedback, escalations),
            accepted,
            completion);

    private static readonly OutcomeReport Figures = new(
        "c1", "=Claims cohort", "Claims triage", 3, 3, Start, Start.AddDays(90), TimeSpan.FromDays(30), TimeSpan.FromHours(48),
        Scope(OutcomeMetrics.CohortScope, 4, 4, TimeSpan.FromDays(25), new Share(1, 2), 10, 10.0 / 3, null, new Share(1, 4), TimeSpan.FromHours(48), 3, 1, new Share(1, 14)),
        [
            Scope("builders", 2, 3, TimeSpan.FromDays(25), new Share(1, 2), 4, 4.0 / 3, null, new Share(1, 3), TimeSpan.FromHours(48), 2, 1, new Share(1, 10)),
            Scope("consumers", 0, 0, null, new Share(0, 0), 0, 0, null, new Share(0, 0), null, 0, 0, new Share(0, 0)),
        ]);

    private static readonly OutcomeReport Earlier = Figures with { Checkpoint = 1, AsOf = Start.AddDays(30) };

    [Fact]
    public void ScoreBandCharts_ReadInTheUnitOfTheirFigures_AndAreLeftOutWhenEveryBandIsWithheld()
    {
        var none = new RankCorrelation(null, null, 0, "too few");
        OutcomeReport scored = Figures with
        {
            Scores =
            [
                // medians of 90 s and 3 min: the largest reads best in minutes (two or more of them)
                new ScoreBlock("quiz", [new ScoreBand(1, 6, TimeSpan.FromSeconds(90), 0.5, 1, null), new ScoreBand(2, 6, TimeSpan.FromMinutes(3), 0.5, 1, null),
                    new ScoreBand(3, 2, null, null, null, "fewer than 5 people in the band"), new ScoreBand(4, 6, null, 0.5, 0, null)], none),
                new ScoreBlock("exam", [new ScoreBand(1, 2, null, null, null, "fewer than 5"), new ScoreBand(2, 2, null, null, null, "fewer than 5")], none),
            ],
        };

        IReadOnlyList<ReportChart> charts = ReportCharts.Draw(scored, []);

        ReportChart quiz = Assert.Single(charts, c => c.Id.StartsWith("scores-", StringComparison.Ordinal));
        Assert.Equal(("scores-quiz", "Median minutes to first production by score band: quiz"), (quiz.Id, quiz.Title));
        Assert.True(quiz.Png.Length > 1000);
    }

    [Fact]
    public void Csv_ReadBack_MatchesTheFiguresCellByCell()
    {
        string csv = ReportRenderer.Csv(Figures);

        using var reader = new CsvReader(new StringReader(csv), CultureInfo.InvariantCulture);
        List<Dictionary<string, string>> rows = [];
        reader.Read();
        reader.ReadHeader();
        Assert.Equal(ReportRenderer.CsvHeader, reader.HeaderRecord);
        while (reader.Read())
        {
            rows.Add(reader.HeaderRecord!.ToDictionary(h => h, h => reader.GetField(h)!));
        }

        Assert.Equal(["cohort", "builders", "consumers"], rows.Select(r => r["scope"]));
        Dictionary<string, string> cohort = rows[0], empty = rows[2];
        Assert.Equal("4", cohort["productionContributions"]);
        Assert.Equal("P25D", cohort["medianTimeToProduction"]);
        Assert.Equal("no baseline", cohort["baselineTimeToProduction"]);
        Assert.Equal("0.5", cohort["firstPassRate"]);
        Assert.Equal("0.4", cohort["baselineFirstPassRate"]);
        Assert.Equal("3.3333", cohort["advisoryHoursPerMonth"]);
        Assert.Equal("no baseline", cohort["baselineAdvisoryHoursPerMonth"]);
        Assert.Equal("no baseline", cohort["advisoryChange"]);
        Assert.Equal("0.25", cohort["withinWindowRate"]);
        Assert.Equal("P2D", cohort["medianTimeToFeedback"]);   // 48 h, written in whole days
        Assert.Equal("0.25", cohort["acceptedPerParticipant"]);
        Assert.Equal("", empty["medianTimeToProduction"]);   // no production contributions: unknown, not 0
        Assert.Equal("", empty["firstPassRate"]);
        Assert.Equal("", empty["acceptedPerParticipant"]);
        Assert.Equal("", empty["completionRate"]);
        Assert.DoesNotContain("NaN", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_NegativeChange_StaysANumber_WhileTextThatWouldRunIsNeutralised()
    {
        OutcomeReport withBaseline = Figures with { Cohort = Figures.Cohort with { Advisory = new AdvisoryMetrics(10, 10, 20), Scope = "=HYPERLINK(\"x\")" } };

        string csv = ReportRenderer.Csv(withBaseline);

        Assert.Contains(",-0.5,", csv, StringComparison.Ordinal);          // 10 against 20: a plain number
        Assert.Contains("'=HYPERLINK", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_PutsTheHeadlinesFirst_SaysNoBaseline_AndEmbedsCharts()
    {
        RenderedReport rendered = ReportRenderer.Render(Figures, [Earlier]);

        Assert.Equal(["contributions", "sla", "trend"], rendered.Charts.Select(c => c.Id));
        foreach (ReportChart chart in rendered.Charts)
        {
            Assert.Equal("\u0089PNG", Encoding.Latin1.GetString(chart.Png, 0, 4));
            Assert.Equal((640, 300), (BinaryPrimitives.ReadInt32BigEndian(chart.Png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(chart.Png.AsSpan(20))));
            Assert.Contains($"src=\"cid:{chart.Id}\"", rendered.EmailHtml, StringComparison.Ordinal);
        }

        // the images decode, and hold what was drawn: the bars' blue, and the trend's lines on a white ground
        using SkiaSharp.SKBitmap bars = SkiaSharp.SKBitmap.Decode(rendered.Charts[0].Png);
        Assert.Contains(new SkiaSharp.SKColor(0x1f, 0x5f, 0x99), bars.Pixels);
        using SkiaSharp.SKBitmap trend = SkiaSharp.SKBitmap.Decode(rendered.Charts[2].Png);
        Assert.True(trend.Pixels.Count(p => p != SkiaSharp.SKColors.White) > 1000);

        Assert.Equal(3, CountOf(rendered.Html, "src=\"data:image/png;base64,"));
        int headline = rendered.Html.IndexOf("Production contributions", StringComparison.Ordinal);
        Assert.True(headline > 0 && headline < rendered.Html.IndexOf("By track", StringComparison.Ordinal));
        Assert.Contains("no baseline", rendered.Html, StringComparison.Ordinal);               // velocity and advisory
        Assert.Contains("baseline 40%: +10 points", rendered.Html, StringComparison.Ordinal); // 50% against 40%
        Assert.Contains("25 days", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("&quot;", ReportRenderer.Render(Figures with { CohortName = "\"<b>" }, []).Html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;", ReportRenderer.Render(Figures with { CohortName = "\"<b>" }, []).Html, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("no baseline", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_HasUnknownsAsNull_AndDurationsInIso()
    {
        using JsonDocument json = JsonDocument.Parse(ReportRenderer.Json(Figures));
        JsonElement cohort = json.RootElement.GetProperty("cohort");

        Assert.Equal("P25D", cohort.GetProperty("production").GetProperty("medianTimeToProduction").GetString());
        Assert.Equal(JsonValueKind.Null, cohort.GetProperty("production").GetProperty("baselineTimeToProduction").ValueKind);
        Assert.Equal(JsonValueKind.Null, cohort.GetProperty("advisory").GetProperty("change").ValueKind);
        JsonElement empty = json.RootElement.GetProperty("tracks")[1];
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("quality").GetProperty("firstPass").GetProperty("rate").ValueKind);
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("acceptedPerParticipant").ValueKind);
    }

    [Fact]
    public async Task Archive_StoresFiguresOnce_RendersOnce_AndMakesAMimeMessageWithInlineChartsAndTheCsv()
    {
        var archive = new BlobReportArchive(new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("r" + Guid.NewGuid().ToString("N")[..20]));
        CohortPlan plan = CohortPlanFactory.Create(
            new CohortPlanDraft { Id = "c1", Name = "Claims", UseCase = new UseCaseDraft { Title = "t", Problem = "p" }, Checkpoints = ["P30D", "P60D", "P90D"], Leaders = ["cio@example.com"], ProgramLead = "p@example.com" },
            Start).Plan!;

        Assert.Null(await archive.GetAsync("c1", 3, ReportFormat.Html, CancellationToken.None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => archive.RenderAsync("c1", 3, CancellationToken.None));
        (_, bool created) = await archive.SaveFiguresAsync(Figures, CancellationToken.None);
        (OutcomeReport kept, bool again) = await archive.SaveFiguresAsync(Figures with { Cohort = Figures.Cohort with { Participants = 99 } }, CancellationToken.None);
        Assert.True(created);
        Assert.False(again);
        Assert.Equal(4, kept.Cohort.Participants);                                       // the first snapshot stands

        await archive.RenderAsync("c1", 3, CancellationToken.None);
        ReportFile html = (await archive.GetAsync("c1", 3, ReportFormat.Html, CancellationToken.None))!;
        await archive.RenderAsync("c1", 3, CancellationToken.None);                      // a retried render changes nothing
        Assert.Equal(html.Content, (await archive.GetAsync("c1", 3, ReportFormat.Html, CancellationToken.None))!.Content);
        Assert.Equal("text/csv; charset=utf-8", (await archive.GetAsync("c1", 3, ReportFormat.Csv, CancellationToken.None))!.ContentType);

        OutboundMessage message = ReportMessages.Compose(plan, 3, "cio@example.com", await archive.ReadRenderedAsync("c1", 3, CancellationToken.None));
        Assert.Equal(ReportMessages.IdFor("c1", 3, "cio@example.com"), message.MessageId);
        using MimeMessage mime = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(EmlOutbox.Compose(message, "cohorts@example.com", new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero)).ToString())));
        Assert.Equal("Claims: final outcome report", mime.Subject);
        string[] inline = mime.BodyParts.OfType<MimePart>().Where(p => p.ContentType.MimeType == "image/png").Select(p => p.ContentId!).ToArray();
        Assert.Equal(["contributions", "sla"], inline.Order());
        Assert.All(inline, id => Assert.Contains($"cid:{id}", mime.HtmlBody, StringComparison.Ordinal));
        MimePart csv = Assert.Single(mime.Attachments.OfType<MimePart>(), a => a.FileName == "c1-checkpoint-3.csv");
        using var content = new MemoryStream();
        csv.Content!.DecodeTo(content);
        Assert.StartsWith("scope,participants,productionContributions", Encoding.UTF8.GetString(content.ToArray()), StringComparison.Ordinal);
        Assert.Contains(mime.Attachments.OfType<MimePart>(), a => a.FileName == "c1-checkpoint-3.json");
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
