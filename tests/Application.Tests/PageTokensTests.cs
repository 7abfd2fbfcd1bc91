namespace Cohorts.Application.Tests;

public class PageTokensTests
{
    [Fact]
    public void AToken_RoundTrips_OnlyForTheListThatGaveIt()
    {
        string token = PageTokens.Wrap("participants:c1", "1!8!RTAwNA--")!;

        Assert.True(PageTokens.TryUnwrap("participants:c1", token, out string? inner));
        Assert.Equal("1!8!RTAwNA--", inner);
        Assert.False(PageTokens.TryUnwrap("participants:c2", token, out _));
        Assert.Null(PageTokens.Wrap("participants:c1", null)); // the end of the list
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("%%%")]
    [InlineData("cGFydGljaXBhbnRzOmMx")] // "participants:c1" without the store's part
    [InlineData("__8")]                  // bytes that are not UTF-8
    public void AMadeUpToken_IsRefused(string token)
    {
        Assert.False(PageTokens.TryUnwrap("participants:c1", token, out _));
    }
}
