using System.Text;
using System.Text.Json;
using Cohorts.Api;
using Cohorts.Application.Cohorts;
using Cohorts.Domain;
using Cohorts.Functions.Http;
using Cohorts.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cohorts.Functions.Tests;

/// <summary>The HTTP functions, called directly with substitutes for the durable client and the store.</summary>
public class ApiFunctionsTests
{
    private readonly DurableTaskClient client = Substitute.For<DurableTaskClient>("test");
    private readonly ICohortStore store = Substitute.For<ICohortStore>();
    private readonly Cohorts.Domain.Access.IAuditLog audit = Substitute.For<Cohorts.Domain.Access.IAuditLog>();
    private readonly ApiFunctions functions;

    public ApiFunctionsTests()
    {
        store.CreateAsync(Arg.Any<CohortRecord>(), Arg.Any<CancellationToken>())
            .Returns(call => (call.Arg<CohortRecord>(), true));
        functions = new ApiFunctions(new CohortEndpoints(new CohortService(store, Substitute.For<Cohorts.Domain.Enrolment.IRosterStore>(), Substitute.For<Cohorts.Domain.Reviews.ISubmissionStore>(), Substitute.For<Cohorts.Domain.Events.IEventOutbox>(), TimeProvider.System, Substitute.For<Cohorts.Domain.Learning.IStatementStore>(),
            new Cohorts.Application.Practice.SandboxOptions(), new Cohorts.Workflows.Activities.CommunityOptions(), Substitute.For<Cohorts.Domain.Practice.ICommunityStore>())), new SystemEndpoints(store));
    }

    /// <summary>An App Service authentication principal header, shaped as the platform sends it.</summary>
    private static string Principal(params string[] roles) => PrincipalWithEmail("ada@example.com", roles);

    private static string PrincipalWithEmail(string email, params string[] roles)
    {
        var claims = new List<object>
        {
            new { typ = "name", val = "Ada Admin" },
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = "00000000-0000-0000-0000-000000000001" },
            new { typ = "preferred_username", val = email },
        };
        claims.AddRange(roles.Select(r => new { typ = "roles", val = r }));
        string json = JsonSerializer.Serialize(new { auth_typ = "aad", claims, name_typ = "name", role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role" });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    private HttpRequest Request(string? principal, string? json = null, string path = "/api/cohorts")
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddSingleton(new CohortAccess(store)).AddSingleton(new RequestAudit(audit, TimeProvider.System)).BuildServiceProvider(),
        };
        context.Request.Path = path;
        if (principal is not null)
        {
            context.Request.Headers["X-MS-CLIENT-PRINCIPAL"] = principal;
        }

        if (json is not null)
        {
            byte[] body = Encoding.UTF8.GetBytes(json);
            context.Request.Body = new MemoryStream(body);
            context.Request.ContentLength = body.Length;
            context.Request.ContentType = "application/json";
        }

        return context.Request;
    }

    private static ApiResult Result(IActionResult action) => Assert.IsType<ApiResult>(Assert.IsType<FunctionGate.ResultAction>(action).Result);

    private const string Plan = """{"id":"fn-1","name":"N","useCase":{"title":"T","problem":"P"},"checkpoints":["PT5S"],"leaders":["l@example.com"],"programLead":"p@example.com"}""";

