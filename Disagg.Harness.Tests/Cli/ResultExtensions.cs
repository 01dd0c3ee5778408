using Disagg.Harness.Cli;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Tests.Publishing;

namespace Disagg.Harness.Tests.Cli;

internal static class ResultExtensions
{
    public static T Also<T>(this T value, Action action)
    {
        action();
        return value;
    }
}
