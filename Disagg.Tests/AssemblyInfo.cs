// Each perf case holds an NUnit worker while its job runs; allow as many jobs in flight as the
// local cluster has nodes. Override with -- NUnit.NumberOfTestWorkers=N.
[assembly: LevelOfParallelism(4)]
