namespace Cohorts.Domain;

/// <summary>The six role tracks a participant can be placed on; each has its own learning path.</summary>
public enum Track
{
    /// <summary>Data scientists and ML engineers: applied model development, MLOps, deployment, monitoring.</summary>
    Builders,

    /// <summary>Product managers, business analysts, project leads: framing, requirements, interpretation.</summary>
    Translators,

    /// <summary>Operational staff using AI tools: working with outputs, when to override, feedback.</summary>
    Consumers,

    /// <summary>Risk, compliance, legal, audit: model risk, regulation, evaluating AI decisions.</summary>
    Governors,

    /// <summary>CIO, CDO, VPs, business-unit heads: investment, accountability, board communication.</summary>
    Leaders,

    /// <summary>GenAI engineers, LLM fine-tuners, RAG architects: capabilities, evaluation, generative governance.</summary>
    Specialists,
}
