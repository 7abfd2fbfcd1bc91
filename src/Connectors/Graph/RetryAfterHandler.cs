using System.Globalization;
using System.Net;

namespace Cohorts.Connectors.Graph;

/// <summary>
/// Retries Microsoft Graph's 429 and 503 answers after the server's <c>Retry-After</c>, which Graph sends as
/// fractional seconds (<c>2.128</c>) that the standard header parser (and so Kiota's own retry handler) does not
/// read; without the header it backs off exponentially. Replaces Kiota's retry handler in the pipeline.
/// </summary>
public sealed class RetryAfterHandler(int maxRetries = 5, TimeSpan? firstBackoff = null, TimeSpan? maxDelay = null, TimeProvider? time = null) : DelegatingHandler
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly TimeSpan first = firstBackoff ?? TimeSpan.FromSeconds(1);
    private readonly TimeSpan ceiling = maxDelay ?? TimeSpan.FromSeconds(60);

    /// <summary>The delay a 429 or 503 asks for at <paramref name="now"/>, or null when it names none that can be read.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues("Retry-After", out IEnumerable<string>? values) && values.FirstOrDefault() is { } text)
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset when))
            {
                TimeSpan wait = when - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (int attempt = 0; ; attempt++)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || attempt >= maxRetries || !Replayable(request))
            {
                return response;
            }

            TimeSpan delay = RetryAfter(response, clock.GetUtcNow()) ?? TimeSpan.FromTicks(first.Ticks * (1L << Math.Min(attempt, 10)));
            response.Dispose();
            await Task.Delay(delay < ceiling ? delay : ceiling, clock, cancellationToken);
        }
    }

    // GETs (all the connector sends but sendMail) have no body to rewind
    private static bool Replayable(HttpRequestMessage request) => request.Content is null || request.Method == HttpMethod.Get;
}
