using System.Buffers;
using System.Text;

namespace Cohorts.Connectors.Csv;

/// <summary>
/// Splits decoded text into CSV records as RFC 4180 reads them, with the leniencies real exports need: a record ends at
/// CR LF, LF or a lone CR; empty lines are no records; a quote inside an unquoted field (5'11", 37°36'37.8"N) is text.
/// A field whose first non-blank character is a quote but whose quoting is broken (text after the closing quote, a
/// quote never closed) gives its record a problem instead of stopping the file.
/// </summary>
/// <remarks>
/// Text is appended block by block (<see cref="Append"/>); <see cref="TryRead"/> finds each record whose end is in the
/// buffer and leaves a record cut by the block's end for the next block. A record's fields are read where they lie in
/// the buffer (<see cref="Field"/>), until the next read: a caller makes strings of the fields it keeps, not of all.
/// </remarks>
internal sealed class CsvTokenizer : IDisposable
{
    private readonly Decoder decoder;
    private readonly char delimiter;
    private readonly SearchValues<char> unquotedStops;
    // the record's fields where they lie in the buffer; a field whose quotes were undone is a string of its own in texts
    // (made only when a record has one): no references among the spans, so recording a field costs no write barrier
    private (int Start, int Length)[] spans = new (int, int)[16];
    private string?[]? texts;
    private bool anyText;
    private int count;
    private readonly StringBuilder escaped = new();
    private char[] buffer;
    private int start;
    private int end;
    private bool complete;

    public CsvTokenizer(Encoding encoding, char delimiter, int blockChars)
    {
        decoder = encoding.GetDecoder();
        this.delimiter = delimiter;
        unquotedStops = SearchValues.Create([delimiter, '\r', '\n']);
        buffer = ArrayPool<char>.Shared.Rent(blockChars * 2);
    }

    /// <summary>Whether any appended text held <see cref="CsvSource.Undecodable"/> (checked per block, vectorized).</summary>
    public bool SawMarker { get; private set; }

    /// <summary>Decodes <paramref name="bytes"/> onto the text not yet read; <paramref name="last"/>: nothing follows them.</summary>
    public void Append(ReadOnlySpan<byte> bytes, bool last)
    {
        int pending = end - start;
        int room = pending + decoder.GetCharCount(bytes, flush: last);
        if (room > buffer.Length)
        {
            char[] larger = ArrayPool<char>.Shared.Rent(Math.Max(room, buffer.Length * 2));
            buffer.AsSpan(start, pending).CopyTo(larger);
            ArrayPool<char>.Shared.Return(buffer);
            buffer = larger;
        }
        else if (start > 0)
        {
            buffer.AsSpan(start, pending).CopyTo(buffer);
        }

        start = 0;
        int added = decoder.GetChars(bytes, buffer.AsSpan(pending), flush: last);
        SawMarker |= buffer.AsSpan(pending, added).Contains(CsvSource.Undecodable);
        end = pending + added;
        complete = last;
    }

    /// <summary>The characters appended and not yet read as records.</summary>
    public int Pending => end - start;

    /// <summary>The fields of the record last read.</summary>
    public int FieldCount => count;

    /// <summary>Field <paramref name="index"/> of the record last read; valid until the next read or append.</summary>
    public ReadOnlySpan<char> Field(int index)
    {
        if (anyText && texts![index] is { } text)
        {
            return text;
        }

        (int start, int length) = spans[index];
        return buffer.AsSpan(start, length);
    }

    /// <summary>Field <paramref name="index"/> of the record last read, as a string.</summary>
    public string FieldText(int index)
    {
        if (anyText && texts![index] is { } text)
        {
            return text;
        }

        (int start, int length) = spans[index];
        return length == 0 ? string.Empty : new string(buffer, start, length);
    }

