namespace Cohorts.Domain;

/// <summary>Sends messages at most once per message id.</summary>
public interface INotifier
{
    /// <summary>Sends <paramref name="message"/> unless a message with its id was sent; true when this call sent it.</summary>
    Task<bool> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
