using System.Text.RegularExpressions;

namespace Disagg.Harness.Results;

/// <summary>
/// Whether a worker log shows the model load beginning: TensorRT-LLM's LLM API progress line (<c>Loading Model: [1/3]</c>) or a
/// <c>Loading model …</c> line (trtllm-serve and the simulator). A worker whose log has neither never got past its
/// container, filesystem or Python start-up, so a <c>/health</c> timeout there is the cluster's fault, not the model's
/// (<c>Thresholds/FailureClassifier</c>). The node comes from the launcher's own first lines (<c>node: &lt;name&gt;,</c>).
/// </summary>
public static partial class ModelLoadEvidence
{
    /// <summary>How much of a log is read: the load starts within its first lines; a huge log is not read whole.</summary>
    public const int ReadChars = 256 * 1024;

    public static ServerStart Read(string logName, string text)
    {
        var head = text.Length > ReadChars ? text[..ReadChars] : text;
        var node = NodeLine().Match(head) is { Success: true } m ? m.Groups[1].Value : null;
        return new ServerStart(logName, node, LoadLine().IsMatch(head));
    }

    [GeneratedRegex(@"(?:^|\n)(?:\d+: )?SLURM_PROCID: \d+, hostname: [^,\n]*, node: ([A-Za-z0-9][A-Za-z0-9._-]{0,63}),")]
    private static partial Regex NodeLine();

    [GeneratedRegex(@"Loading Model: \[|\bLoading model\b", RegexOptions.IgnoreCase)]
    private static partial Regex LoadLine();
}
