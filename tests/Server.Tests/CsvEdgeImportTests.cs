using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;
using CsvHelper;
using CsvHelper.Configuration;

namespace Cohorts.Server.Tests;

/// <summary>
/// Every csv-edge file, wrapped in HR columns (an employee id column added in front, the file's own encoding and BOM
/// kept), goes through the import API: it is imported, or rejected with a row-numbered reason, and nothing answers 500.
/// The wrapping reads and writes with CsvHelper directly, not with the product's reader.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class CsvEdgeImportTests(ServerFixture fixture)
{
    public static TheoryData<string> Files()
    {
        var files = new TheoryData<string>();
        string root = Path.Combine(RepoPaths.Corpus, "csv-edge");
        foreach (string file in Directory.GetFiles(root, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(root, file));
        }

        return files;
    }

    [Fact]
    public void Corpus_HasEveryCsvEdgeFile()
    {
        Assert.Equal(33, Files().Count); // 12 csv-spectrum + 21 csvkit
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task WrappedEdgeCase_IsImportedOrRejectedWithARowNumberedReason(string file)
    {
        (byte[] wrapped, int records) = Wrap(Path.Combine(RepoPaths.Corpus, "csv-edge", file));
        string cohortId = await Plans.CreateAsync(fixture.Server, "edge");

        (HttpStatusCode status, JsonNode? started) = await Imports.PostCsvAsync(fixture.Server, cohortId, wrapped);
        Assert.True(status == HttpStatusCode.Accepted, $"{file}: POST answered {(int)status} {started}");
        JsonNode import = await Imports.SettledAsync(fixture.Server, cohortId, started!["importId"]!.GetValue<string>());

        string state = import["state"]!.GetValue<string>();
        if (state == "failed")
        {
            Assert.False(string.IsNullOrWhiteSpace(import["error"]!["reason"]!.GetValue<string>()), file);
            Assert.False(string.IsNullOrWhiteSpace(import["error"]!["field"]?.GetValue<string>()), file);
            return;
        }

        Assert.Equal("applied", state);
        // every record the reference reading finds is either a joiner or a rejected row with its number and reason
        Assert.Equal(records, Imports.Count(import, "joiners") + Imports.Count(import, "invalid"));
        foreach (JsonNode? rejected in import["rejected"]!.AsArray())
        {
            Assert.InRange(rejected!["row"]!.GetValue<int>(), 2, records + 1);
            Assert.False(string.IsNullOrWhiteSpace(rejected["reason"]!.GetValue<string>()));
        }

        JsonNode cohort = await fixture.Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}");
        Assert.Equal(Imports.Count(import, "joiners"), cohort["roster"]!["active"]!.GetValue<int>());
    }

    /// <summary>The file with an employee_id column in front (W1, W2…), in its own encoding; and how many records it has.</summary>
    private static (byte[] Csv, int Records) Wrap(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        (Encoding encoding, byte[] bom) = bytes switch
        {
            [0xFF, 0xFE, ..] => ((Encoding)new UnicodeEncoding(false, false), new byte[] { 0xFF, 0xFE }),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(true, false), [0xFE, 0xFF]),
            [0xEF, 0xBB, 0xBF, ..] => (new UTF8Encoding(false), [0xEF, 0xBB, 0xBF]),
            _ => (IsUtf8(bytes) ? new UTF8Encoding(false) : Encoding.Latin1, []),
        };
        string text = encoding.GetString(bytes, bom.Length, bytes.Length - bom.Length);
        var rows = new List<string[]>();
        using (var reader = new CsvParser(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null }))
        {
            while (reader.Read())
            {
                rows.Add(reader.Record ?? []);
            }
        }

        var output = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = new CsvWriter(output, CultureInfo.InvariantCulture))
        {
            for (int i = 0; i < Math.Max(rows.Count, 1); i++)
            {
                writer.WriteField(i == 0 ? "employee_id" : $"W{i}");
                foreach (string field in i < rows.Count ? rows[i] : [])
                {
                    writer.WriteField(field);
                }

                writer.NextRecord();
            }
        }

        return ([.. bom, .. encoding.GetBytes(output.ToString())], Math.Max(rows.Count - 1, 0));
    }

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
