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

    await app.PrepareBackendAsync();
    await app.RunAsync();
}

return 0;

/// <summary>The entry point, visible to tests.</summary>
public partial class Program;
