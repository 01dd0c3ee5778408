using Disagg.Harness.Publishing;

namespace Disagg.Harness.Tests.Publishing;

public sealed class PerGpuThroughputTests
{
    [TestCase("e2e", 1, 4, 1, 8, 12)]          // every GPU of the job
    [TestCase("e2e", 2, 4, 3, 8, 32)]
    [TestCase("gen_only", 1, 4, 2, 8, 16)]     // decode GPUs only
    [TestCase("gen_only_no_context", 0, 0, 1, 8, 8)]
    [TestCase("e2e", 0, 0, 0, 0, null)]        // no GPUs: no per-GPU figure
    public void Divisor_by_mode(string mode, int numCtx, long ctxGpus, int numGen, long genGpus, int? expected) =>
        Assert.That(PerGpuThroughput.Gpus(mode, numCtx, ctxGpus, numGen, genGpus), Is.EqualTo(expected));

    [Test]
    public void The_document_field_and_the_perf_db_value_are_the_same_single_computation()
    {
        var record = PublishingSamples.Record();
        var documents = OpenSearchDocumentBuilder.Build(record);
        var rows = PerfDbRun.From(record, documents);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(PerGpuThroughput.Gpus(record), Is.EqualTo(2), "the smoke config: one ctx and one gen server of one GPU each");
            foreach (var (doc, row) in documents.Zip(rows.Concurrencies))
            {
                Assert.That(doc[PerGpuThroughput.Field]!.GetValue<double>(), Is.EqualTo(row.OutputTpsPerGpu));
                Assert.That(row.OutputTpsPerGpu, Is.EqualTo(row.Metrics["output_token_throughput"] / 2));
                Assert.That(doc[PerGpuThroughput.GpusField]!.GetValue<long>(), Is.EqualTo(2));
            }
            Assert.That(DocumentTypeCheck.Check(DocumentJson.Serialize(documents)), Is.Empty, "the new fields pass the ingestion type check");
        }
    }
}