    [Fact]
    public async Task CreateCohort_AsHr_Gives201AndSchedulesTheLifecycleUnderItsDeterministicId()
    {
        ApiResult result = Result(await functions.CreateCohort(Request(Principal("hr"), Plan), client, CancellationToken.None));

        Assert.Equal(201, result.StatusCode);
        Assert.Equal("/api/cohorts/fn-1", result.Headers["Location"]);
        await client.Received(1).ScheduleNewOrchestrationInstanceAsync(
            Arg.Is<TaskName>(n => n.Name == "CohortLifecycleOrchestrator"),
            Arg.Any<object?>(),
            Arg.Is<StartOrchestrationOptions?>(o => o!.InstanceId == InstanceIds.Lifecycle("fn-1")),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task CreateCohort_IsAudited_WithTheCallersIdAndRole_AndWhatItCreated()
    {
        await functions.CreateCohort(Request(Principal("hr"), Plan), client, CancellationToken.None);

        await audit.Received(1).AppendAsync(
            Arg.Is<IReadOnlyList<Cohorts.Domain.Access.AuditEntry>>(entries => entries.Count == 1
                && entries[0].ActorId == "00000000-0000-0000-0000-000000000001" && entries[0].ActorRole == "hr" && entries[0].Action == "createCohort"
                && entries[0].Targets["created"] == "fn-1" && entries[0].Outcome == "succeeded" && entries[0].Status == 201),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task CreateCohort_WithoutAPrincipal_Gives401AndTouchesNothing()
    {
        ApiResult result = Result(await functions.CreateCohort(Request(null, Plan), client, CancellationToken.None));

        Assert.Equal(401, result.StatusCode);
        Assert.Equal("unauthenticated", Assert.IsType<ApiProblem>(result.Value).Code);
        await store.DidNotReceiveWithAnyArgs().CreateAsync(default!, default);
    }

    [Fact]
    public async Task CreateCohort_AsLeader_Gives403()
    {
        ApiResult result = Result(await functions.CreateCohort(Request(Principal("leader"), Plan), client, CancellationToken.None));

        Assert.Equal(403, result.StatusCode);
        await client.DidNotReceiveWithAnyArgs().ScheduleNewOrchestrationInstanceAsync(default, default, default, default);
    }

    [Fact]
    public async Task CreateCohort_AsAdmin_IsAllowed()
    {
        Assert.Equal(201, Result(await functions.CreateCohort(Request(Principal("admin"), Plan), client, CancellationToken.None)).StatusCode);
    }

    [Fact]
    public async Task CreateCohort_InvalidPlan_Gives400NamingTheField()
    {
        ApiResult result = Result(await functions.CreateCohort(Request(Principal("hr"), Plan.Replace("\"PT5S\"", "\"P1M\"", StringComparison.Ordinal)), client, CancellationToken.None));

        Assert.Equal(400, result.StatusCode);
        Assert.Equal("checkpoints[0]", Assert.IsType<ApiProblem>(result.Value).Field);
    }

    [Fact]
    public async Task GetCohort_UnknownAsLeader_Gives404()
    {
        ApiResult result = Result(await functions.GetCohort(Request(Principal("leader"), path: "/api/cohorts/nope"), "nope", client, CancellationToken.None));

        Assert.Equal(404, result.StatusCode);
    }

    [Fact]
    public async Task GetCohort_AsALeader_ByTheirTokensName_SeesTheCohortTheyLead_AndNotAnother()
    {
        CohortPlan plan = CohortPlanFactory.Create(System.Text.Json.JsonSerializer.Deserialize<CohortPlanDraft>(Plan, Cohorts.Connectors.Json.CohortsJson.StrictInput)!, DateTimeOffset.UtcNow).Plan!;
        store.GetAsync("fn-1", Arg.Any<CancellationToken>()).Returns(new CohortRecord(plan, "f", CohortStatus.Running, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, []));

        ApiResult theirs = Result(await functions.GetCohort(Request(PrincipalWithEmail("L@example.com", "leader"), path: "/api/cohorts/fn-1"), "fn-1", client, CancellationToken.None));
        ApiResult other = Result(await functions.GetCohort(Request(PrincipalWithEmail("someone@example.com", "leader"), path: "/api/cohorts/fn-1"), "fn-1", client, CancellationToken.None));

        Assert.Equal(200, theirs.StatusCode);
        Assert.Equal((404, "cohortNotFound"), (other.StatusCode, Assert.IsType<ApiProblem>(other.Value).Code));
    }

    [Fact]
    public async Task Health_WithoutAPrincipal_AnswersWithBackendReachability()
    {
        ApiResult result = Result(await functions.Health(Request(null), client, CancellationToken.None));

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("healthy", Assert.IsType<HealthView>(result.Value).Status);
    }

    [Fact]
    public async Task Health_StoreDown_Gives503NamingIt()
    {
        store.GetAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns<CohortRecord?>(_ => throw new IOException("down"));

        ApiResult result = Result(await functions.Health(Request(null), client, CancellationToken.None));

        Assert.Equal(503, result.StatusCode);
        Assert.StartsWith("unreachable", Assert.IsType<HealthView>(result.Value).Storage, StringComparison.Ordinal);
    }

    [Fact]
    public void Principal_FromTheHeader_CarriesItsAppRoles()
    {
        var user = Auth.AppServicePrincipal.Read(Request(Principal("hr", "leader")))!;

        Assert.True(user.Identity!.IsAuthenticated);
        Assert.True(user.IsInRole("hr"));
        Assert.True(user.IsInRole("leader"));
        Assert.False(user.IsInRole("admin"));
        Assert.Equal("Ada Admin", user.Identity.Name);
    }

    [Fact]
    public void Principal_GarbledHeader_IsNoPrincipal()
    {
        Assert.Null(Auth.AppServicePrincipal.Read(Request("not base64 {")));
    }
}
