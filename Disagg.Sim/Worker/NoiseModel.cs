using System.Globalization;
using Disagg.Sim.Common;

namespace Disagg.Sim.Worker;

/// <summary>
/// Deterministic, seedable performance noise of one worker: a multiplier on every iteration's cost. Its parts:
/// per-iteration jitter (<c>SIM_JITTER</c>), a per-block factor (<c>SIM_BLOCK_NOISE</c>: one draw per benchmark client run, the
/// "same job, run again" spread), a per-run drift (<c>SIM_RUN_DRIFT</c>: one draw per seed, the "same build, another job" spread),
/// a per-node slowdown (<c>SIM_NODE_SLOWDOWN=node2=1.2,...</c>), a transient hiccup on the first block of one concurrency
/// (<c>SIM_HICCUP=C:F</c>) and an injected true slowdown (<c>SIM_SLOWDOWN=F</c>, from <c>SIM_SLOWDOWN_FROM_C</c> and/or after
/// <c>SIM_SLOWDOWN_AFTER_S</c> seconds of uptime). Every draw comes from <c>SIM_NOISE_SEED</c>; blocks are numbered in the order
/// the worker first sees them, so a job with the same seed and the same block order gets the same factors.
/// </summary>
internal sealed class NoiseModel
{
    private readonly HashSet<int> _hiccupSeen = [];
    private readonly Random _jitter;
    private readonly Dictionary<string, double> _blockFactors = new(StringComparer.Ordinal);

    public NoiseModel(int seed, double jitter, double blockNoise, double runDrift, double nodeFactor, double slowdown, int? slowdownFromC,
        double? slowdownAfterS, (int Concurrency, double Factor)? hiccup)
    {
        Seed = seed;
        Jitter = jitter;
        BlockNoise = blockNoise;
        Slowdown = slowdown;
        SlowdownFromC = slowdownFromC;
        SlowdownAfterS = slowdownAfterS;
        Hiccup = hiccup;
        NodeFactor = nodeFactor;
        RunFactor = LogNormal(new Random(Mix(seed, 0x5EED)), runDrift);
        _jitter = new Random(Mix(seed, 0x7177E8));
    }

    public static NoiseModel None { get; } = new(0, 0, 0, 0, 1, 1, null, null, null);

    public int Seed { get; }

    public double Jitter { get; }

    public double BlockNoise { get; }

    public double Slowdown { get; }

    public int? SlowdownFromC { get; }

    public double? SlowdownAfterS { get; }

    public (int Concurrency, double Factor)? Hiccup { get; }

    public double NodeFactor { get; }

    /// <summary>This run's drift factor (1 without <c>SIM_RUN_DRIFT</c>).</summary>
    public double RunFactor { get; }

    public bool IsNone => Jitter == 0 && BlockNoise == 0 && RunFactor == 1 && NodeFactor == 1 && Slowdown == 1 && Hiccup is null;

    public static NoiseModel FromEnvironment(string node)
    {
        var seed = (int)EnvSettings.NonNegative("SIM_NOISE_SEED", 0);
        var from = Environment.GetEnvironmentVariable("SIM_SLOWDOWN_FROM_C");
        var after = Environment.GetEnvironmentVariable("SIM_SLOWDOWN_AFTER_S");
        return new NoiseModel(seed,
            EnvSettings.NonNegative("SIM_JITTER", 0),
            EnvSettings.NonNegative("SIM_BLOCK_NOISE", 0),
            EnvSettings.NonNegative("SIM_RUN_DRIFT", 0),
            NodeSlowdown(Environment.GetEnvironmentVariable("SIM_NODE_SLOWDOWN"), node),
            Positive("SIM_SLOWDOWN", EnvSettings.NonNegative("SIM_SLOWDOWN", 1)),
            string.IsNullOrWhiteSpace(from) ? null : (int)EnvSettings.NonNegative("SIM_SLOWDOWN_FROM_C", 0),
            string.IsNullOrWhiteSpace(after) ? null : EnvSettings.NonNegative("SIM_SLOWDOWN_AFTER_S", 0),
            ParseHiccup(Environment.GetEnvironmentVariable("SIM_HICCUP")));
    }

    /// <summary>The node's factor from <c>node=factor</c> pairs (comma separated); 1 when the node is not listed.</summary>
    public static double NodeSlowdown(string? spec, string node)
    {
        if (string.IsNullOrWhiteSpace(spec)) return 1;
        foreach (var pair in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !double.TryParse(pair[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var f) || f <= 0)
                throw new ConfigException($"environment variable SIM_NODE_SLOWDOWN: expected node=factor pairs such as 'node2=1.2', got '{pair}'");
            if (string.Equals(pair[..eq], node, StringComparison.OrdinalIgnoreCase)) return f;
        }
        return 1;
    }

    /// <summary><c>C:F</c>: the first block at concurrency C runs F times slower.</summary>
    public static (int, double)? ParseHiccup(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return null;
        var parts = spec.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0)
            return (c, f);
        throw new ConfigException($"environment variable SIM_HICCUP must be <concurrency>:<factor> such as '64:1.3', got '{spec}'");
    }

    /// <summary>The multiplier of one iteration of a batch from benchmark block <paramref name="block"/> at <paramref name="concurrency"/>.</summary>
    public double Factor(int? concurrency, string? block, double uptimeSeconds)
    {
        if (IsNone) return 1;
        var factor = RunFactor * NodeFactor * BlockFactor(concurrency, block);
        if (Slowdown != 1 && (SlowdownFromC is not { } fromC || concurrency >= fromC) && (SlowdownAfterS is not { } afterS || uptimeSeconds >= afterS))
            factor *= Slowdown;
        if (Jitter > 0) factor *= LogNormal(_jitter, Jitter);
        return factor;
    }

    private double BlockFactor(int? concurrency, string? block)
    {
        if (block is null) return 1;
        if (_blockFactors.TryGetValue(block, out var known)) return known;
        var ordinal = _blockFactors.Count;
        var factor = BlockNoise > 0 ? LogNormal(new Random(Mix(Seed, 1000 + ordinal)), BlockNoise) : 1;
        if (Hiccup is { } h && concurrency == h.Concurrency && _hiccupSeen.Add(h.Concurrency)) factor *= h.Factor;
        _blockFactors[block] = factor;
        return factor;
    }

    /// <summary>A mean-one log-normal draw with relative spread <paramref name="sigma"/>.</summary>
    private static double LogNormal(Random random, double sigma)
    {
        if (sigma <= 0) return 1;
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return Math.Exp((sigma * z) - (sigma * sigma / 2));
    }

    private static int Mix(int seed, int salt) => unchecked((seed * 486187739) ^ (salt * 16777619));

    private static double Positive(string name, double value) =>
        value > 0 ? value : throw new ConfigException($"environment variable {name} must be a positive factor such as 1.10, got {value}");
}
