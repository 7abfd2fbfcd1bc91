using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

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

    /// <summary>A client of a new table (its name <paramref name="prefix"/> and random letters) whose requests are counted.</summary>
    public static (TableClient Table, CountingPolicy Counter) NewTable(string connectionString, string prefix)
    {
        var counter = new CountingPolicy();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        return (new TableClient(connectionString, prefix + Guid.NewGuid().ToString("N")[..20], options), counter);
    }

    /// <summary>The requests and bytes <paramref name="work"/> took.</summary>
    public async Task<(int Requests, long Bytes)> MeasureAsync(Func<Task> work)
    {
        (int requests, long bytes) = (Requests, Bytes);
        await work();
        return (Requests - requests, Bytes - bytes);
    }
}
