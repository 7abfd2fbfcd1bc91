using System.Buffers;
using Cohorts.Connectors.Json;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Tests;

/// <summary>
/// A change log as stores wrote it before logs were compressed: each change's line (<see cref="RosterChangeJson"/>) and
/// a newline, with the byte offset of every <see cref="ChangeLog.IndexStride"/>-th line.
/// </summary>
internal static class TextChangeLog
{
    public static (byte[] Text, List<long> LineOffsets) Of(IEnumerable<RosterChange> changes)
    {
        var text = new ArrayBufferWriter<byte>();
        var offsets = new List<long>();
        int count = 0;
        foreach (RosterChange change in changes)
        {
            if (count++ % ChangeLog.IndexStride == 0)
            {
                offsets.Add(text.WrittenCount);
            }

            RosterChangeJson.Write(text, change);
            text.Write("\n"u8);
        }

        return (text.WrittenSpan.ToArray(), offsets);
    }
}
