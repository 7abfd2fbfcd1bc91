using System.Security.Cryptography;
using System.Text;

namespace Cohorts.Server.Hosting;

/// <summary>
/// The embedded sidecar takes calls from this process only. Its port is on loopback, where any local process could
/// reach it and, with plain gRPC, forge a review's events or terminate instances; so every call must carry the secret
/// of <see cref="SidecarEndpoint"/>, made at start and held only in memory. A call without it (or with another) is
/// answered with gRPC status 16, unauthenticated, before it reaches the task hub.
/// </summary>
public static class SidecarSecret
{
    /// <summary>The request header that carries the secret.</summary>
    public const string Header = "x-cohorts-sidecar-secret";

    /// <summary>Refuses every request on the sidecar's port that does not present the secret.</summary>
    public static IApplicationBuilder UseSidecarSecret(this IApplicationBuilder app, SidecarEndpoint sidecar)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        byte[] expected = Encoding.UTF8.GetBytes(sidecar.Secret);
        return app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort == sidecar.Port && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.Request.Headers[Header].ToString()), expected))
            {
                // a gRPC client reads the status from the headers of a trailers-only answer
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/grpc";
                context.Response.Headers["grpc-status"] = "16";
                context.Response.Headers["grpc-message"] = "This sidecar takes calls from its own server only.";
                return;
            }

            await next(context);
        });
    }

    /// <summary>Adds the secret to every call of the worker's and client's channel.</summary>
    public sealed class Presenter(string secret) : DelegatingHandler
    {
        /// <inheritdoc/>
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            request.Headers.TryAddWithoutValidation(Header, secret);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
