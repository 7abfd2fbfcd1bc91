namespace Cohorts.Domain.Learning;

/// <summary>What a step asks of a participant.</summary>
public enum StepKind
{
    /// <summary>State the use case's problem in the participant's own terms before any tool appears.</summary>
    ProblemFraming,

    /// <summary>Work on the use case with its data extract or sandbox.</summary>
    Task,

    /// <summary>A tool met where the work needs it, not in the abstract.</summary>
    ToolInContext,

    /// <summary>Reviewed work that shows the capability: expects a submission and a review.</summary>
    CapabilityDemonstration,
}

/// <summary>
/// One step of a track's path. <paramref name="DueOffset"/> is from the cohort start on the default 90-day schedule;
/// <see cref="LearningPaths.DueAt"/> scales it to the cohort's own final checkpoint.
/// </summary>
public sealed record LearningStep(string StepId, Track Track, int Order, StepKind Kind, string Title, string Instructions, TimeSpan DueOffset)
{
    /// <summary>Whether the step expects a submission and a review.</summary>
    public bool IsDemonstration => Kind == StepKind.CapabilityDemonstration;
}

/// <summary>
/// The default path of each track, problem first: every path opens by framing the cohort's use case, works it with
/// the data extract and sandbox, meets tools in context, and ends in capability demonstrations a reviewer judges.
/// </summary>
public static class LearningPaths
{
    /// <summary>The schedule the default offsets are written for.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(90);

    /// <summary>The default path of <paramref name="track"/> for <paramref name="useCase"/>, in order.</summary>
    public static IReadOnlyList<LearningStep> For(Track track, UseCase useCase)
    {
        ArgumentNullException.ThrowIfNull(useCase);
        string data = useCase.DataExtract is { Length: > 0 } extract ? $"the data extract ({extract})" : "the use case's data";
        string sandbox = useCase.SandboxUrl is { } url ? $"the sandbox ({url})" : "the sandbox";
        string tools = useCase.Tooling.Count > 0 ? string.Join(", ", useCase.Tooling) : "the tools the use case is built with";
        string prefix = TrackNames.Name(track);
        var steps = new List<(StepKind Kind, string Title, string Instructions, int Day)>
        {
            (StepKind.ProblemFraming, $"Frame '{useCase.Title}'", $"Write down the problem in your own terms: {useCase.Problem}. Who decides what with its output, and what does a wrong answer cost?", 7),
        };
        steps.AddRange(track switch
        {
            Track.Builders =>
            [
                (StepKind.Task, "Baseline model on the extract", $"Build the simplest model that answers the problem on {data} in {sandbox}; record its error on a held-out slice.", 21),
                (StepKind.ToolInContext, "Ship it the way production ships", $"Package, version and deploy the baseline with {tools}; add the monitoring production needs.", 40),
                (StepKind.CapabilityDemonstration, "Demonstration: a reviewed model change", "Submit a change that improves the model on the held-out slice, with its evaluation and rollback plan.", 60),
                (StepKind.CapabilityDemonstration, "Demonstration: production readiness", "Submit the model-risk documentation and monitoring a reviewer can sign off for production.", 85),
            ],
            Track.Translators =>
            [
                (StepKind.Task, "Requirements from the problem", $"Turn the problem into acceptance criteria a builder can test against {data}.", 21),
                (StepKind.ToolInContext, "Read the model's output", $"In {sandbox}, interpret a batch of outputs and say which ones you would act on and why.", 40),
                (StepKind.CapabilityDemonstration, "Demonstration: a decision memo", "Submit a memo that recommends how the business uses the model's output, with its limits.", 75),
            ],
            Track.Consumers =>
            [
                (StepKind.ToolInContext, "Work with the output", $"Use the model's output on real cases in {sandbox}; note where it helped and where it misled.", 21),
                (StepKind.Task, "When to override", "Write the rules you follow to override the model, with examples from your cases.", 45),
                (StepKind.CapabilityDemonstration, "Demonstration: reviewed overrides", "Submit ten cases with your decision, the model's, and your reasoning where they differ.", 75),
            ],
            Track.Governors =>
            [
                (StepKind.Task, "Risk inventory", $"List the model risks of '{useCase.Title}': data, fairness, drift, misuse.", 21),
                (StepKind.ToolInContext, "Test the controls", $"In {sandbox}, run the checks your framework asks for against {data}.", 45),
                (StepKind.CapabilityDemonstration, "Demonstration: a model-risk review", "Submit the model-risk review of the use case with findings and required remediations.", 80),
            ],
            Track.Leaders =>
            [
                (StepKind.Task, "Investment case", "State what the use case is worth, what it costs to run, and who is accountable for it.", 30),
                (StepKind.CapabilityDemonstration, "Demonstration: the board paper", "Submit the one-page paper you would take to the board on this use case.", 75),
            ],
            Track.Specialists =>
            [
                (StepKind.Task, "Retrieval over the extract", $"Build retrieval-augmented generation over {data} in {sandbox}.", 21),
                (StepKind.ToolInContext, "Evaluate the generation", $"Set up an evaluation harness with {tools}: groundedness, refusal, cost per answer.", 40),
                (StepKind.CapabilityDemonstration, "Demonstration: an evaluated assistant", "Submit the assistant with its evaluation results and its guardrails.", 70),
                (StepKind.CapabilityDemonstration, "Demonstration: generative governance", "Submit the controls for prompts, data leakage and output review that production needs.", 85),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(track), track, "not a track"),
        });
        return steps.Select((s, i) => new LearningStep($"{prefix}-{i + 1}", track, i + 1, s.Kind, s.Title, s.Instructions, TimeSpan.FromDays(s.Day))).ToList();
    }

    /// <summary>
    /// The path of <paramref name="track"/> in <paramref name="plan"/>: the cohort's own when its plan sets one for the
    /// track, the default otherwise. Step ids are <c>{track}-{n}</c> either way.
    /// </summary>
    public static IReadOnlyList<LearningStep> For(CohortPlan plan, Track track)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Paths?.TryGetValue(track, out IReadOnlyList<PathStep>? own) == true
            ? own.Select((s, i) => new LearningStep($"{TrackNames.Name(track)}-{i + 1}", track, i + 1, s.Kind, s.Title, s.Instructions, TimeSpan.FromDays(s.Day))).ToList()
            : For(track, plan.UseCase);
    }

    /// <summary>The step of <paramref name="plan"/> with id <paramref name="stepId"/> on any track, or null.</summary>
    public static LearningStep? Find(CohortPlan plan, string stepId) => Steps(plan).GetValueOrDefault(stepId);

    /// <summary>Every step of every track's path in <paramref name="plan"/>, by id: build it once where many steps are looked up.</summary>
    public static IReadOnlyDictionary<string, LearningStep> Steps(CohortPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Enum.GetValues<Track>().SelectMany(t => For(plan, t)).ToDictionary(s => s.StepId, StringComparer.Ordinal);
    }

    /// <summary>
    /// When <paramref name="step"/> is due in <paramref name="plan"/>: its offset scaled from the 90-day default to
    /// the plan's final checkpoint, so that a compressed cohort has a compressed path.
    /// </summary>
    public static DateTimeOffset DueAt(CohortPlan plan, LearningStep step)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(step);
        TimeSpan length = plan.Checkpoints.Count > 0 ? plan.Checkpoints[^1] : DefaultLength;
        return plan.StartsAt + TimeSpan.FromTicks((long)(step.DueOffset.Ticks * (length.Ticks / (double)DefaultLength.Ticks)));
    }
}
