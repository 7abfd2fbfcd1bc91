using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Cohorts.Connectors.Csv;
using Cohorts.Connectors.Json;
using Cohorts.Domain.Enrolment;
using CsvHelper;
using CsvHelper.Configuration;

namespace Cohorts.Bench;

/// <summary>
/// The import of a 100k-row HR export side by side with a bare CsvHelper loop over the same file. The import is the
/// product's whole read path: encoding and delimiter detection, column mapping, cleaning, validation, leaver
/// markers, segmentation, the roster diff and the serialization of every change as the import stores it (compressed, a
/// gzip member per hundred lines, on a task beside the reading, as the store does). Storage
/// I/O (the blob upload, the table writes) is left out of both sides: it measures Azurite, not the code.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 6, iterationCount: 16)]
public class ImportBenchmarks
{
    private string path = string.Empty;
    private long lines;

    /// <summary>Rows in the export.</summary>
    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        path = HrExportGenerator.Ensure(Rows);
        lines = File.ReadLines(path).LongCount();
    }

    /// <summary>The baseline: CsvHelper reading every field of every record, nothing more.</summary>
    [Benchmark(Baseline = true)]
    public int BareCsvHelperLoop()
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        int fields = 0;
        while (csv.Read())
        {
            for (int i = 0; i < csv.Parser.Count; i++)
            {
                fields += csv.GetField(i)!.Length > 0 ? 1 : 0;
            }
        }

        return fields;
    }

    /// <summary>The product's import read path, into a null sink.</summary>
    [Benchmark]
    public async Task<int> ProductImport() => await Pipeline.RunAsync(path, Stream.Null, lines);
}

/// <summary>The import read path as the ReadImportActivity runs it, minus storage.</summary>
public static class Pipeline
{
    /// <summary>
    /// Reads, diffs against an empty roster and serializes every change to <paramref name="sink"/>.
    /// <paramref name="lines"/> is the line count the upload counts for free, as the product passes it on.
    /// </summary>
    public static async Task<int> RunAsync(string path, Stream sink, long lines)
    {
        using var differ = new RosterDiffer(new Dictionary<string, RosterEntry>(), new Segmenter(DefaultSegmentationRules.All), (int)lines);
        await using FileStream file = File.OpenRead(path);
        IAsyncEnumerable<HrRow> rows = HrCsvReader.ReadAsync(file, new HrImportOptions { Today = new DateOnly(2026, 11, 27) });
        return await ChangeLog.WriteCompressedAsync(sink, differ.ChangesAsync(rows), [], CancellationToken.None); // as ReadImportActivity stores it
    }
}
