namespace Cohorts.Server.Hosting;

/// <summary>Settings of the self-hosted server (section <c>Server</c>).</summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Server";

    /// <summary>Where local state lives (Azurite's data); relative paths are from the working directory.</summary>
    public string DataFolder { get; set; } = ".data";

    /// <summary>Where messages are written as <c>.eml</c> files; by default <c>outbox</c> in the data folder.</summary>
    public string? OutboxFolder { get; set; }

    /// <summary>The sender of the messages in the outbox.</summary>
    public string MailFrom { get; set; } = "cohorts@localhost";

    /// <summary>The outbox folder in force.</summary>
    public string Outbox => Path.GetFullPath(OutboxFolder ?? Path.Combine(DataFolder, "outbox"));

    /// <summary>Azurite's entry script; by default the one the build restored under node_modules.</summary>
    public string? AzuriteScript { get; set; }

    /// <summary>The task hub. Never the Functions app's: long timers are split differently, so the two hosts must not share one.</summary>
    public string TaskHub { get; set; } = "cohortsserver";

    /// <summary>Partitions of the task hub; one suits a single local server, more let several servers share the load.</summary>
    public int Partitions { get; set; } = 1;

    /// <summary>The longest idle back-off between queue polls (the backend's default is 30 s, too slow for a local run).</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a partition lease lasts: after a crash, another server (or this one restarted) takes over after this.</summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often leases are renewed and sought: a third of <see cref="LeaseInterval"/>, at most a second.</summary>
    public TimeSpan LeaseLoopInterval => LeaseInterval / 3 < TimeSpan.FromSeconds(1) ? LeaseInterval / 3 : TimeSpan.FromSeconds(1);

    /// <summary>How long a dequeued message stays invisible: after a crash, work in flight is seen again after this.</summary>
    public TimeSpan QueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a graceful stop may take.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
