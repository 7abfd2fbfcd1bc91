using System.Net;
using Cohorts.Application.Webhooks;
using Cohorts.Connectors.Webhooks;
using Cohorts.Domain.Events;
using NSubstitute;

namespace Cohorts.Application.Tests;

/// <summary>
/// Where webhooks may go: https on a public address, unless private networks are allowed. The hostile targets are the
/// ones a server-side request forgery aims at (loopback, the cloud metadata address, the private ranges); the sender
/// refuses them again at each connection, after any DNS change.
/// </summary>
public class SubscriptionRulesTests
{
    private static readonly global::Cohorts.Domain.Access.Caller Caller = new("test", ["integrator"], ["test"], null);

    private static SubscriptionService Service(bool allowPrivate) =>
        new(Substitute.For<ISubscriptionStore>(), Substitute.For<IDeliveryStore>(), new WebhookOptions { AllowPrivateNetworks = allowPrivate }, TimeProvider.System);

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://172.20.0.1/hook")]
    [InlineData("https://192.168.1.10/hook")]
    [InlineData("https://100.64.0.1/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("http://93.184.216.34/hook")]         // public, but not https
    [InlineData("https://user:pw@93.184.216.34/hook")] // credentials in the URL
    [InlineData("ftp://93.184.216.34/hook")]
    [InlineData("/relative/hook")]
    public async Task PrivateOrUnsafeTargets_AreRefused_NamingTheUrl(string url)
    {
        Result<WebhookSubscription> result = await Service(allowPrivate: false).CreateAsync(new CreateSubscription(url, ["*"], null, Caller), CancellationToken.None);

        Assert.Equal((ErrorCodes.InvalidSubscription, "url"), (result.Failure?.Code, result.Failure?.Field));
    }

    [Theory]
    [InlineData("https://93.184.216.34/hook")]
    [InlineData("https://[2606:4700::6810:85e5]/hook")]
    public async Task PublicHttps_IsAccepted_WithANewSecret(string url)
    {
        Result<WebhookSubscription> result = await Service(allowPrivate: false).CreateAsync(new CreateSubscription(url, ["review.decided", "review.decided"], "c1", Caller), CancellationToken.None);

        WebhookSubscription created = Assert.IsType<WebhookSubscription>(result.Value);
        Assert.Equal(["review.decided"], created.Events);
        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(created.Secret["whsec_".Length..]).Length);
    }

    [Fact]
    public async Task LoopbackOverHttp_IsAccepted_WhenPrivateNetworksAreAllowed()
    {
        Result<WebhookSubscription> result = await Service(allowPrivate: true).CreateAsync(new CreateSubscription("http://127.0.0.1:9/hook", ["*"], null, Caller), CancellationToken.None);

        Assert.NotNull(result.Value);
    }

    [Theory]
    [InlineData(new[] { "review.done" }, "events[0]")]
    [InlineData(new[] { "review.decided", "" }, "events[1]")]
    [InlineData(new string[0], "events")]
    public async Task UnknownEventTypes_AreNamed(string[] events, string field)
    {
        Result<WebhookSubscription> result = await Service(allowPrivate: false).CreateAsync(new CreateSubscription("https://93.184.216.34/hook", events, null, Caller), CancellationToken.None);

        Assert.Equal((ErrorCodes.InvalidSubscription, field), (result.Failure?.Code, result.Failure?.Field));
    }

    [Fact]
    public async Task TheSender_RefusesAPrivateAddressWhenItConnects()
    {
        using var sender = new HttpWebhookSender(new WebhookOptions { AllowPrivateNetworks = false, Timeout = TimeSpan.FromSeconds(5) }, TimeProvider.System);
        var subscription = new WebhookSubscription("sub_00", new Uri("http://127.0.0.1:9/hook"), ["*"], null, WebhookSubscription.NewSecret(), DateTimeOffset.UnixEpoch, "test");
        CohortEvent cohortEvent = CohortEvent.Create(EventTypes.CohortCreated, "c1", "cohort", DateTimeOffset.UnixEpoch, []);

        WebhookResponse response = await sender.SendAsync(subscription, cohortEvent, CancellationToken.None);

        Assert.Null(response.StatusCode);
        Assert.Contains("no public address", response.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700::6810:85e5", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("198.18.0.1", false)]
    public void PublicAddresses_AreTheOnesOnTheInternet(string address, bool isPublic)
    {
        Assert.Equal(isPublic, NetworkAddresses.IsPublic(IPAddress.Parse(address)));
    }
}
