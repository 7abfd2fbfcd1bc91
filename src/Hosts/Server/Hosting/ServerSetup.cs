using Cohorts.Application.Webhooks;
using Cohorts.Domain.Events;
using System.Net;
using Azure.Storage.Blobs;
using Cohorts.Api;
using Cohorts.Application;
using Cohorts.Application.Enrolment;
using Cohorts.Application.Reviews;
using Cohorts.Connectors.Blob;
using Cohorts.Connectors.Mail;
using Cohorts.Connectors.Storage;
using Cohorts.Server.Auth;
using Cohorts.Server.Endpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;

namespace Cohorts.Server.Hosting;

/// <summary>The wiring of the self-hosted server, so that Program.cs reads as a table of contents.</summary>
public static class ServerSetup
{
    /// <summary>The authentication scheme the API's routes require: it forwards to the API key or the bearer token scheme.</summary>
    public const string CallerScheme = "Caller";

    /// <summary>The API's address when none is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>Registers configuration, storage, the durable backend, auth and the API handlers.</summary>
    public static WebApplicationBuilder AddCohortsServer(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ConfigurationManager config = builder.Configuration;
        // keys come from one place: the configured ones, or (a Development server with none) the published ones
        bool development = builder.Environment.IsDevelopment();
        AuthOptions auth = config.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (development && auth.ApiKeys.Count == 0 && !auth.Jwt.Enabled)
        {
            auth.ApiKeys = [.. DevelopmentKeys.All];
        }

        if (auth.Validate(development) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException("The API keys are misconfigured: " + string.Join(" ", problems));
        }

        builder.Services.AddSingleton(Options.Create(auth));
        builder.Services.Configure<ServerOptions>(config.GetSection(ServerOptions.Section));
        builder.Services.Configure<StorageOptions>(config.GetSection(StorageOptions.Section));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = config.GetSection(ServerOptions.Section).Get<ServerOptions>()?.ShutdownTimeout ?? TimeSpan.FromSeconds(10));

        builder.Services.AddSingleton<StorageConnection>();
        builder.Services.AddCohortsApi(config, sp => sp.GetRequiredService<StorageConnection>().Options);

