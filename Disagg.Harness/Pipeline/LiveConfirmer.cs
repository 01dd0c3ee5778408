using System.Globalization;
using System.Text;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Publishing;
using Disagg.Harness.Rendering;
using Disagg.Harness.Results;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Pipeline;

/// <summary>
/// Per-concurrency verdicts while the job runs, and in-allocation confirmation (<c>regression.rule: noise_aware</c>,
/// docs/thresholds.md §3a). On each "concurrency C done" phase (planned or repeat) it parses benchmark.log, judges C's samples with
/// <see cref="NoiseAwareRule"/> and the <c>thresholds:</c> bounds, and logs the verdict. A suspect concurrency (a regression that cannot
/// be decided yet, or a bound missed by no more than twice the history noise) gets a request file the job's benchmark driver runs
/// after its planned list (<see cref="JobFiles.ConfirmRequest"/>), at most <c>confirm_runs</c> repeats per concurrency, within the
/// <c>confirm_extra_time</c> cap (a fraction of the job's time limit), and only when the block fits in the job's remaining time
/// (else it is skipped with a warning).
/// When the planned list is done and no repeat is outstanding it writes <see cref="JobFiles.ConfirmEnd"/>.
/// </summary>
public sealed class LiveConfirmer(RunContext context, PipelineServices services, DisaggConfig config, string testId, string workspace,
    TimeSpan jobTimeLimit, Action<string> log)
{
    /// <summary>Kept free at the end of the job's time limit for packaging and teardown.</summary>
    public static readonly TimeSpan EndMargin = TimeSpan.FromSeconds(60);

    private readonly Dictionary<int, int> _requested = [];
    private readonly Dictionary<string, DateTimeOffset> _started = new(StringComparer.Ordinal);
    private readonly Dictionary<int, TimeSpan> _blockTime = [];
    private IReadOnlyList<HistoryRecord>? _history;
    private RegressionContext? _regression;
    private bool _historyRead;
    private bool _plannedDone;
    private bool _ended;
    private int _requests;
    private int _repeatsDone;
    private TimeSpan _plannedTime;
    private TimeSpan _requestedTime;
    private TimeSpan _outstanding;

    public List<string> Warnings { get; } = [];

    private RegressionSettings Settings => config.Regression;

    private string ConfirmPath(string name) => Path.Combine(workspace, JobFiles.ConfirmDir, name);

    /// <summary>
    /// The follower's phase hook. A failure here (an unreadable log, a request file that cannot be written) never fails the test: it is a
    /// warning, and the driver ends confirmation by itself after its wait.
    /// </summary>
    public async Task OnPhaseAsync(PhaseEvent phase, TimeSpan? runningFor, CancellationToken cancellationToken)
    {
        try
        {
            await HandleAsync(phase, runningFor, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Warn($"live verdicts stopped at phase '{phase.Phase}': {e.Message}");
        }
    }

    private async Task HandleAsync(PhaseEvent phase, TimeSpan? runningFor, CancellationToken cancellationToken)
    {
        var parts = phase.Phase.Split(' ');
        if (phase.Phase == "planned concurrencies done")
        {
            _plannedDone = true;
            await EndIfIdleAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        if (parts.Length < 3 || parts[0] != "concurrency" || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var c)) return;
        var key = string.Join(' ', parts[..^1]);
        if (parts[^1] == "started")
        {
            _started[key] = phase.At;
            return;
        }
        if (parts[^1] != "done") return;
        var repeat = parts.Length == 5 && parts[2] == "repeat";
        if (_started.TryGetValue(key, out var at))
        {
            var took = phase.At - at;
            if (!repeat)
            {
                _blockTime[c] = took;
                _plannedTime += took;
            }
        }
        if (repeat)
        {
            _repeatsDone++;
            _outstanding = TimeSpan.FromTicks(Math.Max(0, (_outstanding - _blockTime.GetValueOrDefault(c, TimeSpan.FromSeconds(60))).Ticks));
        }
        await JudgeAsync(c, runningFor, cancellationToken).ConfigureAwait(false);
        await EndIfIdleAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task EndIfIdleAsync(CancellationToken cancellationToken)
    {
        if (_ended || !_plannedDone || _repeatsDone < _requests) return;
        _ended = true;
        await context.Files.WriteAsync(ConfirmPath(JobFiles.ConfirmEnd), "end\n", false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<HistoryRecord>?> HistoryAsync(CancellationToken cancellationToken)
    {
        if (_historyRead) return _history;
        _historyRead = true;
        var (source, _) = services.History(_ => { });
        if (source is null) return null;
        var facts = await ReadAsync(Path.Combine(workspace, JobFiles.SystemFacts), cancellationToken).ConfigureAwait(false);
        _regression = RegressionContextFactory.For(testId, config, services.Environment, context.Time.GetUtcNow(),
            GpuTypeResolver.Resolve(services.Environment, facts));
        var planned = config.Benchmark.ConcurrencyList.Select(v => v * config.Hardware.NumGenServers).ToList();
        try
        {
            var query = new HistoryQuery([.. planned.Select(_regression.KeyFor)], RegressionRule.Since(_regression.Now, Settings.LookbackDays));
            _history = await source.GetAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log($"live verdicts off: history could not be read ({e.Message})");
        }
        return _history;
    }

    private async Task JudgeAsync(int concurrency, TimeSpan? runningFor, CancellationToken cancellationToken)
    {
        var text = await ReadAsync(Path.Combine(workspace, JobFiles.BenchmarkLog), cancellationToken).ConfigureAwait(false);
        if (text is null) return;
        var samples = BenchmarkLogParser.Parse(text, JobFiles.BenchmarkLog).SamplesOf(concurrency);
        if (samples.Count == 0) return;
        var history = await HistoryAsync(cancellationToken).ConfigureAwait(false);
        var repeats = _requested.GetValueOrDefault(concurrency);
        var canRepeat = repeats < Settings.ConfirmRuns;
        var suspect = new List<string>();
        if (history is not null && _regression is not null)
        {
            foreach (var d in NoiseAwareRule.DecideCase(samples, history, Settings, _regression, canRepeat))
            {
                if (d.Outcome == NoiseOutcome.NotJudged) continue;
                log("live verdict: " + d.Message);
                if (d.Outcome == NoiseOutcome.Suspect) suspect.Add(d.Metric);
            }
            suspect.AddRange(NearBounds(samples, history, concurrency, canRepeat));
        }
        if (suspect.Count == 0) return;
        if (!canRepeat) return;
        await RequestAsync(concurrency, repeats + 1, string.Join(", ", suspect.Distinct(StringComparer.Ordinal)), runningFor, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Bounds missed by no more than twice the metric's history noise at this concurrency (a clear miss fails without repeats).</summary>
    private IEnumerable<string> NearBounds(IReadOnlyList<ConcurrencyResult> samples, IReadOnlyList<HistoryRecord> history, int concurrency, bool canRepeat)
    {
        var judged = JobJudge.MeanOfSamples([samples[0]], [.. samples.Skip(1)]);
        var key = _regression!.KeyFor(concurrency);
        var matched = history.Where(h => h.IsPostMerge && h.Key.Matches(key)).OrderByDescending(h => h.Timestamp).Take(Settings.HistoryRuns).ToList();
        foreach (var v in ThresholdEvaluator.Evaluate(config.Thresholds, judged).Where(v => !v.Passed && v.Value is not null))
        {
            var noise = NoiseAwareRule.HistoryNoise([.. matched.Select(h => h[v.Rule.Metric]).OfType<double>()]);
            var miss = Math.Abs(v.Value!.Value - v.Rule.Bound) / Math.Max(Math.Abs(v.Rule.Bound), 1e-9);
            var near = noise is { } n && miss <= 2 * n;
            log($"live verdict: {v.Describe()}" + (near && canRepeat ? $"; within the noise ({noise * 100:0.0} %), confirming" : ""));
            if (near) yield return v.Rule.Metric;
        }
    }

    private async Task RequestAsync(int concurrency, int repeat, string why, TimeSpan? runningFor, CancellationToken cancellationToken)
    {
        var estimate = _blockTime.GetValueOrDefault(concurrency, TimeSpan.FromSeconds(60));
        var remainingPlanned = config.Benchmark.ConcurrencyList.Count - _blockTime.Count;
        var plannedEstimate = _blockTime.Count == 0 ? _plannedTime : _plannedTime + ((_plannedTime / _blockTime.Count) * Math.Max(0, remainingPlanned));
        var left = jobTimeLimit - (runningFor ?? TimeSpan.Zero) - _outstanding - EndMargin;
        var head = $"c={concurrency} ({why})";
        if (_requestedTime + estimate > jobTimeLimit * Settings.ConfirmExtraTime)
        {
            Warn($"confirmation of {head} skipped: the extra-time cap (confirm_extra_time {Settings.ConfirmExtraTime:0.##} of the job's time limit "
                 + $"{JobTime.Format(jobTimeLimit)}) is spent; judged on {repeat} sample(s)");
            return;
        }
        if (estimate * 1.5 > left - (plannedEstimate - _plannedTime))
        {
            Warn($"confirmation of {head} skipped: a repeat needs about {estimate.TotalSeconds:0} s but only "
                 + $"{Math.Max(0, (left - (plannedEstimate - _plannedTime)).TotalSeconds):0} s of the job's time limit "
                 + $"({JobTime.Format(jobTimeLimit)}) would be left; judged on {repeat} sample(s)");
            return;
        }
        _requested[concurrency] = repeat;
        _requests++;
        _requestedTime += estimate;
        _outstanding += estimate;
        await context.Files.CreateDirectoryAsync(ConfirmPath(""), cancellationToken).ConfigureAwait(false);
        await context.Files.WriteAsync(ConfirmPath(JobFiles.ConfirmRequest(_requests)),
            string.Create(CultureInfo.InvariantCulture, $"{concurrency} {repeat}\n"), false, cancellationToken).ConfigureAwait(false);
        log($"confirming {head}: repeat {repeat} of at most {Settings.ConfirmRuns} requested");
    }

    private void Warn(string message)
    {
        Warnings.Add(message);
        log("warning: " + message);
    }

    private async Task<string?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            if (!await context.Files.ExistsAsync(path, cancellationToken).ConfigureAwait(false)) return null;
            return Encoding.UTF8.GetString(await context.Files.ReadFromAsync(path, 0, cancellationToken).ConfigureAwait(false));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
