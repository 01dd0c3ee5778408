// Each perf case holds an NUnit worker while its job runs, so this is the number of jobs in flight at once
// (run_disagg_test.sh --max-jobs overrides it). Jobs that do not fit wait in the SLURM queue.
[assembly: LevelOfParallelism(8)]
