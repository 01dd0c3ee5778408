#!/usr/bin/env python3
"""Summarises a bench/noise.sh work dir: per phase (aa, slow) the jobs judged, jobs flagged by each rule, repeats and extra time.
usage: noise_report.py <work dir> <RESULT file to append to>"""
import json, glob, sys
work, out = sys.argv[1], sys.argv[2]
lines = []
def emit(k, v):
    lines.append(f"RESULT {k} {v}"); print(f"RESULT {k} {v}")
for name in ("aa", "slow"):
    jobs = []
    for f in sorted(glob.glob(f"{work}/{name}/results/disagg_perf_*/results.json")):
        r = json.load(open(f)); d = f.rsplit("/", 1)[0]
        judged = [x for x in r.get("regression") or [] if x["severity"] != "skipped"]
        if not judged or r.get("job_state") != "COMPLETED": continue
        noise_flag = any(x["regressed"] for x in judged)
        try: fixed_flag = open(d + "/fixed-rule.rc").read().strip() == "1"
        except OSError: continue
        conf = r.get("confirmation") or {}
        ph = [(p["at"], p["phase"]) for p in r.get("phases") or []]
        import datetime
        ts = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
        start = next((ts(a) for a, p in ph if p == "running"), None); end = next((ts(a) for a, p in ph if p == "done"), None)
        if start is None or end is None: continue
        extra = conf.get("extra_s", 0.0) or 0.0
        first = next((ts(a) for a, p in ph if p.startswith("concurrency ") and p.endswith(" started")), None)
        planned = next((ts(a) for a, p in ph if p == "planned concurrencies done"), None)
        planned_s = planned - first if first is not None and planned is not None else 0.0
        jobs.append((noise_flag, fixed_flag, extra, end - start - extra, conf.get("repeats", 0), sum(1 for x in judged if x["regressed"]),
                     planned_s, len(judged)))
    n = len(jobs)
    emit(f"{name}_jobs_judged", n)
    if n == 0: continue
    emit(f"{name}_flagged_noise_aware", sum(j[0] for j in jobs))
    emit(f"{name}_flagged_fixed", sum(j[1] for j in jobs))
    emit(f"{name}_rate_noise_aware_pct", round(100 * sum(j[0] for j in jobs) / n, 1))
    emit(f"{name}_rate_fixed_pct", round(100 * sum(j[1] for j in jobs) / n, 1))
    emit(f"{name}_jobs_with_repeats", sum(1 for j in jobs if j[4] > 0))
    emit(f"{name}_repeats_total", sum(j[4] for j in jobs))
    emit(f"{name}_extra_time_mean_pct", round(100 * sum(j[2] / j[3] for j in jobs) / n, 1))
    emit(f"{name}_extra_time_max_pct", round(100 * max(j[2] / j[3] for j in jobs), 1))
    emit(f"{name}_job_running_s_mean", round(sum(j[3] for j in jobs) / n, 1))
    emit(f"{name}_extra_over_planned_benchmark_pct", round(100 * sum(j[2] for j in jobs) / max(1e-9, sum(j[6] for j in jobs)), 1))
    emit(f"{name}_cases_judged", sum(j[7] for j in jobs))
    emit(f"{name}_cases_flagged_noise_aware", sum(j[5] for j in jobs))
open(out, "a").write("\n".join(lines) + "\n")
