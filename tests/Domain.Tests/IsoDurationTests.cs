
namespace Cohorts.Domain.Tests;

public class IsoDurationTests
{
    // Expected spans written out by hand from the ISO 8601 text.
    public static TheoryData<string, TimeSpan> Valid => new()
    {
        { "PT48H", TimeSpan.FromHours(48) },
        { "PT24H", TimeSpan.FromHours(24) },
        { "P90D", TimeSpan.FromDays(90) },
        { "PT5S", TimeSpan.FromSeconds(5) },
        { "PT0.5S", TimeSpan.FromMilliseconds(500) },
        { "PT1,5S", TimeSpan.FromMilliseconds(1500) },
        { "P1DT2H3M4S", new TimeSpan(1, 2, 3, 4) },
        { "P2W", TimeSpan.FromDays(14) },
        { "pt10m", TimeSpan.FromMinutes(10) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void TryParse_IsoText_GivesTheSpanItNames(string text, TimeSpan expected)
    {
        Assert.True(IsoDuration.TryParse(text, out TimeSpan? value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("48H")]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("PT-5S")]
    [InlineData("P1W2D")]
    [InlineData("00:00:05")]
    [InlineData("P1DT")]
    public void TryParse_NotADayOrSmallerDuration_IsRejected(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, 0, 0, 5, "PT5S")]
    [InlineData(0, 48, 0, 0, "P2D")]
    [InlineData(90, 0, 0, 0, "P90D")]
    [InlineData(1, 2, 3, 4, "P1DT2H3M4S")]
    [InlineData(0, 0, 0, 0, "PT0S")]
    public void Format_Span_WritesShortestIsoText(int days, int hours, int minutes, int seconds, string expected)
    {
        Assert.Equal(expected, IsoDuration.Format(new TimeSpan(days, hours, minutes, seconds)));
    }

    [Fact]
    public void Format_FractionalSeconds_KeepsThem()
    {
        Assert.Equal("PT1.25S", IsoDuration.Format(TimeSpan.FromMilliseconds(1250)));
    }
}