    /// <summary>
    /// Reads the next record (its fields are <see cref="Field"/>), or returns false when the rest of the text is a record
    /// cut short (append the next block) or, after the last block, when there is none.
    /// </summary>
    public bool TryRead(out string? problem)
    {
        problem = null;
        ReadOnlySpan<char> text = buffer.AsSpan(0, end);
        int at = start;
        while (at < end && text[at] is '\r' or '\n')
        {
            at++; // an empty line, or the LF of a CR LF whose CR ended the record before
        }

        start = at;
        if (at == end)
        {
            return false;
        }

        if (anyText)
        {
            Array.Clear(texts!);
            anyText = false;
        }

        count = 0;
        while (true)
        {
            int next = text[at] == '"' ? QuotedField(text, at, ref problem) : UnquotedField(text, at, ref problem);
            if (next < 0)
            {
                return false; // cut by the block's end
            }

            if (next == end)
            {
                at = end; // the last record, without a line end
                break;
            }

            if (text[next] == delimiter)
            {
                at = next + 1;
                if (at == end)
                {
                    if (!complete)
                    {
                        return false;
                    }

                    Add(at, 0);
                    break;
                }

                continue;
            }

            at = next + 1; // CR or LF; an LF after a CR is skipped as an empty line by the next read
            break;
        }

        if (problem is not null)
        {
            problem = $"malformed quoting near '{Shorten(text[start..at])}'";
        }

        start = at;
        return true;
    }

    // returns where the field ends (a delimiter, a line end or the end of the text), or -1 when the block cut it
    private int UnquotedField(ReadOnlySpan<char> text, int at, ref string? problem)
    {
        int length = text[at..].IndexOfAny(unquotedStops);
        if (length < 0 && !complete)
        {
            return -1;
        }

        int stop = length < 0 ? end : at + length;
        ReadOnlySpan<char> value = text[at..stop];
        if (value.Length > 0 && char.IsWhiteSpace(value[0]) && value.TrimStart().StartsWith('"'))
        {
            problem = string.Empty; // " "abc"": quoted after blanks, ambiguous
        }

        Add(at, stop - at);
        return stop;
    }

    private int QuotedField(ReadOnlySpan<char> text, int at, ref string? problem)
    {
        escaped.Clear();
        int from = at + 1;
        while (true)
        {
            int quote = text[from..].IndexOf('"');
            if (quote < 0)
            {
                if (!complete)
                {
                    return -1;
                }

                // never closed: the rest of the file is the field, and the record says so
                problem = string.Empty;
                AddText(string.Concat(escaped.ToString(), text[from..]));
                return end;
            }

            int close = from + quote;
            if (close + 1 == end && !complete)
            {
                return -1; // a quote at the block's end may be the first of a doubled one
            }

            if (close + 1 < end && text[close + 1] == '"')
            {
                escaped.Append(text[from..(close + 1)]);
                from = close + 2;
                continue;
            }

            int after = close + 1;
            if (after == end || text[after] == delimiter || text[after] is '\r' or '\n')
            {
                if (escaped.Length == 0)
                {
                    Add(from, close - from);
                }
                else
                {
                    AddText(string.Concat(escaped.ToString(), text[from..close]));
                }

                return after;
            }

            // text after the closing quote ("abc"def): kept as it reads, and the record has a problem
            problem = string.Empty;
            int length = text[after..].IndexOfAny(unquotedStops);
            if (length < 0 && !complete)
            {
                return -1;
            }

            int stop = length < 0 ? end : after + length;
            escaped.Append(text[from..close]).Append(text[after..stop]);
            AddText(escaped.ToString());
            return stop;
        }
    }

    /// <summary>Gives the buffer back to the shared pool; the tokenizer is not used after.</summary>
    public void Dispose()
    {
        if (buffer.Length > 0)
        {
            ArrayPool<char>.Shared.Return(buffer);
            buffer = [];
        }
    }

    private void Add(int start, int length)
    {
        if (count == spans.Length)
        {
            Array.Resize(ref spans, count * 2);
            if (texts is not null)
            {
                Array.Resize(ref texts, count * 2);
            }
        }

        spans[count++] = (start, length);
    }

    private void AddText(string text)
    {
        texts ??= new string?[spans.Length];
        Add(0, 0);
        texts[count - 1] = text;
        anyText = true;
    }

    private static string Shorten(ReadOnlySpan<char> raw)
    {
        string flat = raw.ToString().ReplaceLineEndings(" ").Trim();
        return flat.Length <= 60 ? flat : flat[..60] + "…";
    }
}