        // one scheme for the routes: a bearer token goes to the JWT handler (when configured), anything else to the API keys
        AuthenticationBuilder authentication = builder.Services.AddAuthentication(CallerScheme)
            .AddPolicyScheme(CallerScheme, "API key or Entra ID token", o => o.ForwardDefaultSelector = context =>
                auth.Jwt.Enabled && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (auth.Jwt.Enabled)
        {
            authentication.AddJwtBearer(o =>
            {
                o.Authority = auth.Jwt.Authority;
                o.Audience = auth.Jwt.Audience;
                o.RequireHttpsMetadata = auth.Jwt.RequireHttpsMetadata;
                o.MapInboundClaims = false; // keep Entra's claim names: oid, roles
                o.TokenValidationParameters.RoleClaimType = "roles";
                o.TokenValidationParameters.NameClaimType = "oid";
            });
        }
        builder.Services.AddAuthorization();
        SidecarEndpoint sidecarEndpoint = builder.Services.AddCohortsDurableTask();
        builder.AddCohortsTelemetry(sidecarEndpoint);
        builder.Services.AddSingleton<IHostedService, GracefulStop>();
        builder.Services.AddSingleton<Cohorts.Domain.Access.IHistoryPurger, HistoryPurger>();
        AddSchedule<DirectorySyncOptions>(builder.Services, "directory sync", (sp, ct) => sp.GetRequiredService<DirectorySyncService>().RunAsync(sp.GetRequiredService<DurableTaskClient>(), ct));
        AddSchedule<DigestOptions>(builder.Services, "manager digest", (sp, ct) => sp.GetRequiredService<DigestService>().RunAsync(ct));
        AddSchedule<ReviewSweepOptions>(builder.Services, "review sweep", (sp, ct) => sp.GetRequiredService<ReviewSweep>().RunAsync(sp.GetRequiredService<DurableTaskClient>(), ct));
        AddSchedule<Cohorts.Application.Access.RetentionOptions>(builder.Services, "retention", (sp, ct) =>
            sp.GetRequiredService<Cohorts.Application.Access.RetentionService>().RunAsync(sp.GetRequiredService<DurableTaskClient>(), ct));
        // raised events go to their webhook deliveries every Webhooks:DispatchEvery (the Functions host: a timer trigger)
        builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<ScheduledWork>(
            sp, "webhook dispatch", true, sp.GetRequiredService<WebhookOptions>().DispatchEvery,
            (Func<CancellationToken, Task>)(ct => sp.GetRequiredService<EventDispatcher>().DispatchAsync(sp.GetRequiredService<DurableTaskClient>(), ct))));
        builder.Services.AddCohortsEmlOutbox(sp =>
        {
            ServerOptions server = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
            return (server.Outbox, server.MailFrom);
        });
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            // HR exports are large; every route enforces its own, smaller limit while it reads (JSON bodies: 1 MiB)
            kestrel.Limits.MaxRequestBodySize = (context.Configuration.GetSection(ImportOptions.Section).Get<ImportOptions>() ?? new ImportOptions()).MaxBytes + (1024 * 1024);
            foreach (IPEndPoint endpoint in ParseUrls(context.Configuration["urls"] ?? DefaultUrl))
            {
                kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http1);
            }

            // cleartext Kestrel does not negotiate HTTP/2 on a shared HTTP/1 port, so the sidecar has its own
            int sidecarPort = kestrel.ApplicationServices.GetRequiredService<SidecarEndpoint>().Port;
            kestrel.Listen(IPAddress.Loopback, sidecarPort, listen => listen.Protocols = HttpProtocols.Http2);
        });
        return builder;
    }

    /// <summary>
    /// A scheduled run on the options' interval. AddSingleton, not AddHostedService: that keeps one registration per
    /// implementation type, and every schedule is a <see cref="ScheduledWork"/>.
    /// </summary>
    private static void AddSchedule<TOptions>(IServiceCollection services, string name, Func<IServiceProvider, CancellationToken, Task> run)
        where TOptions : ScheduleOptions =>
        services.AddSingleton<IHostedService>(sp =>
        {
            TOptions schedule = sp.GetRequiredService<TOptions>();
            return ActivatorUtilities.CreateInstance<ScheduledWork>(sp, name, schedule.Enabled, schedule.Interval, (Func<CancellationToken, Task>)(ct => run(sp, ct)));
        });

    /// <summary>Maps the middleware, the sidecar's gRPC service and the API.</summary>
    public static WebApplication UseCohortsServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRequestLog(app.Services.GetRequiredService<SidecarEndpoint>());
        app.UseExceptionHandler(errors => errors.Run(context =>
            ApiResult.OfException(context.Features.Get<IExceptionHandlerFeature>()?.Error).ExecuteAsync(context)));
        SidecarEndpoint sidecar = app.Services.GetRequiredService<SidecarEndpoint>();
        app.UseSidecarSecret(sidecar);
        app.Logger.LogInformation("The durable task sidecar listens on 127.0.0.1:{Port} (HTTP/2, calls must carry this process's secret).", sidecar.Port);
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGrpcService<TaskHubGrpcServer>().RequireHost($"127.0.0.1:{sidecar.Port}");
        app.MapCohortsApi();
        return app;
    }

    /// <summary>Starts (or finds) storage, creates the containers and the task hub: all before the host starts.</summary>
    public static async Task PrepareBackendAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        StorageConnection storage = app.Services.GetRequiredService<StorageConnection>();
        await storage.StartAsync(cancellationToken);
        await app.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobCohortStore.DefaultContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await app.Services.CreateTaskHubAsync().WaitAsync(cancellationToken);
    }

    /// <summary>Parses <c>urls</c> (<c>http://127.0.0.1:7071;http://localhost:8080</c>) into endpoints; only http is served.</summary>
    public static IReadOnlyList<IPEndPoint> ParseUrls(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var endpoints = new List<IPEndPoint>();
        foreach (string url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // '*' and '+' are not valid URI hosts; read them as "every interface"
            string normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp)
            {
                throw new InvalidOperationException($"urls: '{url}' is not an http URL such as {DefaultUrl}.");
            }

            IPAddress address = uri.Host switch
            {
                "localhost" => IPAddress.Loopback,
                _ when IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? parsed) => parsed,
                _ => throw new InvalidOperationException($"urls: '{url}' must name an IP address or localhost."),
            };
            endpoints.Add(new IPEndPoint(address, uri.Port));
        }

        return endpoints;
    }
}
