namespace Cohorts.Domain;

/// <summary>One reason a plan was rejected: the field at fault (a JSON path such as <c>checkpoints[1]</c>), a stable code and a message.</summary>
public sealed record PlanError(string Field, string Code, string Message);
