using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Cohorts.Connectors.Storage;

namespace Cohorts.TestSupport;

/// <summary>One span as an OTLP export carried it.</summary>
public sealed record CollectedSpan(string TraceId, string SpanId, string ParentSpanId, string Name);

/// <summary>
/// A loopback OTLP/HTTP collector (protobuf, what the .NET exporter sends): keeps every span of /v1/traces, read with
/// a small wire-format reader (ExportTraceServiceRequest → ResourceSpans → ScopeSpans → Span), and the raw bodies of
/// /v1/metrics and /v1/logs, in which metric names appear as plain strings.
/// </summary>
public sealed class OtlpCollector : LoopbackHttpServer
{
    private OtlpCollector(int port)
        : base(port, "/")
    {
        Listen();
    }

    /// <summary>The value for OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public Uri Endpoint => Url;

    /// <summary>Every span received.</summary>
    public ConcurrentBag<CollectedSpan> Spans { get; } = [];

    /// <summary>Every metrics export, raw.</summary>
    public ConcurrentBag<byte[]> Metrics { get; } = [];

    /// <summary>Every logs export, raw.</summary>
    public ConcurrentBag<byte[]> Logs { get; } = [];

    /// <summary>A collector on a free loopback port.</summary>
    public static OtlpCollector Start() => new(LoopbackPorts.Free());

    /// <summary>Whether any metrics export names <paramref name="metric"/>.</summary>
    public bool HasMetric(string metric)
    {
        byte[] name = Encoding.UTF8.GetBytes(metric);
        return Metrics.Any(body => body.AsSpan().IndexOf(name) >= 0);
    }

    /// <inheritdoc/>
    protected override async Task HandleAsync(HttpListenerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        byte[] bytes = body.ToArray();
        string path = context.Request.Url?.AbsolutePath ?? string.Empty;
        if (path.EndsWith("/v1/traces", StringComparison.Ordinal))
        {
            foreach (CollectedSpan span in ReadSpans(bytes))
            {
                Spans.Add(span);
            }
        }
        else if (path.EndsWith("/v1/metrics", StringComparison.Ordinal))
        {
            Metrics.Add(bytes);
        }
        else if (path.EndsWith("/v1/logs", StringComparison.Ordinal))
        {
            Logs.Add(bytes);
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.Close();
    }

    private static IEnumerable<CollectedSpan> ReadSpans(byte[] request)
    {
        // ExportTraceServiceRequest.resource_spans = 1; ResourceSpans.scope_spans = 2; ScopeSpans.spans = 2
        foreach (byte[] resourceSpans in Fields(request, 1))
        {
            foreach (byte[] scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (byte[] span in Fields(scopeSpans, 2))
                {
                    // Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5
                    yield return new CollectedSpan(
                        Convert.ToHexStringLower(Fields(span, 1).FirstOrDefault() ?? []),
                        Convert.ToHexStringLower(Fields(span, 2).FirstOrDefault() ?? []),
                        Convert.ToHexStringLower(Fields(span, 4).FirstOrDefault() ?? []),
                        Encoding.UTF8.GetString(Fields(span, 5).FirstOrDefault() ?? []));
                }
            }
        }
    }

    /// <summary>The length-delimited fields numbered <paramref name="number"/> of a protobuf message, skipping the rest.</summary>
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        int at = 0;
        while (at < message.Length)
        {
            ulong key = Varint(message, ref at);
            int field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    Varint(message, ref at);
                    break;
                case 1:
                    at += 8;
                    break;
                case 5:
                    at += 4;
                    break;
                case 2:
                    int length = (int)Varint(message, ref at);
                    if (field == number)
                    {
                        found.Add(message[at..(at + length)]);
                    }

                    at += length;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {key & 7}.");
            }
        }

        return found;
    }

    private static ulong Varint(byte[] message, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = message[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
