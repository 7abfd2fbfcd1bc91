using System.Buffers;
using System.Text;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Csv;

/// <summary>
/// Reads a CSV stream record by record, a block of bytes at a time: the encoding and delimiter are chosen from the first
/// block (<see cref="CsvSource"/> says how), and each record's fields are read where they lie until the next record, so
/// that a reader makes strings only of the fields it keeps. <see cref="ReadAsync"/> completes at once for every record
/// but the first of a block.
/// </summary>
internal sealed class CsvRecordReader : IDisposable
{
    // a read that does not complete at once (a blob over the network) costs a trip through the thread pool, so blocks
    // are large: a 100k-row export is about 150 reads
    private const int BlockBytes = 64 * 1024;

    private readonly Stream stream;
    private readonly byte[] block;
    private readonly CsvTokenizer tokenizer;
    private readonly Encoding encoding;
    private bool last;
    private bool disposed;

    private CsvRecordReader(Stream stream, byte[] block, CsvTokenizer tokenizer, Encoding encoding, bool last)
    {
        this.stream = stream;
        this.block = block;
        this.tokenizer = tokenizer;
        this.encoding = encoding;
        this.last = last;
    }

    /// <summary>The record's logical row number (the header is row 1; empty lines are not counted).</summary>
    public int Row { get; private set; }

    /// <summary>Why the record's quoting cannot be trusted, or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>The record's fields.</summary>
    public int FieldCount => tokenizer.FieldCount;

    /// <summary>Reads the first block of <paramref name="stream"/> and chooses its encoding and delimiter.</summary>
    public static async Task<CsvRecordReader> OpenAsync(Stream stream, CsvReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        byte[] block = ArrayPool<byte>.Shared.Rent(BlockBytes);
        int length = await FillAsync(stream, block, cancellationToken);
        bool last = length < BlockBytes;
        (Encoding encoding, int bom) = CsvSource.ChooseEncoding(block.AsSpan(0, length), options.Encoding, wholeFile: last);
        char delimiter = options.Delimiter ?? CsvSource.DetectDelimiter(encoding.GetString(block, bom, length - bom));
        var tokenizer = new CsvTokenizer(encoding, delimiter, BlockBytes);
        tokenizer.Append(block.AsSpan(bom, length - bom), last);
        return new CsvRecordReader(stream, block, tokenizer, encoding, last);
    }

    /// <summary>Field <paramref name="index"/> of the record; valid until the next read.</summary>
    public ReadOnlySpan<char> Field(int index)
    {
        ReadOnlySpan<char> field = tokenizer.Field(index);

        // the BOM bytes are skipped when the file is opened; whether the decoder also yields U+FEFF depends on the
        // encoding object, so a leading U+FEFF is trimmed from the first header as well
        return Row == 1 && index == 0 ? field.TrimStart('\uFEFF') : field;
    }

    /// <summary>Every field of the record as a string.</summary>
    public string[] Fields()
    {
        string[] fields = new string[FieldCount];
        for (int i = 0; i < fields.Length; i++)
        {
            fields[i] = FieldText(i);
        }

        return fields;
    }

    /// <summary>Field <paramref name="index"/> of the record as a string.</summary>
    public string FieldText(int index) => Row == 1 && index == 0 ? tokenizer.FieldText(index).TrimStart('\uFEFF') : tokenizer.FieldText(index);

    /// <summary>Moves to the next record; false after the last.</summary>
    /// <exception cref="HrSourceException">The bytes stop being text in the chosen encoding.</exception>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken) =>
        Next() ? ValueTask.FromResult(true) : ReadBlocksAsync(cancellationToken);

    private async ValueTask<bool> ReadBlocksAsync(CancellationToken cancellationToken)
    {
        // the record cut by the block's end is looked for again once the text after its start has at least doubled, so
        // that a field running on for megabytes (a quote never closed) is scanned a few times, not once a block
        int cut = tokenizer.Pending;
        while (!last)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int length = await FillAsync(stream, block, cancellationToken);
            last = length < BlockBytes;
            tokenizer.Append(block.AsSpan(0, length), last);
            if (!last && tokenizer.Pending < cut * 2)
            {
                continue;
            }

            if (Next())
            {
                return true;
            }

            cut = tokenizer.Pending;
        }

        return false;
    }

    /// <summary>Gives the block and the text buffer back to the shared pools; the reader is not used after.</summary>
    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            tokenizer.Dispose();
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private bool Next()
    {
        if (!tokenizer.TryRead(out string? problem))
        {
            return false;
        }

        // every encoding here decodes without throwing (undecodable bytes become the marker; Latin-1 reads any byte): a
        // file in another encoding than it seems fails as a whole rather than import a garbled part
        if (tokenizer.SawMarker)
        {
            for (int i = 0; i < tokenizer.FieldCount; i++)
            {
                if (tokenizer.Field(i).Contains(CsvSource.Undecodable))
                {
                    throw new HrSourceException("encoding", $"row {Row + 1}: the file is not valid {encoding.WebName} here; send it again with its encoding (encoding=latin1, say)");
                }
            }
        }

        Row++;
        Problem = problem;
        return true;
    }

    private static async Task<int> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        int read;
        while (total < BlockBytes && (read = await stream.ReadAsync(buffer.AsMemory(total, BlockBytes - total), cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }
}
