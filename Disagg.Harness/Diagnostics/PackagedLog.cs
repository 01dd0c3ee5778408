using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Execution;

namespace Disagg.Harness.Diagnostics;

/// <summary>One log as it goes into a package: its name in the workspace and its (already redacted) text.</summary>
public sealed record PackagedLog(string Name, string Text);
