using Cohorts.Server.Hosting;

// The self-hosted Cohorts server: the HTTP API, the Durable Task worker and client, and the embedded task-hub
// sidecar on Azure Storage (Azurite, started for you, when no storage is configured).
// appsettings*.json are read from beside the binaries, whatever the working directory (a service manager's, a test's).
WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddCohortsServer();

WebApplication app = builder.Build();
app.UseCohortsServer();

await app.PrepareBackendAsync();
await app.RunAsync();

/// <summary>The entry point, visible to tests.</summary>
public partial class Program;
