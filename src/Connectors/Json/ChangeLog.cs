using System.Buffers;
using System.Text.Json;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Json;

/// <summary>An import's changes as NDJSON: one change per line, serialized into a buffer and written 64 KiB at a time.</summary>
public static class ChangeLog
{
    private const int FlushAt = 64 * 1024;

    /// <summary>Writes every change to <paramref name="target"/>; returns how many.</summary>
    public static async Task<int> WriteAsync(Stream target, IAsyncEnumerable<RosterChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(changes);
        int count = 0;
        var buffer = new ArrayBufferWriter<byte>(FlushAt * 2);
        using var writer = new Utf8JsonWriter(buffer, RosterChangeJson.WriterOptions);
        await foreach (RosterChange change in changes.WithCancellation(cancellationToken))
        {
            RosterChangeJson.Write(writer, change);
            writer.Flush();
            writer.Reset();
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
            count++;
            if (buffer.WrittenCount >= FlushAt)
            {
                await target.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.Clear();
            }
        }

        await target.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await target.FlushAsync(cancellationToken);
        return count;
    }
}
