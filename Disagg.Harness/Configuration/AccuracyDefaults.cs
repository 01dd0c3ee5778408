namespace Disagg.Harness.Configuration;

/// <summary>
/// Hypothesis-test defaults per dataset, used for the keys a <c>metadata.accuracy.datasets</c> entry leaves out
/// (alpha, beta, sigma, num_samples, higher_is_better); <see cref="Fallback"/> for a dataset not listed.
/// </summary>
public static class AccuracyDefaults
{
    public sealed record Parameters(double Alpha, double Beta, double Sigma, int NumSamples, bool HigherIsBetter);

    public static readonly Parameters Fallback = new(0.05, 0.2, 50, 1000, true);

    public static readonly IReadOnlyDictionary<string, Parameters> ByDataset = new Dictionary<string, Parameters>(StringComparer.Ordinal)
    {
        ["aime25"] = new(0.05, 0.2, 50, 30, true),
        ["gsm8k"] = new(0.05, 0.2, 50, 1319, true),
        ["mmlu"] = new(0.05, 0.2, 50, 4096, true),
        ["humaneval"] = new(0.002, 0.2, 15.08, 164, true),
        ["cnn_dailymail"] = new(0.002, 0.2, 11.06, 512, true),
        ["gpqa_diamond"] = new(0.05, 0.2, 50, 198, true),
        ["gpqa_diamond_local"] = new(0.05, 0.2, 50, 198, true),
        ["json_mode_eval"] = new(0.05, 0.2, 50, 100, true),
        ["mmmu"] = new(0.05, 0.2, 50, 900, true),
        ["passkey_retrieval_64k"] = new(0.5, 0.2, 0, 20, true),
        ["passkey_retrieval_128k"] = new(0.5, 0.2, 0, 20, true),
        ["zero_scrolls"] = new(0.002, 0.2, 6.97, 80, true),
        ["slimpajama-6b"] = new(0.01, 0.2, 4.48, 86, false),
    };

    public static Parameters For(string dataset) => ByDataset.TryGetValue(dataset, out var p) ? p : Fallback;
}
