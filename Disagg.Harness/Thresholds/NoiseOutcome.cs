namespace Disagg.Harness.Thresholds;

/// <summary>What the noise-aware rule says about one metric at one concurrency.</summary>
public enum NoiseOutcome
{
    /// <summary>Too little history for a noise estimate: the fixed rule judges instead.</summary>
    NotJudged,
    Pass,
    /// <summary>Cannot be decided yet: repeat the concurrency inside the allocation.</summary>
    Suspect,
    Regression,
}
