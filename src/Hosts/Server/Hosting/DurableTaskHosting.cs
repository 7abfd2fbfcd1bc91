using Cohorts.Connectors.Storage;
using Cohorts.Workflows;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc.Internal;
using Microsoft.Extensions.Options;

namespace Cohorts.Server.Hosting;

/// <summary>
/// The durable backend of the server: <see cref="AzureStorageOrchestrationService"/> behind the embedded task-hub
/// sidecar (<see cref="TaskHubGrpcServer"/>), served on its own HTTP/2-only loopback port, with a Durable Task worker
/// and client talking gRPC to it in the same process.
/// </summary>
public static class DurableTaskHosting
{
    /// <summary>Registers the sidecar, the worker with the cohort workflows, and the client; returns the sidecar's endpoint.</summary>
    public static SidecarEndpoint AddCohortsDurableTask(this IServiceCollection services)
    {
        var sidecar = new SidecarEndpoint(LoopbackPorts.Free(), SidecarEndpoint.NewSecret());
        services.AddSingleton(sidecar);
        services.AddSingleton(sp =>
        {
            ServerOptions options = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
            return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
            {
                TaskHubName = options.TaskHub,
                StorageAccountClientProvider = sp.GetRequiredService<StorageConnection>().CreateDurableProvider(),
                PartitionCount = options.Partitions,
                MaxQueuePollingInterval = options.MaxQueuePollingInterval,
                LeaseInterval = options.LeaseInterval,
                // renewed and sought every second at most: the backend's stop waits for its lease loop's next turn
                LeaseRenewInterval = options.LeaseLoopInterval,
                LeaseAcquireInterval = options.LeaseLoopInterval,
                ControlQueueVisibilityTimeout = options.QueueVisibilityTimeout,
                WorkItemQueueVisibilityTimeout = options.QueueVisibilityTimeout,
                // the app lease only keeps a second app off a shared hub; it would make a restart after a crash wait for it to expire
                UseAppLease = false,
                LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            });
        });
        // the sidecar dispatches through the compatibility layer; queries and purges go to the backend directly
        services.AddSingleton<IOrchestrationService>(sp => new SidecarCompatibleOrchestrationService(
            sp.GetRequiredService<AzureStorageOrchestrationService>(),
            new ActivityLocks(sp.GetRequiredService<IOptions<ServerOptions>>().Value.QueueVisibilityTimeout, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ActivityLocks>>())));
        services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        services.Configure<TaskHubGrpcServerOptions>(o => o.Mode = TaskHubGrpcServerMode.ApiServerAndDispatcher);
        services.AddSingleton<TaskHubGrpcServer>();
        services.AddGrpc();

        // The worker dials before Kestrel listens; a refused first dial would otherwise back off for up to two minutes,
        // during which every client call fails as Unavailable. Short back-offs make the server usable once it listens.
        // Every call carries the per-start secret (SidecarSecret refuses one without it); the handler chain ends in a
        // SocketsHttpHandler, so the channel keeps its connection management and the back-offs below.
        GrpcChannel channel = GrpcChannel.ForAddress(sidecar.Address, new GrpcChannelOptions
        {
            HttpHandler = new SidecarSecret.Presenter(sidecar.Secret) { InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } },
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(1),
        });
        services.AddDurableTaskWorker(builder =>
        {
            builder.UseGrpc(options =>
            {
                options.Channel = channel;
                // the sidecar is in this process and sends no health pings: a quiet stream is an idle hub, not a
                // lost one, so it is never torn down and redialled (which logged a warning every two minutes)
                options.SetSilentDisconnectTimeout(TimeSpan.Zero);
            });
            builder.AddTasks(registry => registry.AddCohortWorkflows());
        });
        services.AddDurableTaskClient(builder => builder.UseGrpc(channel));
        return sidecar;
    }

    /// <summary>Creates the task hub (queues, tables, containers) before the host starts: the sidecar's own create is fire-and-forget.</summary>
    public static Task CreateTaskHubAsync(this IServiceProvider services) =>
        services.GetRequiredService<AzureStorageOrchestrationService>().CreateIfNotExistsAsync();
}

/// <summary>
/// The sidecar's own gRPC endpoint: HTTP/2 only, loopback only, never the API's port; and the secret, made anew at each
/// start and known only to this process, that every call to it must present.
/// </summary>
public sealed record SidecarEndpoint(int Port, string Secret)
{
    /// <summary>The address the worker and client dial.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>A new secret: 32 random bytes, base64url.</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <inheritdoc/>
    public override string ToString() => $"SidecarEndpoint {{ Port = {Port} }}"; // never the secret
}
