using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Disagg.Sim.Benchmark.Client;
using Disagg.Sim.Cli;
using Disagg.Sim.Common;

namespace Disagg.Sim.LmEval;

/// <summary>
/// <c>lm-eval</c>: the accuracy step of a job on the simulator. Every document of a task is a real request to the disagg
/// server (<c>num_concurrent</c> in flight, <c>max_retries</c> retries, as lm_eval's API models do); a request that still
/// fails ends the run with lm_eval's error. The score is the simulator's: a document is answered right when its
/// low-discrepancy draw falls below <c>SIM_LM_EVAL_ACCURACY</c> (default 0.95; strict-match one point lower), so the
/// printed table, results_&lt;date&gt;.json and samples files have lm_eval's shape and a verdict computed from them is real.
/// </summary>
internal sealed class LmEvalCommand : ISimCommand
{
    private static readonly Dictionary<string, int> TaskSizes = new(StringComparer.Ordinal) { ["gsm8k"] = 1319, ["mmlu"] = 14042, ["gpqa_diamond"] = 198 };

    public CommandSpec Spec => LmEvalOptions.Spec;

    public async Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken)
    {
        var options = LmEvalOptions.From(args);
        var accuracy = EnvSettings.NonNegative("SIM_LM_EVAL_ACCURACY", 0.95);
        Console.Out.WriteLine($"INFO     [__main__] Selected Tasks: [{string.Join(", ", options.Tasks.Select(t => $"'{t}'"))}]");
        using var http = BenchmarkHttp.Create();
        var scores = new List<TaskScore>();
        foreach (var task in options.Tasks)
        {
            var documents = Math.Min(options.Limit ?? int.MaxValue, TaskSizes.GetValueOrDefault(task, 100));
            var answers = await AskAllAsync(http, options, task, documents, cancellationToken).ConfigureAwait(false);
            if (answers.FirstOrDefault(a => a.Error is not null) is { } failed)
            {
                Console.Error.WriteLine("Traceback (most recent call last):");
                Console.Error.WriteLine($"RuntimeError: API request failed after {options.ArgInt("max_retries", 3)} retries: {failed.Error}");
                return 1;
            }
            scores.Add(TaskScore.Of(task, answers, accuracy));
        }
        var modelArgs = string.Join(',', options.ModelArgs.Select(kv => $"{kv.Key}={kv.Value}"));
        var limit = options.Limit is { } l ? l.ToString("0.0", CultureInfo.InvariantCulture) : "None";
        Console.Out.WriteLine($"{options.Model} ({modelArgs}), gen_kwargs: (None), limit: {limit}, num_fewshot: None, batch_size: 1");
        Console.Out.Write(TaskScore.Table(scores));
        if (options.OutputPath is { } output) WriteFiles(output, options, scores);
        return 0;
    }

    private static async Task<Answer[]> AskAllAsync(HttpClient http, LmEvalOptions options, string task, int documents, CancellationToken cancellationToken)
    {
        var chat = options.Model == "local-chat-completions";
        var model = options.ModelArgs.GetValueOrDefault("model", "model");
        var maxTokens = options.ArgInt("max_gen_toks", 256);
        var retries = options.ArgInt("max_retries", 3);
        using var limiter = new SemaphoreSlim(options.ArgInt("num_concurrent", 1));
        var progress = 0;
        var tasks = Enumerable.Range(0, documents).Select(async doc =>
        {
            await limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var prompt = $"Question {doc} of {task}: {WordVocabulary.RandomPrompt(new Random(doc), 24)}\nAnswer:";
                if (options.ApplyChatTemplate) prompt = $"<|user|>{prompt}<|assistant|>";
                var answer = await AskAsync(http, options.ModelArgs["base_url"], chat, model, prompt, maxTokens, retries, cancellationToken)
                    .ConfigureAwait(false);
                var done = Interlocked.Increment(ref progress);
                if (done == documents || done % 100 == 0) Console.Error.WriteLine($"Requesting API: {done}/{documents}");
                return answer with { Doc = doc };
            }
            finally
            {
                limiter.Release();
            }
        });
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static async Task<Answer> AskAsync(HttpClient http, string url, bool chat, string model, string prompt, int maxTokens, int retries,
        CancellationToken cancellationToken)
    {
        var body = OpenAiRequestBody.Build(chat, model, prompt, maxTokens, streaming: false, ignoreEos: false, temperature: 0);
        var error = "";
        for (var attempt = 0; attempt <= retries; attempt++)
        {
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    var json = JsonNode.Parse(text);
                    var choice = json?["choices"]?[0];
                    return new Answer(0, (chat ? choice?["message"]?["content"] : choice?["text"])?.GetValue<string>() ?? "", null);
                }
                error = $"{(int)response.StatusCode} {text.Trim()}";
            }
            catch (HttpRequestException e)
            {
                error = e.Message;
            }
        }
        return new Answer(0, "", error);
    }

    private static void WriteFiles(string output, LmEvalOptions options, IReadOnlyList<TaskScore> scores)
    {
        var dir = Path.Combine(output, options.ModelArgs.GetValueOrDefault("model", "model").Trim('/').Replace('/', '_'));
        Directory.CreateDirectory(dir);
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-ddTHH-mm-ss.ffffff", CultureInfo.InvariantCulture);
        var results = new JsonObject();
        var samples = new JsonObject();
        foreach (var s in scores)
        {
            results[s.Task] = new JsonObject
            {
                ["alias"] = s.Task,
                ["exact_match,flexible-extract"] = s.Flexible, ["exact_match_stderr,flexible-extract"] = s.FlexibleStderr,
                ["exact_match,strict-match"] = s.Strict, ["exact_match_stderr,strict-match"] = s.StrictStderr,
            };
            samples[s.Task] = new JsonObject { ["original"] = s.Documents, ["effective"] = s.Documents };
            if (options.LogSamples)
                File.WriteAllLines(Path.Combine(dir, $"samples_{s.Task}_{stamp}.jsonl"), s.Samples.Select(x => x.ToJsonString()));
        }
        var document = new JsonObject { ["results"] = results, ["n-samples"] = samples, ["config"] = new JsonObject { ["model"] = options.Model } };
        var indented = new System.Text.Json.JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(dir, $"results_{stamp}.json"), document.ToJsonString(indented));
    }
}
