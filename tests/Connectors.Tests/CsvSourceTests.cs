using System.Globalization;
using System.Text;
using Cohorts.Connectors.Csv;

namespace Cohorts.Connectors.Tests;

/// <summary>
/// The CSV reader on the cases exports get wrong, each read by hand: records are written <c>[a|b]</c>, a record with a
/// problem ends in <c>!</c>.
/// </summary>
public class CsvSourceTests
{
    private static async Task<List<CsvRow>> ReadAsync(byte[] bytes, CsvReadOptions? options = null)
    {
        var rows = new List<CsvRow>();
        await foreach (CsvRow row in CsvSource.ReadAsync(new MemoryStream(bytes), options ?? new CsvReadOptions()))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static string Render(IEnumerable<CsvRow> rows) =>
        string.Join(" ", rows.Select(r => "[" + string.Join("|", r.Fields) + "]" + (r.Problem is null ? string.Empty : "!")));

    [Theory]
    [InlineData("h\na,b\n", "[h] [a|b]")]
    [InlineData("h\na,b", "[h] [a|b]")] // no line end after the last record
    [InlineData("h\r\na,b\r\n", "[h] [a|b]")]
    [InlineData("h\ra\r\rb\r", "[h] [a] [b]")] // CR-only line ends, an empty line between
    [InlineData("\n\nh\n\n\na\n\n", "[h] [a]")] // empty lines are no records
    [InlineData("h\n \n", "[h] [ ]")] // a line of one blank is a record of one blank field
    [InlineData("h\na,b,\n", "[h] [a|b|]")] // a trailing delimiter: a last, empty field
    [InlineData("h\na,b,", "[h] [a|b|]")]
    [InlineData("h\n\"\"\n", "[h] []")] // one quoted empty field
    [InlineData("h\n\"x\"\"y\",z\n", "[h] [x\"y|z]")] // a doubled quote is one quote
    [InlineData("h\na,\"b\"\"\",c", "[h] [a|b\"|c]")]
    [InlineData("h\n\"a,b\",c\n", "[h] [a,b|c]")] // a delimiter inside quotes
    [InlineData("h\n\"line 1\nline 2\",c\r\n", "[h] [line 1\nline 2|c]")] // a line end inside quotes
    [InlineData("h\n\"a\r\nb\"\r\n", "[h] [a\r\nb]")]
    [InlineData("h\na,5'11\",d\n", "[h] [a|5'11\"|d]")] // a quote inside an unquoted field is text
    [InlineData("h\na\"b\"c,d\n", "[h] [a\"b\"c|d]")]
    [InlineData("h\na,\"b\"c,d\n", "[h] [a|bc|d]!")] // text after the closing quote
    [InlineData("h\n\"a\" ,b\n", "[h] [a |b]!")]
    [InlineData("h\na, \"b\",c\n", "[h] [a| \"b\"|c]!")] // quoted after a blank: ambiguous
    [InlineData("h\na,\"never closed\nmore", "[h] [a|never closed\nmore]!")]
    [InlineData("h\nok\nx,\"b\"c\nok again\n", "[h] [ok] [x|bc]! [ok again]")] // only the broken record has the problem
    [InlineData("h;i\na;b,c\n", "[h|i] [a|b,c]")] // the header's most frequent delimiter
    [InlineData("h\ti\na\tb c\n", "[h|i] [a|b c]")]
    [InlineData("", "")]
    public async Task Read_HardCase_GivesTheRecordsAsAPersonReadsThem(string csv, string expected)
    {
        List<CsvRow> rows = await ReadAsync(Encoding.UTF8.GetBytes(csv));

        Assert.Equal(expected, Render(rows));
        Assert.Equal(Enumerable.Range(1, rows.Count), rows.Select(r => r.Row));
    }

    [Fact]
    public async Task Read_MalformedQuoting_NamesTheRecordInItsProblem()
    {
        List<CsvRow> rows = await ReadAsync(Encoding.UTF8.GetBytes("id,name\nE1,\"Ada\"Lovelace\n"));

        Assert.Equal("malformed quoting near 'E1,\"Ada\"Lovelace'", rows[1].Problem);
    }

    [Fact]
    public async Task Read_QuoteNeverClosed_ManyBlocksBeforeTheEnd_IsOneRecordToTheEndWithAProblem()
    {
        string rest = string.Concat(Enumerable.Repeat("x,y\n", 500_000)); // 2 MB after the quote: about thirty blocks
        List<CsvRow> rows = await ReadAsync(Encoding.UTF8.GetBytes("id,note\nE1,ok\nE2,\"" + rest));

        Assert.Equal(3, rows.Count);
        Assert.Equal("[E1|ok]", Render([rows[1]]));
        Assert.Equal(["E2", rest], rows[2].Fields);
        Assert.StartsWith("malformed quoting near 'E2,\"x,y x,y", rows[2].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Utf8Bom_IsNotPartOfTheFirstHeader()
    {
        List<CsvRow> rows = await ReadAsync([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("employee_id,name\nE1,Zoë\n")]);

        Assert.Equal("[employee_id|name] [E1|Zoë]", Render(rows));
    }

    /// <summary>
    /// Several blocks' worth of records whose quotes, delimiters, line ends and multi-byte characters fall at every
    /// kind of place, so that blocks cut them everywhere: each record reads back as it was written.
    /// </summary>
    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-16")]
    [InlineData("latin1")]
    public async Task Read_RecordsCutByBlocks_ReadBackAsWritten(string encodingName)
    {
        string[] pieces = ["plain", "two words", "a,b", "say \"hi\"", "line\nbreak", "cr\r\nlf", "\"", "", "Zoë", "日本語", "😀 smile", "5'11\"", "trailing ", "ß"];
        Encoding encoding = encodingName switch
        {
            "utf-16" => new UnicodeEncoding(false, true),
            "latin1" => Encoding.Latin1,
            _ => new UTF8Encoding(false),
        };
        if (encodingName == "latin1")
        {
            pieces = pieces.Where(p => p.All(c => c <= 0xFF)).ToArray();
        }

        var records = new List<string[]>();
        var text = new StringBuilder();
        string[] lineEnds = ["\n", "\r\n", "\r"];
        for (int i = 0; records.Count < 9000; i++)
        {
            string[] fields = [$"E{i}", pieces[i % pieces.Length], pieces[(i * 7 + 3) % pieces.Length], pieces[(i * 5 + 1) % pieces.Length]];
            records.Add(fields);
            text.AppendJoin(',', fields.Select(f => i % 3 == 0 || f.IndexOfAny(['"', ',', '\r', '\n']) >= 0 ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f));
            text.Append(lineEnds[i % lineEnds.Length]);
        }

        byte[] bytes = [.. encoding.GetPreamble(), .. encoding.GetBytes(text.ToString())];
        Assert.True(bytes.Length > 4 * 64 * 1024, $"{bytes.Length} bytes: not several blocks");

        List<CsvRow> rows = await ReadAsync(bytes, new CsvReadOptions { Encoding = encodingName == "latin1" ? "latin1" : null, Delimiter = ',' });

        Assert.Equal(records.Count, rows.Count);
        for (int i = 0; i < records.Count; i++)
        {
            Assert.True(records[i].SequenceEqual(rows[i].Fields), string.Create(CultureInfo.InvariantCulture, $"record {i + 1}: [{string.Join("|", rows[i].Fields)}], written [{string.Join("|", records[i])}]"));
            Assert.Null(rows[i].Problem);
        }
    }
}
