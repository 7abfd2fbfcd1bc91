namespace Cohorts.Workflows.Tests;

public class InstanceIdsTests
{
    [Theory]
    [InlineData("claims-2026", "claims-2026:checkpoint:3")]
    [InlineData("a/b", "a%2Fb:checkpoint:3")]
    [InlineData(@"a\b#c?d%e", "a%5Cb%23c%3Fd%25e:checkpoint:3")]
    public void Checkpoint_EscapesWhatTheBackendForbids(string cohortId, string expected)
    {
        Assert.Equal(expected, InstanceIds.Checkpoint(cohortId, 3));
    }

    [Theory]
    [InlineData("a/b\\c#d?e%f")]
    [InlineData("plain")]
    public void Escape_ThenUnescape_GivesTheIdBack(string id)
    {
        string escaped = InstanceIds.Escape(id);

        Assert.DoesNotContain(escaped, c => c is '/' or '\\' or '#' or '?');
        Assert.Equal(id, InstanceIds.Unescape(escaped));
    }

    [Fact]
    public void Lifecycle_SameCohort_SameId()
    {
        Assert.Equal(InstanceIds.Lifecycle("x"), InstanceIds.Lifecycle("x"));
        Assert.NotEqual(InstanceIds.Lifecycle("x"), InstanceIds.Lifecycle("y"));
    }
}
