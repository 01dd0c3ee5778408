#!/usr/bin/env bash
# Benchmark of issue 19: `disagg trend` for one test and `disagg compare` of two runs on a large Perf DB.
#   usage: bench/history.sh            (BENCH_RUNS, BENCH_TESTS, BENCH_CONC, BENCH_REPEAT override the sizes)
# Generates BENCH_RUNS runs x BENCH_TESTS tests x BENCH_CONC concurrencies (default 10,000 x 100 x 5) into a throwaway
# PostgreSQL database on the server of DISAGG_PERFDB_CONNECTION, server-side with generate_series, with the schema of
# PerfDbMigrations 1-4 (created by the CLI itself on the empty database). Only the metrics trend and compare read by
# default are stored per concurrency (output_token_throughput, user_throughput, median_ttft_ms, median_tpot_ms, and the
# per-GPU column of perf_results): 4 x 5M = 20M perf_metrics rows. Then it times the CLI end to end (process start
# included) BENCH_REPEAT times each and prints "RESULT <key> <value>" lines (also appended to $BENCH_OUT, default
# bench/last-run.txt). The database is dropped on exit.
# Needs: `dotnet build Disagg.sln`, psql, `set -a; . /work/main/.local-cluster/cluster.env; set +a`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
runs=${BENCH_RUNS:-10000} tests=${BENCH_TESTS:-100} conc=${BENCH_CONC:-5} repeat=${BENCH_REPEAT:-5}
out=${BENCH_OUT:-$here/last-run.txt}
cli="$repo/Disagg.Cli/bin/Debug/net10.0/disagg.dll"
[ -f "$cli" ] || { echo "bench/history.sh: build first (dotnet build Disagg.sln)" >&2; exit 2; }
: "${DISAGG_PERFDB_CONNECTION:?set DISAGG_PERFDB_CONNECTION: source cluster.env of the local cluster}"
field() { printf '%s' "$DISAGG_PERFDB_CONNECTION" | tr ';' '\n' | sed -n "s/^$1=//Ip" | head -1; }
export PGHOST=$(field Host) PGPORT=$(field Port) PGUSER=$(field Username) PGPASSWORD=$(field Password)
db="${BENCH_DB:-disagg_bench_history_$$}"
conn="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$db;Command Timeout=600"
result() { echo "RESULT $*" | tee -a "$out"; }
drop() {
  if psql -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; then log "dropped database $db"
  else log "could not drop database $db: drop it with psql -c 'DROP DATABASE $db WITH (FORCE)'"; fi
}
[ "${BENCH_KEEP:-0}" = 1 ] || trap drop EXIT   # BENCH_KEEP=1 keeps the database for EXPLAIN; drop it yourself
psql -q -d postgres -c "CREATE DATABASE $db" >/dev/null
tmp=$(mktemp -d /tmp/disagg-bench-history.XXXXXX)

log "schema: the CLI applies migrations 1-4 to the empty database"
dotnet "$cli" trend --db "$conn" --out "$tmp/empty.html" >/dev/null

log "generating $runs runs x $tests tests x $conc concurrencies"
t0=$(now)
psql -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';
SET work_mem = '256MB';
-- Bulk load without per-row foreign-key checks and index maintenance; both come back below.
ALTER TABLE perf_metrics DROP CONSTRAINT perf_metrics_run_id_test_id_concurrency_fkey;
ALTER TABLE perf_results DROP CONSTRAINT perf_results_run_id_test_id_fkey;
ALTER TABLE perf_tests DROP CONSTRAINT perf_tests_run_id_fkey;
ALTER TABLE perf_metrics DROP CONSTRAINT perf_metrics_pkey;
ALTER TABLE perf_results DROP CONSTRAINT perf_results_pkey;
ALTER TABLE perf_tests DROP CONSTRAINT perf_tests_pkey;
DROP INDEX perf_metrics_history, perf_tests_trend, perf_tests_family, perf_tests_recent;

INSERT INTO perf_runs (run_id, ci, first_seen)
SELECT 'r' || lpad(r::text, 5, '0'), jsonb_build_object('Commit', md5(r::text)), timestamptz '2025-01-01' + r * interval '1 hour'
FROM generate_series(1, $runs) r;

INSERT INTO perf_tests (run_id, test_id, passed, problems, gpu_type, benchmark_mode, num_ctx_servers, num_gen_servers, config,
                        job_id, job_state, job_nodes, started_at, finished_at, duration_s, uploaded_at,
                        run_at, model, isl, osl, category, container_image, git_commit, cluster)
