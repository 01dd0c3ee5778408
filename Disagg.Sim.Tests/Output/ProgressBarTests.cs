using Disagg.Sim.Benchmark.Output;

namespace Disagg.Sim.Tests.Output;

[TestFixture]
public sealed class ProgressBarTests
{
    [Test]
    public void RendersLikeTqdm()
    {
        var bar = new ProgressBar(TextWriter.Null, 128);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bar.Render(0, TimeSpan.Zero), Is.EqualTo("Benchmarking:   0%|          | 0/128 [00:00<?, ?it/s]"));
            Assert.That(bar.Render(128, TimeSpan.FromSeconds(104.52)), Is.EqualTo("Benchmarking: 100%|##########| 128/128 [01:44<00:00, 1.22it/s]"));
            Assert.That(bar.Render(1, TimeSpan.FromSeconds(4)), Does.EndWith(", 4.00s/it]"));
        }
    }
}
