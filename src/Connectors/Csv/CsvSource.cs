using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
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
/// quoted fields with delimiters and newlines, CR-only line ends. Streams: one block of the file at a time, one record
/// at a time. A record whose quoting is broken is returned with its problem instead of stopping the file.
/// </summary>
public static class CsvSource
{
    /// <summary>
    /// Bytes that are not text in the chosen encoding decode to this Unicode noncharacter (never valid in interchange
    /// text), so the record that holds them can be named exactly; a throwing decoder fails wherever its buffer is.
    /// </summary>
    internal const char Undecodable = '\uFDD0';

    /// <summary>Reads every row of <paramref name="stream"/>, the header first.</summary>
    /// <exception cref="HrSourceException">The bytes stop being text in the chosen encoding.</exception>
    public static async IAsyncEnumerable<CsvRow> ReadAsync(Stream stream, CsvReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using CsvRecordReader records = await CsvRecordReader.OpenAsync(stream, options, cancellationToken);
        while (await records.ReadAsync(cancellationToken))
        {
            yield return new CsvRow(records.Row, records.Fields(), records.Problem);
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

    /// <summary>The encoding of a file that starts with <paramref name="head"/>, and the length of its byte order mark.</summary>
    internal static (Encoding Encoding, int BomLength) ChooseEncoding(ReadOnlySpan<byte> head, string? requested, bool wholeFile)
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

    /// <summary>The most frequent of , ; tab | outside quotes in the first line of <paramref name="text"/>; a comma when none.</summary>
    internal static char DetectDelimiter(string text)
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

}
