using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark;

/// <summary>Renders the <c>Namespace(...)</c> line the Python client prints first (every argument, sorted).</summary>
internal static class BenchmarkNamespace
{
    public static string Render(BenchmarkOptions o)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["backend"] = o.Backend,
            ["base_url"] = o.BaseUrl,
            ["burstiness"] = o.Burstiness,
            ["custom_tokenizer"] = null,
            ["dataset_name"] = o.DatasetName,
            ["dataset_path"] = o.DatasetPath,
            ["disable_tqdm"] = o.DisableTqdm,
            ["download_path"] = null,
            ["download_timeout"] = 180,
            ["endpoint"] = o.Backend == "openai-chat" ? "/v1/chat/completions" : o.Endpoint,
            ["goodput"] = null,
            ["hf_output_len"] = null,
            ["hf_split"] = null,
            ["hf_subset"] = null,
            ["host"] = o.Host,
            ["ignore_eos"] = o.IgnoreEos,
            ["logprobs"] = null,
            ["lora_modules"] = null,
            ["max_concurrency"] = o.MaxConcurrency,
            ["metadata"] = o.Metadata,
            ["metric_percentiles"] = o.MetricPercentiles,
            ["min_p"] = null,
            ["model"] = o.Model,
            ["no_test_input"] = o.NoTestInput,
            ["non_streaming"] = o.NonStreaming,
            ["num_prompts"] = o.NumPrompts,
            ["percentile_metrics"] = o.PercentileMetrics,
            ["port"] = o.Port,
            ["profile"] = false,
            ["random_ids"] = o.RandomIds,
            ["random_image_height"] = 512,
            ["random_image_size"] = 512,
            ["random_image_width"] = 512,
            ["random_input_len"] = o.RandomInputLen,
            ["random_num_images"] = 1,
            ["random_output_len"] = o.RandomOutputLen,
            ["random_prefix_len"] = o.RandomPrefixLen,
            ["random_range_ratio"] = o.RandomRangeRatio,
            ["request_rate"] = o.RequestRate,
            ["result_dir"] = o.ResultDir,
            ["result_filename"] = o.ResultFilename,
            ["save_detailed"] = o.SaveDetailed,
            ["save_result"] = o.SaveResult,
            ["seed"] = o.Seed,
            ["served_model_name"] = o.ServedModelName,
            ["sharegpt_output_len"] = null,
            ["sonnet_input_len"] = 550,
            ["sonnet_output_len"] = 150,
            ["sonnet_prefix_len"] = 200,
            ["temperature"] = o.Temperature,
            ["tokenize_on_client"] = o.TokenizeOnClient,
            ["tokenizer"] = o.Tokenizer,
            ["tokenizer_mode"] = "auto",
            ["top_k"] = null,
            ["top_p"] = null,
            ["trust_remote_code"] = o.TrustRemoteCode,
            ["use_beam_search"] = false,
            ["use_chat_template"] = o.UseChatTemplate,
        };
        return PyRepr.Namespace(fields);
    }
}
