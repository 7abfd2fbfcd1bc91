using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using CsvHelper.Configuration;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Csv;

/// <summary>How to read a CSV file; everything may be left to detection.</summary>
public sealed record CsvReadOptions
{
    /// <summary>utf-8, utf-16, utf-16be, latin1 or windows-1252; null: by BOM, else UTF-8 when the start of the file is valid UTF-8, else Latin-1.</summary>
    public string? Encoding { get; init; }

    /// <summary>The delimiter; null: the most frequent of , ; tab | in the header line.</summary>
    public char? Delimiter { get; init; }
}

/// <summary>A header or a record of a CSV file with its logical row number (the header is row 1). A struct: a file hands out one per row.</summary>
public readonly record struct CsvRow(int Row, string[] Fields, string? Problem);

/// <summary>
/// Reads CSV files as people export them: BOMs and UTF-16, Latin-1 files that are not UTF-8, any common delimiter,
/// quoted fields with delimiters and newlines, CR-only line ends. Streams: one record at a time. A record CsvHelper
/// cannot read is returned with its problem instead of stopping the file.
/// </summary>
public static class CsvSource
{
    private const int SniffBytes = 64 * 1024;

    // Bytes that are not text in the chosen encoding decode to this Unicode noncharacter (never valid in interchange
    // text), so the record that holds them can be named exactly; a throwing decoder fails wherever its buffer is.
    private const char Undecodable = '\uFDD0';

