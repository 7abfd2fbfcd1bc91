using Cohorts.Domain.Practice;

namespace Cohorts.Domain.Tests;

/// <summary>Which names an extract's container and files may have, read from Azure Storage's naming rules by hand.</summary>
public sealed class ExtractNamesTests
{
    [Theory]
    [InlineData("claims-extract", true)]
    [InlineData("abc", true)]
    [InlineData("a1-b2-c3", true)]
    [InlineData("ab", false)] // under 3
    [InlineData("Claims", false)] // upper case
    [InlineData("claims--extract", false)] // double hyphen
    [InlineData("-claims", false)]
    [InlineData("claims-", false)]
    [InlineData("claims/2024", false)] // a path, not a container
    [InlineData("claims_extract", false)]
    [InlineData("imports", false)] // the product's HR exports
    [InlineData("cohorts", false)]
    [InlineData("reports", false)]
    [InlineData("hris-imports", false)]
    [InlineData("communities", false)]
    [InlineData("cohortsserver-leases", false)] // the Durable Task backend's
    [InlineData("e2e1234-largemessages", false)]
    [InlineData("azure-webjobs-hosts", false)] // the Functions host's
    public void ContainerNames(string name, bool allowed) =>
        Assert.Equal(allowed, ExtractNames.ContainerProblem(name) is null);

    [Fact]
    public void ContainerNames_OfSixtyFourCharacters_AreRefused() =>
        Assert.Equal((true, false), (ExtractNames.ContainerProblem(new string('a', 63)) is null, ExtractNames.ContainerProblem(new string('a', 64)) is null));

    [Theory]
    [InlineData("claims.csv", true)]
    [InlineData("Claims 2024 (Q1).parquet", true)]
    [InlineData(".hidden", false)]
    [InlineData("..", false)]
    [InlineData("a/b.csv", false)]
    [InlineData("a\\b.csv", false)]
    [InlineData(" padded.csv", false)]
    [InlineData("tab\there.csv", false)]
    [InlineData("", false)]
    public void FileNames(string name, bool allowed) =>
        Assert.Equal(allowed, ExtractNames.FileProblem(name) is null);
}
