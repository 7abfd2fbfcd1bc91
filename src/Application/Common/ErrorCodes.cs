using System.Reflection;

namespace Cohorts.Application;

/// <summary>
/// Every error code the API answers with, in one list: the OpenAPI document's <c>Problem.code</c> enumeration must equal
/// <see cref="All"/>, and a test provokes each one.
/// </summary>
public static class ErrorCodes
{
    /// <summary><c>unauthenticated</c>.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary><c>forbidden</c>.</summary>
    public const string Forbidden = "forbidden";

    /// <summary><c>badRequest</c>.</summary>
    public const string BadRequest = "badRequest";

    /// <summary><c>invalidJson</c>.</summary>
    public const string InvalidJson = "invalidJson";

    /// <summary><c>missingField</c>.</summary>
    public const string MissingField = "missingField";

    /// <summary><c>invalidQuery</c>.</summary>
    public const string InvalidQuery = "invalidQuery";

    /// <summary><c>valueTooLong</c>: a string in the body over its limit.</summary>
    public const string ValueTooLong = "valueTooLong";

    /// <summary><c>tooManyItems</c>: a list or map in the body over its limit.</summary>
    public const string TooManyItems = "tooManyItems";

    /// <summary><c>payloadTooLarge</c>.</summary>
    public const string PayloadTooLarge = "payloadTooLarge";

    /// <summary><c>unsupportedMediaType</c>.</summary>
    public const string UnsupportedMediaType = "unsupportedMediaType";

    /// <summary><c>internalError</c>.</summary>
    public const string InternalError = "internalError";

    /// <summary><c>idempotencyKeyReused</c>: the key was first sent with another body.</summary>
    public const string IdempotencyKeyReused = "idempotencyKeyReused";

    /// <summary><c>invalidIdempotencyKey</c>.</summary>
    public const string InvalidIdempotencyKey = "invalidIdempotencyKey";

    /// <summary><c>busy</c>: concurrent changes kept the store from taking this one; retry after the Retry-After seconds.</summary>
    public const string Busy = "busy";

    /// <summary><c>invalidPlan</c>.</summary>
    public const string InvalidPlan = "invalidPlan";

    /// <summary><c>cohortNotFound</c>.</summary>
    public const string CohortNotFound = "cohortNotFound";

    /// <summary><c>cohortConflict</c>.</summary>
    public const string CohortConflict = "cohortConflict";

    /// <summary><c>immutableField</c>.</summary>
    public const string ImmutableField = "immutableField";

    /// <summary><c>preconditionRequired</c>.</summary>
    public const string PreconditionRequired = "preconditionRequired";

    /// <summary><c>preconditionFailed</c>.</summary>
    public const string PreconditionFailed = "preconditionFailed";

    /// <summary><c>invalidSubscription</c>.</summary>
    public const string InvalidSubscription = "invalidSubscription";

    /// <summary><c>subscriptionNotFound</c>.</summary>
    public const string SubscriptionNotFound = "subscriptionNotFound";

    /// <summary><c>cohortClosed</c>.</summary>
    public const string CohortClosed = "cohortClosed";

    /// <summary><c>invalidGroup</c>.</summary>
    public const string InvalidGroup = "invalidGroup";

    /// <summary><c>importNotFound</c>.</summary>
    public const string ImportNotFound = "importNotFound";

    /// <summary><c>importNotAwaitingApply</c>.</summary>
    public const string ImportNotAwaitingApply = "importNotAwaitingApply";

    /// <summary><c>leaverThresholdExceeded</c>.</summary>
    public const string LeaverThresholdExceeded = "leaverThresholdExceeded";

    /// <summary><c>participantNotFound</c>.</summary>
    public const string ParticipantNotFound = "participantNotFound";

    /// <summary><c>participantSuspended</c>.</summary>
    public const string ParticipantSuspended = "participantSuspended";

    /// <summary><c>invalidTrack</c>.</summary>
    public const string InvalidTrack = "invalidTrack";

    /// <summary><c>invalidArtifactUrl</c>.</summary>
    public const string InvalidArtifactUrl = "invalidArtifactUrl";

    /// <summary><c>notADemonstration</c>.</summary>
    public const string NotADemonstration = "notADemonstration";

