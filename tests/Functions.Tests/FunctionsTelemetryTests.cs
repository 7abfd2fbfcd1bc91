using Cohorts.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Cohorts.Functions.Tests;

public class FunctionsTelemetryTests
{
    [Fact]
    public void TheWorkersTelemetry_ListensToTheProductsSourceAndMeters()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCohortsTelemetry(configuration);

        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<MeterProvider>());
        Assert.True(CohortsTelemetry.Source.HasListeners(), "the product's activity source is listened to");
    }
}
