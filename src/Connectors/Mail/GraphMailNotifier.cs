using Cohorts.Domain;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;

namespace Cohorts.Connectors.Mail;

/// <summary>
/// The notifier in Azure: Microsoft Graph <c>sendMail</c> from the mailbox <paramref name="sender"/>, as the app's
/// identity (Mail.Send), 429s honoured by the client's retry handler. Graph's sendMail has no idempotency key, so each
/// message carries its id in a custom extended property and the internet header <c>X-Cohorts-Message-Id</c>, and a send
/// first looks for that id in the sender's Sent Items. What is left: Graph files the sent copy a few seconds after it
/// answers 202, so a retry inside that window (an activity that died right after sending) can send a second copy.
/// </summary>
public sealed class GraphMailNotifier(GraphServiceClient graph, string sender) : INotifier
{
    /// <summary>The extended property (a named string property in the PS_PUBLIC_STRINGS set) that holds the message id.</summary>
    public const string MessageIdProperty = "String {00020329-0000-0000-C000-000000000046} Name CohortsMessageId";

    /// <inheritdoc/>
    public async Task<bool> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await WasSentAsync(message.MessageId, cancellationToken))
        {
            return false;
        }

        await graph.Users[sender].SendMail.PostAsync(new SendMailPostRequestBody { Message = ToGraph(message), SaveToSentItems = true }, cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>Whether Sent Items holds a message with this id.</summary>
    public async Task<bool> WasSentAsync(string messageId, CancellationToken cancellationToken)
    {
        string literal = messageId.Replace("'", "''", StringComparison.Ordinal);
        MessageCollectionResponse? found = await graph.Users[sender].MailFolders["SentItems"].Messages.GetAsync(
            request =>
            {
                request.QueryParameters.Filter = $"singleValueExtendedProperties/Any(ep: ep/id eq '{MessageIdProperty}' and ep/value eq '{literal}')";
                request.QueryParameters.Select = ["id"];
                request.QueryParameters.Top = 1;
            },
            cancellationToken);
        return found?.Value is { Count: > 0 };
    }

    /// <summary>The Graph message: HTML (or text) body, recipients, inline and attached files, and the id markers.</summary>
    public static Message ToGraph(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Message
        {
            Subject = message.Subject,
            Body = message.Html is { } html
                ? new ItemBody { ContentType = BodyType.Html, Content = html }
                : new ItemBody { ContentType = BodyType.Text, Content = message.Text },
            ToRecipients = message.To.Select(to => new Recipient { EmailAddress = new EmailAddress { Address = to } }).ToList(),
            InternetMessageHeaders = [new InternetMessageHeader { Name = "X-Cohorts-Message-Id", Value = message.MessageId }],
            SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = MessageIdProperty, Value = message.MessageId }],
            Attachments = (message.Attachments ?? []).Select(a => (Attachment)new FileAttachment
            {
                OdataType = "#microsoft.graph.fileAttachment",
                Name = a.FileName,
                ContentType = a.ContentType,
                ContentBytes = a.Content,
                ContentId = a.ContentId,
                IsInline = a.ContentId is not null,
            }).ToList(),
        };
    }
}

/// <summary>The notifier of a host where no mail is configured: says so, naming the setting.</summary>
public sealed class UnconfiguredNotifier : INotifier
{
    /// <inheritdoc/>
    public Task<bool> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No mail is configured on this host: set Notifications:Sender (the mailbox Graph sendMail sends from).");
}
