using Disagg.Harness.Common;
using Disagg.Harness.Tests.Publishing;

namespace Disagg.Harness.Tests.Common;

public sealed class RetryPolicyTests
{
    private ImmediateTime _time = null!;

    [SetUp]
    public void NewClock() => _time = new ImmediateTime();

    private RetryPolicy Policy(int attempts = 3) =>
        new(attempts, attempt => TimeSpan.FromSeconds(attempt * 10), e => e is TimeoutException, _time);

    [Test]
    public async Task Retryable_failures_are_repeated_with_the_backoff_of_each_attempt_until_success()
    {
        var seen = new List<int>();
        var result = await Policy().RunAsync((attempt, _) =>
        {
            seen.Add(attempt);
            return attempt < 3 ? throw new TimeoutException("slow") : Task.FromResult("ok");
        }, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo("ok"));
            Assert.That(seen, Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(_time.Delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20) }));
        }
    }

    [Test]
    public void The_last_failure_reaches_the_caller_unchanged_after_the_attempts_are_spent()
    {
        var calls = 0;
        var error = Assert.ThrowsAsync<TimeoutException>(() => Policy(attempts: 4).RunAsync((attempt, _) =>
        {
            calls++;
            return Task.FromException(new TimeoutException($"attempt {attempt}"));
        }, CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Is.EqualTo("attempt 4"));
            Assert.That(calls, Is.EqualTo(4));
            Assert.That(_time.Delays, Has.Count.EqualTo(3));
        }
    }

    [Test]
    public void A_failure_the_predicate_rejects_is_not_repeated()
    {
        var calls = 0;
        Assert.ThrowsAsync<InvalidOperationException>(() => Policy().RunAsync((_, _) =>
        {
            calls++;
            return Task.FromException(new InvalidOperationException("bad request"));
        }, CancellationToken.None));
        Assert.That((calls, _time.Delays.Count), Is.EqualTo((1, 0)));
    }

    [Test]
    public void Cancellation_is_not_retried_even_when_the_failure_looks_retryable()
    {
        using var cancel = new CancellationTokenSource();
        var calls = 0;
        Assert.ThrowsAsync<TimeoutException>(() => Policy().RunAsync((_, _) =>
        {
            calls++;
            cancel.Cancel();
            return Task.FromException(new TimeoutException("cut off"));
        }, cancel.Token));
        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public void A_policy_needs_at_least_one_attempt() =>
        Assert.That(() => new RetryPolicy(0, _ => TimeSpan.Zero, _ => true, _time), Throws.TypeOf<ArgumentOutOfRangeException>());
}
