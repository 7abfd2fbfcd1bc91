using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Cohorts.Api;
using Cohorts.Domain.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cohorts.Server.Auth;

/// <summary>One API key: who holds it (<see cref="Name"/>, also their reviewer id) and the roles it carries.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>The caller's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The secret sent in <c>X-Api-Key</c>.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Roles: hr, reviewer, integrator, leader, admin.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>
    /// Cohort id patterns (<c>claims-*</c>, an exact id, or <c>*</c>) the key is confined to, whatever its roles;
    /// empty for every cohort.
    /// </summary>
    public List<string> Cohorts { get; set; } = [];
}

/// <summary>
/// Entra ID (or any OpenID Connect issuer) bearer tokens: the issuer's metadata is read from <see cref="Authority"/>,
/// tokens must be for <see cref="Audience"/>, and their <c>roles</c> claim (app roles) carries the API roles.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>The issuer, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; bearer tokens are off when empty.</summary>
    public string? Authority { get; set; }

    /// <summary>The application id URI or client id tokens must be issued for.</summary>
    public string? Audience { get; set; }

    /// <summary>Whether the metadata must come over https (only a loopback test issuer turns this off).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whether bearer tokens are configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>The <c>Auth</c> section: <c>Auth:ApiKeys:0:Key</c> and so on (<c>Auth__ApiKeys__0__Key</c> in the environment).</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Auth";

    /// <summary>The shortest key accepted.</summary>
    public const int MinKeyLength = 16;

    /// <summary>The keys.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>Entra ID bearer tokens, when configured (<c>Auth:Jwt:Authority</c>, <c>Auth:Jwt:Audience</c>).</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>
    /// Problems with the configuration, each naming its key; empty when it can be used. Outside Development
    /// (<paramref name="development"/> false) a published development key is refused.
    /// </summary>
    public IReadOnlyList<string> Validate(bool development = false)
    {
        var problems = new List<string>();
        if (ApiKeys.Count == 0 && !Jwt.Enabled)
        {
            problems.Add("Auth:ApiKeys is empty: configure at least one key (Auth__ApiKeys__0__Name, __Key, __Roles__0) or Entra ID tokens (Auth:Jwt:Authority and Audience).");
        }

        if (Jwt.Enabled && (string.IsNullOrWhiteSpace(Jwt.Audience) || !Uri.TryCreate(Jwt.Authority, UriKind.Absolute, out _)))
        {
            problems.Add("Auth:Jwt needs an absolute Authority (the token issuer) and an Audience (the API's application id URI or client id).");
        }

        for (int i = 0; i < ApiKeys.Count; i++)
        {
            ApiKeyEntry entry = ApiKeys[i];
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                problems.Add($"Auth:ApiKeys:{i}:Name is required.");
            }

            if (entry.Key.Length < MinKeyLength)
            {
                problems.Add($"Auth:ApiKeys:{i}:Key must be at least {MinKeyLength} characters.");
            }
            else if (!development && DevelopmentKeys.IsPublished(entry.Key))
            {
                problems.Add($"Auth:ApiKeys:{i}:Key ('{entry.Name}') is a published development key; generate a secret one (e.g. openssl rand -base64 32).");
            }

            if (entry.Roles.Count == 0)
            {
                problems.Add($"Auth:ApiKeys:{i}:Roles must name at least one role.");
            }

            problems.AddRange(entry.Cohorts.Select((p, j) => (Pattern: p, Index: j, Reason: CohortPattern.Validate(p)))
                .Where(p => p.Reason is not null)
                .Select(p => $"Auth:ApiKeys:{i}:Cohorts:{p.Index} ('{p.Pattern}') {p.Reason}."));
            problems.AddRange(entry.Roles.Where(r => !ApiRoles.All.Contains(r)).Select(r => $"Auth:ApiKeys:{i}:Roles has an unknown role '{r}'; use {string.Join(", ", ApiRoles.All)}."));
        }

        problems.AddRange(ApiKeys.GroupBy(k => k.Key).Where(g => g.Key.Length > 0 && g.Count() > 1).Select(_ => "Auth:ApiKeys holds the same key twice."));
        return problems;
    }
}

/// <summary>Authenticates <c>X-Api-Key</c> against the configured keys and answers 401/403 as problem details.</summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger, UrlEncoder encoder, IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The header that carries the key.</summary>
    public const string Header = "X-Api-Key";

    /// <inheritdoc/>
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || string.IsNullOrEmpty(values.ToString()))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        byte[] presented = Encoding.UTF8.GetBytes(values.ToString());
        // compare against every key in constant time, so timing does not reveal how much of a key matched
        ApiKeyEntry? match = null;
        foreach (ApiKeyEntry entry in auth.Value.ApiKeys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(entry.Key)))
            {
                match = entry;
            }
        }

        if (match is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not recognised."));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, match.Name), new Claim(ClaimTypes.NameIdentifier, match.Name),
                .. match.Roles.Select(r => new Claim(ClaimTypes.Role, r)),
                .. match.Cohorts.Select(p => new Claim(ApiRoles.CohortsClaim, p)),
            ],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc/>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        string detail = Request.Headers.ContainsKey(Header)
            ? "The API key is not recognised."
            : $"Send an API key in the {Header} header.";
        return ApiResult.Problem(Problems.Unauthenticated(detail)).ExecuteAsync(Context);
    }

    /// <inheritdoc/>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        ApiRoute? route = Context.GetEndpoint()?.Metadata.GetMetadata<ApiRoute>();
        return ApiResult.Problem(Problems.Forbidden(route?.Roles ?? [])).ExecuteAsync(Context);
    }
}
