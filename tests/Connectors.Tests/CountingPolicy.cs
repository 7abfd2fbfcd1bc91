using Azure.Core;
using Azure.Core.Pipeline;

namespace Cohorts.Connectors.Tests;

/// <summary>Counts a client's requests and the bytes of their answers (a scan reads more of both than a few rows).</summary>
internal sealed class CountingPolicy : HttpPipelinePolicy
{
    public int Requests;
    public long Bytes;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref Requests);
        ProcessNext(message, pipeline);
        Interlocked.Add(ref Bytes, message.Response.ContentStream?.Length ?? 0);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref Requests);
        await ProcessNextAsync(message, pipeline);
        Interlocked.Add(ref Bytes, message.Response.ContentStream?.Length ?? 0);
    }

    /// <summary>The requests and bytes <paramref name="work"/> took.</summary>
    public async Task<(int Requests, long Bytes)> MeasureAsync(Func<Task> work)
    {
        (int requests, long bytes) = (Requests, Bytes);
        await work();
        return (Requests - requests, Bytes - bytes);
    }
}
