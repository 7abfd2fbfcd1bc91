namespace Cohorts.Domain.Tests;

public class EmailAddressesTests
{
    [Theory]
    [InlineData("ana.lima@example.com", true)]
    [InlineData("first+tag@sub.example.co.uk", true)]
    [InlineData("o'brien@example.com", true)]              // an apostrophe inside a name is a real address
    [InlineData("'contosoadmin1@fabrikam.com", false)]     // the corpus quirk: a spreadsheet's text prefix
    [InlineData("CIO <cio@example.com>", false)]
    [InlineData("name@localhost", false)]
    [InlineData("not-an-email", false)]
    [InlineData("a@@example.com", false)]
    [InlineData("", false)]
    public void IsPlain_ReadsAddressesAsAPersonWould(string text, bool plain)
    {
        Assert.Equal(plain, EmailAddresses.IsPlain(text));
    }
}
