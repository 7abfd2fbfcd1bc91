using Cohorts.Functions;
using Cohorts.Functions.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The Azure Functions host: HTTP triggers over the shared handlers, and the shared workflows on Durable Task.
FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemDetailsMiddleware>();
builder.Services.AddCohortsFunctions(builder.Configuration);
builder.Services.AddCohortsTelemetry(builder.Configuration);
builder.Build().Run();
