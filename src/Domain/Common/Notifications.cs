namespace Cohorts.Domain;

/// <summary>A file sent with a message; inline ones are referred to from the HTML by <c>cid:{ContentId}</c>.</summary>
public sealed record MessageAttachment(string FileName, string ContentType, byte[] Content, string? ContentId = null);

/// <summary>
/// A message to send. <see cref="MessageId"/> is deterministic (the same message has the same id on every retry): the
/// notifier uses it as its sent-marker.
/// </summary>
public sealed record OutboundMessage(
    string MessageId,
    IReadOnlyList<string> To,
    string Subject,
    string Text,
    string? Html = null,
    IReadOnlyList<MessageAttachment>? Attachments = null);
