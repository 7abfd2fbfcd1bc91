using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Functions.Auth;

/// <summary>
/// The caller as App Service authentication (Entra ID) presents it to the app: the <c>X-MS-CLIENT-PRINCIPAL</c>
/// header, base64 JSON of the validated token's claims. The platform sets the header after validating the token
/// and strips any the client sent, so it can be trusted only when App Service authentication is on (the
/// infrastructure turns it on; function keys are the second factor for machine callers).
/// </summary>
public static class AppServicePrincipal
{
    /// <summary>The header App Service authentication sets.</summary>
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The principal, or null when the request carries none (or one that cannot be read).</summary>
    public static ClaimsPrincipal? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue(Header, out var values) || string.IsNullOrEmpty(values.ToString()))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(values.ToString())));
            JsonElement root = document.RootElement;
            string authType = root.TryGetProperty("auth_typ", out JsonElement a) ? a.GetString() ?? "aad" : "aad";
            string nameType = root.TryGetProperty("name_typ", out JsonElement n) ? n.GetString() ?? ClaimTypes.Name : ClaimTypes.Name;
            string roleType = root.TryGetProperty("role_typ", out JsonElement r) ? r.GetString() ?? ClaimTypes.Role : ClaimTypes.Role;
            var claims = new List<Claim>();
            foreach (JsonElement claim in root.GetProperty("claims").EnumerateArray())
            {
                string type = claim.GetProperty("typ").GetString() ?? string.Empty;
                string value = claim.GetProperty("val").GetString() ?? string.Empty;
                // app roles arrive as "roles" claims whatever role_typ says; map them to the role type IsInRole reads
                claims.Add(new Claim(type is "roles" or "role" ? roleType : type, value));
            }

            return new ClaimsPrincipal(new ClaimsIdentity(claims, authType, nameType, roleType));
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
