using System.Buffers;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Json;

/// <summary>An import's changes as NDJSON: one change per line, serialized into a buffer and written 64 KiB at a time.</summary>
public static class ChangeLog
{
    /// <summary>Lines between the byte offsets <see cref="WriteAsync"/> records: a reader may start at any multiple.</summary>
    public const int IndexStride = 100;

    private const int FlushAt = 64 * 1024;

    /// <summary>
    /// Writes every change to <paramref name="target"/>; returns how many. When <paramref name="lineOffsets"/> is given,
    /// the byte offset of line 0, <see cref="IndexStride"/>, 2 × <see cref="IndexStride"/>… is added to it, so that a
    /// reader can start at a batch without reading the lines before it.
    /// </summary>
    public static async Task<int> WriteAsync(Stream target, IAsyncEnumerable<RosterChange> changes, CancellationToken cancellationToken, List<long>? lineOffsets = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(changes);
        int count = 0;
        var buffer = new ArrayBufferWriter<byte>(FlushAt * 2);
        long flushed = 0;
        var texts = new RosterChangeJson.EncodedTexts();
        await foreach (RosterChange change in changes.WithCancellation(cancellationToken))
        {
            if (count % IndexStride == 0)
            {
                lineOffsets?.Add(flushed + buffer.WrittenCount);
            }

            RosterChangeJson.Write(buffer, change, texts);
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
            count++;
            if (buffer.WrittenCount >= FlushAt)
            {
                await target.WriteAsync(buffer.WrittenMemory, cancellationToken);
                flushed += buffer.WrittenCount;
                buffer.ResetWrittenCount(); // not Clear(): zeroing what is overwritten anyway was the most expensive call of the read path
            }
        }

        await target.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await target.FlushAsync(cancellationToken);
        return count;
    }
}
