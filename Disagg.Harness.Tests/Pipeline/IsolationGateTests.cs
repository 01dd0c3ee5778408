using Disagg.Harness.Pipeline;

namespace Disagg.Harness.Tests.Pipeline;

public sealed class IsolationGateTests
{
    [Test, CancelAfter(10_000)]
    public async Task An_isolated_test_waits_for_running_tests_and_blocks_new_ones_until_it_ends(CancellationToken token)
    {
        var gate = new IsolationGate();
        var first = await gate.EnterAsync(alone: false, token);
        var second = await gate.EnterAsync(alone: false, token);
        var alone = gate.EnterAsync(alone: true, token);
        await Task.Delay(100, token);
        Assert.That(alone.IsCompleted, Is.False, "two tests still run");
        var late = gate.EnterAsync(alone: false, token);
        await first.DisposeAsync();
        await Task.Delay(100, token);
        Assert.That(alone.IsCompleted, Is.False, "one test still runs");
        await second.DisposeAsync();
        var exclusive = await alone.WaitAsync(token);
        await Task.Delay(100, token);
        Assert.That(late.IsCompleted, Is.False, "a test that came after the isolated one waits for it");
        await exclusive.DisposeAsync();
        await (await late.WaitAsync(token)).DisposeAsync();
    }

    [Test, CancelAfter(10_000)]
    public async Task Ordinary_tests_share_the_gate_and_a_cancelled_wait_leaves_it_usable(CancellationToken token)
    {
        var gate = new IsolationGate();
        var a = await gate.EnterAsync(false, token);
        var b = await gate.EnterAsync(false, token);
        using (var cancel = new CancellationTokenSource(50))
            Assert.That(async () => await gate.EnterAsync(true, cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        await a.DisposeAsync();
        await b.DisposeAsync();
        await (await gate.EnterAsync(true, token)).DisposeAsync();
        await (await gate.EnterAsync(false, token)).DisposeAsync();
    }
}