SELECT 'r' || lpad(r::text, 5, '0'), 'disagg_perf_t' || lpad(t::text, 3, '0'), (r * 7 + t) % 97 <> 0, '[]', 'gb200', 'e2e', 1, 1,
       '{"metadata":{"model_name":"bench-model"}}', (r * 1000 + t)::text, 'COMPLETED', 'node[1-2]',
       timestamptz '2025-01-01' + r * interval '1 hour', timestamptz '2025-01-01' + r * interval '1 hour' + t * interval '10 second', 120,
       timestamptz '2025-01-01' + r * interval '1 hour' + interval '1 hour',
       timestamptz '2025-01-01' + r * interval '1 hour' + t * interval '10 second',
       'bench-model-' || (t % 10), 1024, 1024, 'perf', 'nvcr.io/trtllm:' || (r / 100), md5(r::text), 'bench'
FROM generate_series(1, $runs) r, generate_series(1, $tests) t;

INSERT INTO perf_results (run_id, test_id, concurrency, prompts, document, output_tps_per_gpu, throughput_gpus)
SELECT 'r' || lpad(r::text, 5, '0'), 'disagg_perf_t' || lpad(t::text, 3, '0'), 1 << (c - 1), 40, '{}',
       (1000 + t) * c * (1 + 0.02 * sin(r * 1.7 + t)) / 2, 2
FROM generate_series(1, $runs) r, generate_series(1, $tests) t, generate_series(1, $conc) c;

INSERT INTO perf_metrics (run_id, test_id, concurrency, metric, value)
SELECT 'r' || lpad(r::text, 5, '0'), 'disagg_perf_t' || lpad(t::text, 3, '0'), 1 << (c - 1), m.metric,
       m.base * (1 + 0.02 * sin(r * 1.7 + t + c))
FROM generate_series(1, $runs) r, generate_series(1, $tests) t, generate_series(1, $conc) c,
     (VALUES ('output_token_throughput', 1000.0), ('user_throughput', 80.0), ('median_ttft_ms', 300.0), ('median_tpot_ms', 12.0)) m(metric, base);
SQL
t1=$(now)
log "indexes and keys"
psql -q -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
SET maintenance_work_mem = '512MB';
ALTER TABLE perf_tests ADD PRIMARY KEY (run_id, test_id);
ALTER TABLE perf_results ADD PRIMARY KEY (run_id, test_id, concurrency);
ALTER TABLE perf_metrics ADD PRIMARY KEY (run_id, test_id, concurrency, metric);
CREATE INDEX perf_metrics_history ON perf_metrics (test_id, metric, concurrency);
CREATE INDEX perf_tests_trend ON perf_tests (test_id, run_at);
CREATE INDEX perf_tests_family ON perf_tests (model, gpu_type, isl, osl, run_at);
CREATE INDEX perf_tests_recent ON perf_tests (run_at);
ANALYZE perf_runs, perf_tests, perf_results, perf_metrics;
SQL
t2=$(now)
rows=$(psql -At -d "$db" -c "SELECT (SELECT count(*) FROM perf_tests) || ' ' || (SELECT count(*) FROM perf_results) || ' ' || (SELECT count(*) FROM perf_metrics)")
size=$(psql -At -d "$db" -c "SELECT pg_size_pretty(pg_database_size('$db'))")
result history_rows_tests_results_metrics "$rows"
result history_db_size "$size"
result history_generate_s "$(fsub "$t1" "$t0")"
result history_index_s "$(fsub "$t2" "$t1")"

time_cli() { local s e; s=$(now); dotnet "$cli" "$@" >"$tmp/out.txt" 2>"$tmp/err.txt" || { cat "$tmp/err.txt" >&2; return 1; }; e=$(now); fsub "$e" "$s"; }
median() { sort -g | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2 }'; }
base=() trend=() compare=()
test_id="disagg_perf_t$(printf %03d $(( (tests + 1) / 2 )))" run_a="r$(printf %05d $((runs - 1)))" run_b="r$(printf %05d "$runs")"
for ((i = 1; i <= repeat; i++)); do
  base+=("$(time_cli --help)")
  trend+=("$(time_cli trend --db "$conn" --test "$test_id" --out "$tmp/trend.html")")
  compare+=("$(time_cli compare "$run_a" "$run_b" --db "$conn" --out "$tmp")")
done
log "trend.html $(wc -c <"$tmp/trend.html") bytes; compare.md $(wc -l <"$tmp/compare.md") lines"
result history_cli_startup_median_s "$(printf '%s\n' "${base[@]}" | median)"
result history_trend_one_test_median_s "$(printf '%s\n' "${trend[@]}" | median)"
result history_trend_one_test_max_s "$(printf '%s\n' "${trend[@]}" | sort -g | tail -1)"
result history_compare_two_runs_median_s "$(printf '%s\n' "${compare[@]}" | median)"
result history_compare_two_runs_max_s "$(printf '%s\n' "${compare[@]}" | sort -g | tail -1)"
rm -rf "$tmp"