    /// <summary>Reads every row of <paramref name="stream"/>, the header first.</summary>
    /// <exception cref="HrSourceException">The bytes stop being text in the chosen encoding.</exception>
    public static async IAsyncEnumerable<CsvRow> ReadAsync(Stream stream, CsvReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        var buffered = new BufferedStream(stream, SniffBytes);
        byte[] head = new byte[SniffBytes];
        int headLength = await FillAsync(buffered, head, cancellationToken);
        (Encoding encoding, int bom) = ChooseEncoding(head.AsSpan(0, headLength), options.Encoding, wholeFile: headLength < SniffBytes);
        string headText = encoding.GetString(head, bom, headLength - bom);
        char delimiter = options.Delimiter ?? DetectDelimiter(headText);

        // the BOM bytes are skipped here; whether the decoder also yields U+FEFF depends on the encoding object, so a
        // leading U+FEFF is trimmed from the first field below as well
        using var reader = new StreamReader(new PrefixedStream(head.AsMemory(bom, headLength - bom), buffered), encoding, detectEncodingFromByteOrderMarks: false, bufferSize: SniffBytes);

        string? badData = null;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            HasHeaderRecord = false,
            DetectColumnCountChanges = false,
            MissingFieldFound = null,
            // A quote inside an unquoted field (5'11", 37°36'37.8"N) is text in real exports and is kept as such;
            // text after a closing quote ("abc"def) makes the field ambiguous and the row is reported.
            BadDataFound = args =>
            {
                if (args.Field.TrimStart().StartsWith('"'))
                {
                    badData = $"malformed quoting near '{Shorten(args.RawRecord)}'";
                }
            },
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.None,
            Mode = CsvMode.RFC4180,
            // a read that does not complete at once (a blob over the network, a file read asynchronously) costs a trip
            // through the thread pool: 64K characters a fill instead of CsvHelper's 4K makes a 100k-row export about
            // 150 such reads instead of 2,300
            BufferSize = SniffBytes,
        };
        using var csv = new CsvReader(reader, configuration);
        int row = 0;
        // every encoding here decodes without throwing (undecodable bytes become the marker; Latin-1 reads any byte)
        while (await csv.ReadAsync())
        {
            if (Array.Exists(csv.Parser.Record ?? [], f => f.Contains(Undecodable, StringComparison.Ordinal)))
            {
                // a file in another encoding than it seems: fail the whole source rather than import a garbled part
                throw new HrSourceException("encoding", $"row {row + 1}: the file is not valid {encoding.WebName} here; send it again with its encoding (encoding=latin1, say)");
            }

            cancellationToken.ThrowIfCancellationRequested();
            row++;
            string[] fields = csv.Parser.Record ?? [];
            if (row == 1 && fields.Length > 0)
            {
                fields[0] = fields[0].TrimStart('\uFEFF');
            }

            yield return new CsvRow(row, fields, badData);
            badData = null;
        }
    }

    /// <summary>Names the encoding a caller may send, or null when it is not one this reader knows.</summary>
    public static Encoding? EncodingNamed(string name) => name.Trim().ToLowerInvariant() switch
    {
        "utf-8" or "utf8" => Marked(new UTF8Encoding(false)),
        "utf-16" or "utf-16le" or "utf16" => Marked(new UnicodeEncoding(bigEndian: false, byteOrderMark: false)),
        "utf-16be" => Marked(new UnicodeEncoding(bigEndian: true, byteOrderMark: false)),
        "latin1" or "latin-1" or "iso-8859-1" => Encoding.Latin1,
        "windows-1252" or "cp1252" => Encoding.Latin1, // without the code-pages provider; differs only in 0x80-0x9F
        _ => null,
    };

    private static (Encoding Encoding, int BomLength) ChooseEncoding(ReadOnlySpan<byte> head, string? requested, bool wholeFile)
    {
        if (head.StartsWith((byte[])[0xEF, 0xBB, 0xBF]))
        {
            return (Marked(new UTF8Encoding(false)), 3);
        }

        if (head.StartsWith((byte[])[0xFF, 0xFE]))
        {
            return (Marked(new UnicodeEncoding(false, false)), 2);
        }

        if (head.StartsWith((byte[])[0xFE, 0xFF]))
        {
            return (Marked(new UnicodeEncoding(true, false)), 2);
        }

        if (requested is not null)
        {
            return (EncodingNamed(requested) ?? throw new ArgumentException($"Unknown encoding '{requested}'; use utf-8, utf-16, utf-16be or latin1.", nameof(requested)), 0);
        }

        return (IsUtf8(head, wholeFile) ? Marked(new UTF8Encoding(false)) : Encoding.Latin1, 0);
    }

    private static Encoding Marked(Encoding encoding) =>
        Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(Undecodable.ToString()));

    private static bool IsUtf8(ReadOnlySpan<byte> head, bool wholeFile)
    {
        // a multi-byte character cut by the end of the sniffed block is not a reason to doubt the file; when the block
        // is the whole file, there is no such cut
        for (int cut = 0; cut < (wholeFile ? 1 : 4) && cut <= head.Length; cut++)
        {
            if (Utf8.IsValid(head[..(head.Length - cut)]))
            {
                return true;
            }
        }

        return false;
    }

    private static char DetectDelimiter(string text)
    {
        int end = text.IndexOfAny(['\n', '\r']);
        string header = end < 0 ? text : text[..end];
        char[] candidates = [',', ';', '\t', '|'];
        var counts = candidates.ToDictionary(c => c, _ => 0);
        bool quoted = false;
        foreach (char c in header)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && counts.TryGetValue(c, out int count))
            {
                counts[c] = count + 1;
            }
        }

        char best = candidates.MaxBy(c => counts[c]);
        return counts[best] == 0 ? ',' : best;
    }

    private static async Task<int> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static string Shorten(string raw)
    {
        string flat = raw.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 60 ? flat : flat[..60] + "…";
    }

    /// <summary>The sniffed head followed by the rest of the stream, so nothing is read twice.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> prefix = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (prefix.IsEmpty)
            {
                return rest.Read(buffer);
            }

            int n = Math.Min(buffer.Length, prefix.Length);
            prefix.Span[..n].CopyTo(buffer);
            prefix = prefix[n..];
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (prefix.IsEmpty)
            {
                return await rest.ReadAsync(buffer, cancellationToken);
            }

            int n = Math.Min(buffer.Length, prefix.Length);
            prefix.Span[..n].CopyTo(buffer.Span);
            prefix = prefix[n..];
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