    /// <summary><c>participantNotActive</c>.</summary>
    public const string ParticipantNotActive = "participantNotActive";

    /// <summary><c>xapiVersionRequired</c>: an xAPI request without <c>X-Experience-API-Version: 1.0.x</c>.</summary>
    public const string XapiVersionRequired = "xapiVersionRequired";

    /// <summary><c>invalidStatement</c>: not an xAPI statement Cohorts can keep.</summary>
    public const string InvalidStatement = "invalidStatement";

    /// <summary><c>statementConflict</c>: a statement id stored before with other content.</summary>
    public const string StatementConflict = "statementConflict";

    /// <summary><c>statementNotFound</c>.</summary>
    public const string StatementNotFound = "statementNotFound";

    /// <summary><c>participantInComparisonGroup</c>: comparison people take no steps and submit no work.</summary>
    public const string ParticipantInComparisonGroup = "participantInComparisonGroup";

    /// <summary><c>reviewInProgress</c>.</summary>
    public const string ReviewInProgress = "reviewInProgress";

    /// <summary><c>alreadyAccepted</c>.</summary>
    public const string AlreadyAccepted = "alreadyAccepted";

    /// <summary><c>noReviewer</c>.</summary>
    public const string NoReviewer = "noReviewer";

    /// <summary><c>submissionNotFound</c>.</summary>
    public const string SubmissionNotFound = "submissionNotFound";

    /// <summary><c>invalidVerdict</c>.</summary>
    public const string InvalidVerdict = "invalidVerdict";

    /// <summary><c>invalidFeedback</c>.</summary>
    public const string InvalidFeedback = "invalidFeedback";

    /// <summary><c>invalidRubric</c>.</summary>
    public const string InvalidRubric = "invalidRubric";

    /// <summary><c>notYourReview</c>.</summary>
    public const string NotYourReview = "notYourReview";

    /// <summary><c>alreadyDecided</c>.</summary>
    public const string AlreadyDecided = "alreadyDecided";

    /// <summary><c>unknownLmsFormat</c>.</summary>
    public const string UnknownLmsFormat = "unknownLmsFormat";

    /// <summary><c>invalidCompletions</c>.</summary>
    public const string InvalidCompletions = "invalidCompletions";

    /// <summary><c>eventIdTaken</c>.</summary>
    public const string EventIdTaken = "eventIdTaken";

    /// <summary><c>unknownCheckpoint</c>.</summary>
    public const string UnknownCheckpoint = "unknownCheckpoint";

    /// <summary><c>reportNotReady</c>.</summary>
    public const string ReportNotReady = "reportNotReady";

    /// <summary><c>invalidEventId</c>.</summary>
    public const string InvalidEventId = "invalidEventId";

    /// <summary><c>invalidType</c>.</summary>
    public const string InvalidType = "invalidType";

    /// <summary><c>occurredInFuture</c>.</summary>
    public const string OccurredInFuture = "occurredInFuture";

    /// <summary><c>occurredBeforeStart</c>.</summary>
    public const string OccurredBeforeStart = "occurredBeforeStart";

    /// <summary><c>fieldNotForType</c>.</summary>
    public const string FieldNotForType = "fieldNotForType";

    /// <summary><c>invalidLink</c>.</summary>
    public const string InvalidLink = "invalidLink";

    /// <summary><c>missingResult</c>.</summary>
    public const string MissingResult = "missingResult";

    /// <summary><c>invalidFindings</c>.</summary>
    public const string InvalidFindings = "invalidFindings";

    /// <summary><c>invalidHours</c>.</summary>
    public const string InvalidHours = "invalidHours";

    /// <summary><c>erasureNotFound</c>.</summary>
    public const string ErasureNotFound = "erasureNotFound";

    /// <summary><c>invalidErasure</c>.</summary>
    public const string InvalidErasure = "invalidErasure";

    /// <summary><c>cohortNotStarted</c>.</summary>
    public const string CohortNotStarted = "cohortNotStarted";

    /// <summary><c>noDataExtract</c>.</summary>
    public const string NoDataExtract = "noDataExtract";

    /// <summary><c>invalidFileName</c>.</summary>
    public const string InvalidFileName = "invalidFileName";

    /// <summary>Every code above.</summary>
    public static IReadOnlyList<string> All { get; } = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
}
