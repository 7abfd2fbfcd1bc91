namespace Cohorts.Domain.Enrolment;

/// <summary>
/// The rule set a cohort gets unless it brings its own. Job titles first (the most specific signal), then department
/// and job family. Order matters: executives and directors before anything that mentions their function, ML titles
/// before generic engineering, technical managers before operational ones. A bare "Manager" matches nothing on
/// purpose: without a function it could be any track, so an admin decides.
/// </summary>
public static class DefaultSegmentationRules
{
    /// <summary>The rules, in order.</summary>
    public static IReadOnlyList<SegmentationRule> All { get; } =
    [
        new("title-executive", HrField.JobTitle, @"\b(chief|ceo|cio|cdo|cto|cfo|coo|president|vice president|vp|svp|evp|head of)\b", Track.Leaders,
            "executive title: investment, accountability and board communication"),
        new("title-director", HrField.JobTitle, @"\bdirector\b", Track.Leaders,
            "director title: leads a business unit or function"),
        new("title-governance", HrField.JobTitle, @"\b(risk|compliance|legal|counsel|lawyer|attorney|audit|auditor|governance|privacy|regulatory)\b", Track.Governors,
            "risk, compliance, legal or audit title"),
        new("title-genai", HrField.JobTitle, @"\b(gen ?ai|generative|llm|prompt|rag|nlp|ai engineer|ai architect|ai researcher)\b", Track.Specialists,
            "generative-AI title: model capabilities and evaluation"),
        new("title-ml", HrField.JobTitle, @"\b(data scientist|scientist|machine learning|ml|mlops|ml ops|deep learning|computer vision)\b", Track.Builders,
            "data science or ML title: applied model development"),
        new("title-tech-manager", HrField.JobTitle, @"\b(it|engineering|product|program|project|technology)\b.*\bmanager\b|\bproduct owner\b", Track.Translators,
            "technical or product manager: frames use cases and requirements"),
        new("title-data-stack", HrField.JobTitle, @"\b(data architect|data engineer|database|dba|bi developer|etl|software engineer|software developer|developer|programmer)\b", Track.Builders,
            "data platform or software title: builds on the organisation's stack"),
        new("title-analyst", HrField.JobTitle, @"\b(analyst|architect|business partner|project lead|consultant)\b", Track.Translators,
            "analyst or architect title: interprets outputs for the business"),
        new("title-operations-manager", HrField.JobTitle, @"\b(sales|production|services|operations|store|shift|plant|office|facilities|area|branch) manager\b", Track.Consumers,
            "operational manager: works with AI outputs in daily operations"),
        new("title-operational", HrField.JobTitle, @"\b(technician|representative|executive|assistant|accountant|support|engineer|clerk|agent|operator|associate|specialist|officer|coordinator|nurse|human resources|recruiter|administrator|advisor|adviser|cashier|driver)\b", Track.Consumers,
            "operational role: uses AI tools and their outputs"),
        new("department-governance", HrField.Department, @"\b(risk|compliance|legal|audit|governance)\b", Track.Governors,
            "works in a risk, compliance, legal or audit department"),
        new("department-data", HrField.Department, @"\b(data science|analytics|machine learning|artificial intelligence|ai)\b", Track.Builders,
            "works in a data science or AI department"),
        new("family-governance", HrField.JobFamily, @"\b(risk|compliance|legal|audit)\b", Track.Governors,
            "job family in risk, compliance, legal or audit"),
        new("family-data", HrField.JobFamily, @"\b(data science|machine learning|analytics engineering)\b", Track.Builders,
            "job family in data science"),
    ];
}
