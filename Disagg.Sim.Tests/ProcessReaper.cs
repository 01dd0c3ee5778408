using Disagg.Sim.Tests.Support;

namespace Disagg.Sim.Tests;

/// <summary>Last line of defence: kills any simulator child process a test failed to stop.</summary>
[SetUpFixture]
public sealed class ProcessReaper
{
    [OneTimeTearDown]
    public void KillLeftovers()
    {
        foreach (var process in SimProcess.Started)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone or already disposed.
            }
        }
    }
}
