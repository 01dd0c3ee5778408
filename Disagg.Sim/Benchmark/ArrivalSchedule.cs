namespace Disagg.Sim.Benchmark;

/// <summary>
/// Request inter-arrival times: none for an infinite rate, otherwise gamma-distributed with shape = burstiness and
/// mean 1/rate (burstiness 1 is a Poisson process).
/// </summary>
internal sealed class ArrivalSchedule(double requestRate, double burstiness, int seed)
{
    private readonly Random _random = new(seed);

    public bool IsImmediate => double.IsPositiveInfinity(requestRate);

    public TimeSpan NextInterval()
    {
        if (IsImmediate)
        {
            return TimeSpan.Zero;
        }

        var theta = 1.0 / (requestRate * burstiness);
        return TimeSpan.FromSeconds(SampleGamma(burstiness) * theta);
    }

    /// <summary>Marsaglia–Tsang gamma sampler (shape &gt; 0, scale 1).</summary>
    private double SampleGamma(double shape)
    {
        if (shape < 1)
        {
            return SampleGamma(shape + 1) * Math.Pow(_random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal();
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = _random.NextDouble();
            if (Math.Log(u) < (0.5 * x * x) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    private double Normal() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
