using System.Net;
using System.Net.Sockets;

namespace Cohorts.Server.Hosting;

/// <summary>A start refused before anything was touched: printed as one line, the process exits with code 2.</summary>
public sealed class StartRefusedException(string message) : Exception(message);

/// <summary>
/// What a server checks before it touches storage: that no live server holds its data folder (an exclusive lock held
/// for the life of the process, released by the operating system even after a crash) and that its API addresses are
/// free. A second server refused here leaves the first one, and its Azurite, as they were.
/// </summary>
public sealed class StartupGuard : IDisposable
{
    private readonly FileStream folderLock;

    private StartupGuard(FileStream folderLock) => this.folderLock = folderLock;

    /// <summary>Takes the data folder and checks the addresses; throws <see cref="StartRefusedException"/> naming what is taken.</summary>
    public static StartupGuard Take(string dataFolder, IReadOnlyList<IPEndPoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(dataFolder);
        ArgumentNullException.ThrowIfNull(endpoints);
        string folder = Path.GetFullPath(dataFolder);
        Directory.CreateDirectory(folder);
        FileStream held;
        try
        {
            held = new FileStream(Path.Combine(folder, "server.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new StartRefusedException($"The data folder {folder} is already served by a running Cohorts server; stop it first, or start this one with another Server:DataFolder.");
        }

        try
        {
            foreach (IPEndPoint endpoint in endpoints)
            {
                using var probe = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ExclusiveAddressUse = true };
                try
                {
                    probe.Bind(endpoint);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
                {
                    throw new StartRefusedException($"http://{endpoint} is already in use (another server?); nothing was started. Stop it, or set urls to a free address.");
                }
            }
        }
        catch
        {
            held.Dispose();
            throw;
        }

        return new StartupGuard(held);
    }

    /// <inheritdoc/>
    public void Dispose() => folderLock.Dispose();
}
