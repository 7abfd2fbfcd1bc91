using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>One Azurite for this assembly's storage tests.</summary>
[CollectionDefinition(Name)]
public sealed class SharedAzurite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
