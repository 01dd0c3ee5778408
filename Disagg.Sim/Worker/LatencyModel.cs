using Disagg.Sim.Common;

namespace Disagg.Sim.Worker;

/// <summary>The simulated GPU costs, from environment variables (milliseconds).</summary>
internal sealed record LatencyModel(
    double PrefillMsPerToken,
    double DecodeStepMs,
    double DecodeMsPerSeq,
    double KvTransferMsPerToken,
    double LoadMs)
{
    public static LatencyModel FromEnvironment() => new(
        EnvSettings.NonNegative("SIM_PREFILL_MS_PER_TOKEN", 0.02),
        EnvSettings.NonNegative("SIM_DECODE_STEP_MS", 4),
        EnvSettings.NonNegative("SIM_DECODE_MS_PER_SEQ", 0.05),
        EnvSettings.NonNegative("SIM_KV_TRANSFER_MS_PER_TOKEN", 0.002),
        EnvSettings.NonNegative("SIM_LOAD_MS", 1500));

    /// <summary>Duration of one iteration with <paramref name="ctxTokens"/> prefill tokens and <paramref name="decodeSeqs"/> decoding sequences.</summary>
    public double IterationMs(int ctxTokens, int decodeSeqs) =>
        (ctxTokens * PrefillMsPerToken) + (decodeSeqs > 0 ? DecodeStepMs + (DecodeMsPerSeq * decodeSeqs) : 0);

    public double KvTransferMs(int promptTokens) => promptTokens * KvTransferMsPerToken;
}
