using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Cohorts.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cohorts.Server.Tests;

/// <summary>
/// Entra ID bearer tokens on the self-hosted server: the JWT handler reads the issuer's metadata and keys from a loopback
/// issuer (the OpenID Connect shapes: discovery document and JWKS), and tokens signed with that key carry the app roles.
/// </summary>
[Collection(OwnServers.Name)]
public sealed class EntraTokenEndToEndTests(OwnServersFixture fixture)
{
    private const string Audience = "api://cohorts-test";

    [Fact]
    public async Task BearerTokens_AreCheckedForIssuerAudienceExpiryAndRoles_BesideTheApiKeys()
    {
        await using GraphStub issuer = await GraphStub.StartAsync();
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "test-key-1" };
        string authority = new Uri(issuer.BaseAddress, "tenant-1/v2.0").ToString();
        RSAParameters publicKey = rsa.ExportParameters(false);
        string metadata = $$"""{"issuer":"{{authority}}","jwks_uri":"{{issuer.BaseAddress}}tenant-1/discovery/v2.0/keys","id_token_signing_alg_values_supported":["RS256"]}""";
        string keys = $$"""{"keys":[{"kty":"RSA","use":"sig","kid":"test-key-1","n":"{{Base64UrlEncoder.Encode(publicKey.Modulus)}}","e":"{{Base64UrlEncoder.Encode(publicKey.Exponent)}}"}]}""";
        // the handler reads the metadata and keys once and again on a key it does not know: enough answers for that
        issuer.On("tenant-1/v2.0/.well-known/openid-configuration", null, [.. Enumerable.Repeat(new GraphStub.Reply(200, metadata), 10)]);
        issuer.On("tenant-1/discovery/v2.0/keys", null, [.. Enumerable.Repeat(new GraphStub.Reply(200, keys), 10)]);

        await using ServerProcess server = await ServerProcess.StartAsync(
            Path.Combine(fixture.Azurite.DataFolder, "entra"),
            "entrahub",
            fixture.Azurite.ConnectionString,
            new Dictionary<string, string> { ["Auth__Jwt__Authority"] = authority, ["Auth__Jwt__Audience"] = Audience, ["Auth__Jwt__RequireHttpsMetadata"] = "false" });

        string Token(string[] roles, string audience = Audience, DateTime? expires = null, SecurityKey? signWith = null) =>
            new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = authority,
                Audience = audience,
                NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddMinutes(-20),
                Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
                Subject = new ClaimsIdentity([new Claim("oid", "00000000-0000-4000-8000-0000000000aa"), .. roles.Select(r => new Claim("roles", r))]),
                SigningCredentials = new SigningCredentials(signWith ?? key, SecurityAlgorithms.RsaSha256),
            });

        async Task<HttpStatusCode> GetCohortAsync(string? token)
        {
            using HttpClient client = server.Client();
            if (token is not null)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using HttpResponseMessage response = await client.GetAsync(new Uri("/api/cohorts/no-such-cohort", UriKind.Relative));
            return response.StatusCode;
        }

        using var otherKey = RSA.Create(2048);
        Assert.Equal(HttpStatusCode.NotFound, await GetCohortAsync(Token(["hr"])));                 // in, and allowed: the cohort is unknown
        Assert.Equal(HttpStatusCode.NotFound, await GetCohortAsync(Token(["admin"])));
        Assert.Equal(HttpStatusCode.Forbidden, await GetCohortAsync(Token(["integrator"])));       // in, but not a role that may read a cohort
        Assert.Equal(HttpStatusCode.Unauthorized, await GetCohortAsync(Token(["hr"], audience: "api://someone-else")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetCohortAsync(Token(["hr"], expires: DateTime.UtcNow.AddMinutes(-10))));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetCohortAsync(Token(["hr"], signWith: new RsaSecurityKey(otherKey) { KeyId = "test-key-1" })));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetCohortAsync(null));
        // the API keys still work beside the tokens
        using HttpClient hr = server.As("hr");
        Assert.Equal(HttpStatusCode.NotFound, (await hr.GetAsync(new Uri("/api/cohorts/no-such-cohort", UriKind.Relative))).StatusCode);
    }
}
