using Cohorts.Domain;
using Cohorts.Domain.Access;
using MimeKit;

namespace Cohorts.Connectors.Mail;

/// <summary>
/// The self-hosted notifier: every message becomes a real MIME file, <c>{messageId}.eml</c>, in an outbox folder a
/// person can open with any mail client. The file is its own sent-marker: it is written under a temporary name and
/// moved into place without overwriting, so a retried send (or two at once) leaves exactly one message.
/// </summary>
public sealed class EmlOutbox(string folder, string from, TimeProvider time) : INotifier, IPersonalDataHolder
{
    /// <inheritdoc/>
    public string Kind => "messages";

    /// <summary>
    /// Deletes every message addressed to the person or naming them (an address or a name in a header or the text),
    /// read as MIME, so that encoded headers and bodies are searched as their reader sees them.
    /// </summary>
    public async Task<int> EraseAsync(PersonToErase person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (!Directory.Exists(Folder) || person.Identifiers.Count == 0)
        {
            return 0;
        }

        int deleted = 0;
        foreach (string file in Directory.EnumerateFiles(Folder, "*.eml"))
        {
            bool mentions;
            using (MimeMessage message = await MimeMessage.LoadAsync(file, cancellationToken))
            {
                string text = string.Join('\n', message.Headers.Select(h => h.Value)) + '\n' + message.TextBody + '\n' + message.HtmlBody;
                mentions = person.Identifiers.Any(i => text.Contains(i, StringComparison.OrdinalIgnoreCase));
            }

            if (mentions)
            {
                File.Delete(file);
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>The folder the messages are written to.</summary>
    public string Folder { get; } = folder;

    /// <summary>The file a message id is written to.</summary>
    public string PathOf(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        string safe = string.Concat(messageId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return Path.Combine(Folder, safe + ".eml");
    }

    /// <inheritdoc/>
    public async Task<bool> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        string target = PathOf(message.MessageId);
        if (File.Exists(target))
        {
            return false;
        }

        Directory.CreateDirectory(Folder);
        string temporary = Path.Combine(Folder, $".{Guid.NewGuid():N}.tmp");
        using (MimeMessage mime = Compose(message, from, time.GetUtcNow()))
        {
            await mime.WriteToAsync(temporary, cancellationToken);
        }

        try
        {
            File.Move(temporary, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(temporary); // another attempt sent it first
            return false;
        }
    }

    /// <summary>The MIME message dated <paramref name="date"/>: text and HTML alternatives, inline images by content id, attachments.</summary>
    public static MimeMessage Compose(OutboundMessage message, string from, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = new MimeMessage { Subject = message.Subject, MessageId = MimeId(message.MessageId), Date = date };
        mime.From.Add(MailboxAddress.Parse(from));
        foreach (string to in message.To)
        {
            mime.To.Add(MailboxAddress.Parse(to));
        }

        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html };
        foreach (MessageAttachment attachment in message.Attachments ?? [])
        {
            MimeEntity part = attachment.ContentId is not null && message.Html is not null
                ? body.LinkedResources.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType))
                : body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
            if (attachment.ContentId is { } id)
            {
                part.ContentId = id;
            }
        }

        mime.Body = body.ToMessageBody();
        mime.Headers.Add("X-Cohorts-Message-Id", message.MessageId);
        return mime;
    }

    /// <summary>An RFC 5322 message id for a product message id.</summary>
    public static string MimeId(string messageId) =>
        string.Concat((messageId ?? throw new ArgumentNullException(nameof(messageId))).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-')) + "@cohorts.local";
}
