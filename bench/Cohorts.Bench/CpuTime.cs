using System.Globalization;

namespace Cohorts.Bench;

/// <summary>
/// The processor time a process has used so far (user and system, from <c>/proc/{pid}/stat</c>), so that a benchmark
/// can say where its seconds went: on this machine the emulator serves every request on one thread, and a run whose
/// emulator was busy for as long as the run took was bounded by it, not by the product.
/// </summary>
internal static class CpuTime
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux the benchmarks run on

    /// <summary>Seconds of processor time <paramref name="pid"/> has used; 0 when it is gone (or not on Linux).</summary>
    public static double Of(int pid)
    {
        try
        {
            // the fields after the command name (which may hold spaces) are split on spaces: utime and stime are 12th and 13th
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Seconds of processor time this process has used.</summary>
    public static double OfThisProcess() => Of(Environment.ProcessId);
}
