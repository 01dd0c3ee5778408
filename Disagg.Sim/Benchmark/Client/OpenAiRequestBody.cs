using System.Text.Json.Nodes;

namespace Disagg.Sim.Benchmark.Client;

/// <summary>The JSON payloads the Python client sends for the <c>openai</c> and <c>openai-chat</c> backends.</summary>
internal static class OpenAiRequestBody
{
    public static string Build(bool chat, string model, string prompt, int maxTokens, bool streaming, bool ignoreEos, double temperature,
        JsonObject? simBlock = null)
    {
        var body = new JsonObject { ["model"] = model };
        if (chat)
        {
            body["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = prompt }),
            });
            body["temperature"] = temperature;
            body["max_completion_tokens"] = maxTokens;
        }
        else
        {
            body["prompt"] = prompt;
            body["temperature"] = temperature;
            body["repetition_penalty"] = 1.0;
            body["max_tokens"] = maxTokens;
            body["logprobs"] = null;
        }

        body["stream"] = streaming;
        if (streaming)
        {
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        if (ignoreEos)
        {
            body["ignore_eos"] = true;
        }

        if (simBlock is not null)
        {
            body["sim_block"] = simBlock.DeepClone();
        }

        return body.ToJsonString();
    }
}
