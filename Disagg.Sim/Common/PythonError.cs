namespace Disagg.Sim.Common;

/// <summary>
/// A fatal error reported the way a Python process reports an uncaught exception: a <c>Traceback</c> block on
/// stderr ending in <c>Type: message</c>, then exit code 1.
/// </summary>
internal sealed class PythonError(string pythonType, string message, IReadOnlyList<string> frames) : Exception(message)
{
    public string PythonType { get; } = pythonType;

    public IReadOnlyList<string> Frames { get; } = frames;

    /// <summary>The last line, e.g. <c>RuntimeError: CUDA error: ...</c>.</summary>
    public string FinalLine => $"{PythonType}: {Message}";

    /// <summary>Writes the traceback to stderr and flushes both streams.</summary>
    public void Print()
    {
        var err = Console.Error;
        err.WriteLine("Traceback (most recent call last):");
        foreach (var frame in Frames)
        {
            err.WriteLine(frame);
        }

        err.WriteLine(FinalLine);
        err.Flush();
        Console.Out.Flush();
    }

    /// <summary>Prints the traceback and ends the process at once with exit code 1 (a crash, not a shutdown).</summary>
    public void PrintAndExit()
    {
        Print();
        Environment.Exit(1);
    }
}
