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

/// <summary>Lists read whole and paged by key: every item once, in order, either way; another list's token refused.</summary>
public class PageSliceTests
{
    private static readonly string[] Ids = ["c", "a", "e", "b", "d"];

    [Theory]
    [InlineData(false, new[] { "a", "b", "c", "d", "e" })]
    [InlineData(true, new[] { "e", "d", "c", "b", "a" })]
    public void PagingToTheEnd_GivesEveryItemOnce_InOrder(bool descending, string[] expected)
    {
        var seen = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            var page = PageTokens.Slice(Ids, id => id, "letters", 2, token, descending);
            Assert.True(page.Succeeded);
            seen.AddRange(page.Value.Items);
            token = page.Value.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public void AnotherListsToken_IsRefused()
    {
        string token = PageTokens.Slice(Ids, id => id, "letters", 2, null).Value.ContinuationToken!;

        Assert.Equal("continuationToken", PageTokens.Slice(Ids, id => id, "numbers", 2, token).Failure?.Field);
    }
}
