using Cohorts.Connectors.Storage;

namespace Cohorts.Connectors.Tests;

/// <summary>How the server and the Functions app reach a storage account whose shared keys are off.</summary>
public class StorageOptionsTests
{
    [Fact]
    public void AccountName_ResolvesThePublicEndpointsAndUsesACredential()
    {
        var options = new StorageOptions { AccountName = "stcohortsabc" };

        Assert.True(options.IsConfigured);
        Assert.Equal(new Uri("https://stcohortsabc.queue.core.windows.net"), options.ResolveEndpoint("queue"));
        Assert.Equal(new Uri("https://stcohortsabc.blob.core.windows.net/"), options.CreateBlobServiceClient().Uri);
    }

    [Fact]
    public void ExplicitEndpoints_WinOverTheAccountName()
    {
        var options = new StorageOptions { AccountName = "ignored", BlobEndpoint = new Uri("https://blob.sovereign.example/") };

        Assert.Equal(new Uri("https://blob.sovereign.example/"), options.ResolveEndpoint("blob"));
    }

    [Fact]
    public void Nothing_IsNotConfigured_AndNamesTheSettingsWhenUsed()
    {
        var options = new StorageOptions();

        Assert.False(options.IsConfigured);
        var error = Assert.Throws<InvalidOperationException>(() => options.ResolveEndpoint("table"));
        Assert.Contains("Storage:TableEndpoint", error.Message, StringComparison.Ordinal);
    }
}
