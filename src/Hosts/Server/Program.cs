using System.Runtime.InteropServices;
using Cohorts.Server.Hosting;

// The self-hosted Cohorts server: the HTTP API, the Durable Task worker and client, and the embedded task-hub
// sidecar on Azure Storage (Azurite, started for you, when no storage is configured).
// appsettings*.json are read from beside the binaries, whatever the working directory (a service manager's, a test's).
WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
StartupGuard guard;
try
{
    // before anything is touched: a live server on the same data folder or port is left alone, and this one says why in one line
    guard = StartupGuard.Take(
        builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>()?.DataFolder ?? new ServerOptions().DataFolder,
        ServerSetup.ParseUrls(builder.Configuration["urls"] ?? ServerSetup.DefaultUrl));
    builder.AddCohortsServer();
}
catch (Exception e) when (e is StartRefusedException or InvalidOperationException)
{
    await Console.Error.WriteLineAsync("Cohorts: " + e.Message);
    return 2;
}

using (guard)
{
    WebApplication app = builder.Build();
    app.UseCohortsServer();

    // Ctrl-C or a stop before the host runs (while Azurite starts, while the task hub is made) gives up the start and
    // stops what it started; after that it stops the application, also in the moment before the host's own lifetime
    // listens for signals (a SIGINT then would otherwise end the process at once and leave Azurite running)
    using var starting = new CancellationTokenSource();
    bool serving = false;
    void OnSignal(PosixSignalContext signal)
    {
        signal.Cancel = true;
        if (Volatile.Read(ref serving))
        {
            app.Lifetime.StopApplication();
        }
        else
        {
            starting.Cancel();
        }
    }

    using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    try
    {
        await app.PrepareBackendAsync(starting.Token);
    }
    catch (Exception e)
    {
        // whatever ended the start (a signal, storage that does not answer), what it started (Azurite) is stopped
        // before the process ends: an unhandled exception here would leave it running without an owner
        bool givenUp = starting.IsCancellationRequested;
        if (!givenUp)
        {
            app.Logger.LogCritical(e, "The server could not start");
        }

        await app.DisposeAsync();
        await Console.Error.WriteLineAsync(givenUp
            ? "Cohorts: stopped during start-up; nothing is left running."
            : $"Cohorts: the start failed: {e.Message.TrimEnd('.')}; nothing is left running.");
        return givenUp ? 130 : 1;
    }

    Volatile.Write(ref serving, true);
    if (starting.IsCancellationRequested)
    {
        // a signal came as the start finished: the host starts and stops at once, through its graceful stop
        app.Lifetime.StopApplication();
    }

    try
    {
        await app.RunAsync();
    }
    catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
    {
        // the address was free when checked and taken while Azurite started: RunAsync has stopped what it started
        await Console.Error.WriteLineAsync($"Cohorts: {e.Message.TrimEnd('.')}; nothing was left running. Stop the other server, or set urls to a free address.");
        return 2;
    }
}

return 0;

/// <summary>The entry point, visible to tests.</summary>
public partial class Program;
