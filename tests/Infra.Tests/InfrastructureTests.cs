using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Infra.Tests;

public class InfrastructureTests
{
    private static IEnumerable<(JsonObject Resource, JsonObject? Deployment)> OfType(string type) =>
        CompiledTemplate.Resources(CompiledTemplate.Main).Where(r => r.Resource["type"]!.GetValue<string>() == type);

    [Fact]
    public void MainBicep_CompilesWithoutErrorsOrWarnings()
    {
        Assert.Equal("subscriptionDeploymentTemplate.json", new Uri(CompiledTemplate.Main["$schema"]!.GetValue<string>()).Segments[^1].Split('#')[0]);
    }

    [Fact]
    public void BrokenBicep_FailsToCompile()
    {
        string broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.bicep");
        File.WriteAllText(broken, "resource x 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: \n}\n");
        try
        {
            Assert.NotEqual(0, CompiledTemplate.Build(broken).ExitCode);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void Storage_HasSharedKeyAccessOff()
    {
        (JsonObject storage, _) = Assert.Single(OfType("Microsoft.Storage/storageAccounts"));

        Assert.False(storage["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(storage["properties"]!["allowBlobPublicAccess"]!.GetValue<bool>());
    }

    [Fact]
    public void FunctionApp_UsesTheManagedIdentityForAzureWebJobsStorage()
    {
        (JsonObject app, JsonObject? deployment) = Assert.Single(OfType("Microsoft.Web/sites"), r => r.Resource["kind"]?.GetValue<string>() == "functionapp,linux");
        var settings = app["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["value"]!.ToString());

        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        Assert.Contains("identity", ParameterSource(deployment!, "identityClientId"), StringComparison.Ordinal);
        Assert.Contains("outputs.clientId.value", ParameterSource(deployment!, "identityClientId"), StringComparison.Ordinal);
        // the app runs as that identity and reads its deployment package as it too
        Assert.Equal("UserAssigned", app["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", app["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
        Assert.Equal("dotnet-isolated", app["properties"]!["functionAppConfig"]!["runtime"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void SandboxGroup_ReadsTheExtractContainer_WhenItsIdIsGiven()
    {
        (JsonObject reader, JsonObject? deployment) = Assert.Single(OfType("Microsoft.Authorization/roleAssignments"), r => r.Resource["properties"]!["principalType"]!.GetValue<string>() == "Group");

        // Storage Blob Data Reader, to the group the parameter names, on the extract's container, only when both are given
        Assert.Contains("variables('blobDataReader')", reader["properties"]!["roleDefinitionId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", deployment!["properties"]!["template"]!["variables"]!["blobDataReader"]!.GetValue<string>());
        Assert.Equal("[parameters('sandboxGroupId')]", reader["properties"]!["principalId"]!.GetValue<string>());
        Assert.Contains("containers', parameters('name'), 'default'", reader["scope"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("sandboxExtractContainer", reader["scope"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("sandbox", reader["condition"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("[parameters('sandboxGroupId')]", ParameterSource(deployment, "sandboxGroupId"));
    }

    [Fact]
    public void GraphPermissionScript_GrantsWhatPracticeNeeds()
    {
        string[] listed = File.ReadAllLines(Path.Combine(RepoPaths.Root, "infra", "scripts", "graph-permissions.txt"));

        // by hand, from each call's documented least-privileged application permission: group members written, a team
        // created, read and found, channels created and listed, non-owner members added and removed, a Viva Engage community
        Assert.Subset(listed.ToHashSet(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal)
            { "GroupMember.ReadWrite.All", "Team.Create", "Team.ReadBasic.All", "Channel.Create", "Channel.ReadBasic.All", "TeamMember.ReadWriteNonOwnerRole.All", "Community.ReadWrite.All" });
    }

    [Fact]
    public void EveryRoleAssignment_TargetsTheAppIdentity()
    {
        var assignments = OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => r.Resource["properties"]!["principalType"]!.GetValue<string>() != "Group") // the sandbox group's, above
            .ToList();

        Assert.True(assignments.Count >= 4, "blob, queue, table and monitoring roles");
        foreach ((JsonObject assignment, JsonObject? deployment) in assignments)
        {
            string principal = assignment["properties"]!["principalId"]!.GetValue<string>();
            string parameter = principal.Split('\'')[1]; // [parameters('dataPrincipalId')]
            string source = ParameterSource(deployment!, parameter);
            Assert.Contains("'identity'", source, StringComparison.Ordinal);
            Assert.Contains("outputs.principalId.value", source, StringComparison.Ordinal);
            Assert.Equal("ServicePrincipal", assignment["properties"]!["principalType"]!.GetValue<string>());
        }
    }

    [Fact]
    public void HrImports_HaveAnEventGridSubscriptionOnBlobCreatedForTheTrigger()
    {
        (JsonObject subscription, _) = Assert.Single(OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions"));

        Assert.Equal(["Microsoft.Storage.BlobCreated"], subscription["properties"]!["filter"]!["includedEventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("runtime/webhooks/blobs", subscription["properties"]!["destination"]!["properties"]!["endpointUrl"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void ParametersFile_NamesEveryRequiredParameter()
    {
        JsonObject parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.parameters.json")))!["parameters"]!.AsObject();
        IEnumerable<string> required = CompiledTemplate.Main["parameters"]!.AsObject().Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key);

        Assert.All(required, name => Assert.True(parameters.ContainsKey(name), $"main.parameters.json lacks {name}"));
    }

    /// <summary>The expression that feeds a module parameter, as the module's deployment passes it.</summary>
    private static string ParameterSource(JsonObject deployment, string parameter) =>
        deployment["properties"]!["parameters"]![parameter]!["value"]!.ToString();
}
