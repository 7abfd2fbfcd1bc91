using System.Net;
using System.Net.Sockets;

namespace Cohorts.Connectors.Storage;

/// <summary>Free loopback ports, for the sidecar, Azurite, and the tests and benchmarks that start servers.</summary>
public static class LoopbackPorts
{
    /// <summary><paramref name="count"/> distinct ports free at the time of asking (held together, so never the same one twice).</summary>
    public static int[] Free(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>One free port.</summary>
    public static int Free() => Free(1)[0];
}
