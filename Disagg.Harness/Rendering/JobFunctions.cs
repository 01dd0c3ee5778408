namespace Disagg.Harness.Rendering;

/// <summary>
/// Bash functions every job script carries: phase markers for the runner, step bookkeeping, a
/// dependency-free HTTP probe (/dev/tcp, no curl on the node needed) and fail-fast supervision.
/// </summary>
public static class JobFunctions
{
    public static string Text(string phasesFile) => """
        STARTED=$(date +%s)
        STEP_PIDS=(); STEP_NAMES=(); STEP_LOGS=()
        phase() { echo "$(date +%s.%N) $*" >> "$WORKSPACE/__PHASES__"; echo "[disagg $(date -u +%H:%M:%S)] $*"; }
        stop_steps() {
          local pid
          for pid in "${STEP_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
          for pid in "${STEP_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
        }
        finish() { trap - TERM USR1; stop_steps; package_on_success; exit 0; }
        # fail_code <exit code> <message>: packages the logs, then stops every step and ends with that status.
        fail_code() {
          local code=$1; shift
          echo "Error: $*" >&2
          phase "failed $*"
          trap '' TERM USR1  # a second signal must not kill the packager
          package_logs_for_diagnosis failure "$*"  # package BEFORE anything is stopped or cancelled
          stop_steps
          exit "$code"
        }
        fail() { fail_code 1 "$@"; }
        trap 'fail "received SIGTERM (scancel, preemption or node shutdown)"' TERM
        trap 'time_limit_warning' USR1  # package at the warning, keep running; SLURM's TERM at the limit packages again
        # start_step <name> <log> <srun args...>: a background server step, supervised by check_steps.
        start_step() {
          local name=$1 log=$2; shift 2
          srun "$@" &> "$WORKSPACE/$log" &
          STEP_PIDS+=($!); STEP_NAMES+=("$name"); STEP_LOGS+=("$log")
          phase "started $name"
        }
        # The runner refreshes runner_<job id>.heartbeat while it follows the job. If the runner dies
        # (SIGKILL, lost machine) the file goes stale and the job stops itself instead of running on.
        check_heartbeat() {
          local file="$WORKSPACE/runner_${SLURM_JOB_ID}.heartbeat" age
          [ -f "$file" ] || return 0
          age=$(( $(date +%s) - $(stat -c %Y "$file" 2>/dev/null || date +%s) ))
          [ "$age" -le "${DISAGG_HEARTBEAT_TIMEOUT_S:-60}" ] || fail "the runner's heartbeat is ${age} s old (limit ${DISAGG_HEARTBEAT_TIMEOUT_S:-60} s): the runner is gone, stopping so the job is not left behind"
        }
        check_steps() {
          local i rc
          check_heartbeat
          for i in "${!STEP_PIDS[@]}"; do
            if ! kill -0 "${STEP_PIDS[$i]}" 2>/dev/null; then
              wait "${STEP_PIDS[$i]}"; rc=$?
              phase "exited ${STEP_NAMES[$i]} code $rc"
              fail "${STEP_NAMES[$i]} exited with code $rc; see ${STEP_LOGS[$i]}"
            fi
          done
        }
        http_status() {
          local status=000
          if exec 3<>"/dev/tcp/$1/$2"; then
            printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$3" "$1" >&3
            read -r -t 5 _ status _ <&3 || status=000
            exec 3>&-
          fi
          echo "${status:-000}"
        } 2>/dev/null
        # wait_ready <host> <port> <timeout s>: HTTP 200 from /health (a 503 is not ready), servers alive.
        # Workers announce themselves as they become healthy: "ready <name>" markers for the runner.
        WORKER_NAMES=(); WORKER_URLS=(); WORKER_READY=()
        add_worker() { WORKER_NAMES+=("$1"); WORKER_URLS+=("$2 $3"); WORKER_READY+=(0); }
        probe_workers() {
          local i
          for i in "${!WORKER_NAMES[@]}"; do
            [ "${WORKER_READY[$i]}" = 1 ] && continue
            # shellcheck disable=SC2086
            if [ "$(http_status ${WORKER_URLS[$i]} /health)" = 200 ]; then WORKER_READY[$i]=1; phase "ready ${WORKER_NAMES[$i]}"; fi
          done
        }
        wait_ready() {
          local deadline=$((SECONDS + $3)) status
          phase "waiting for http://$1:$2/health"
          while :; do
            check_steps
            probe_workers
            status=$(http_status "$1" "$2" /health)
            [ "$status" = 200 ] && return 0
            [ "$SECONDS" -ge "$deadline" ] && fail "disagg server http://$1:$2/health did not answer 200 within $3 s (last status $status)"
            sleep 1 & wait $!
          done
        }
        # run_step <name> <log> <srun args...>: a foreground step; the servers stay supervised while it runs.
        # A step the controller could not create (restarting slurmctld, resources not yet released) never ran:
        # it is retried a few times instead of failing the job; a step that ran and failed is never rerun.
        run_step() {
          local name=$1 log=$2 pid rc attempt append="${JOB_LOG_APPEND:-0}"; shift 2
          phase "started $name"
          for attempt in 1 2 3 4 5; do
            if [ "$append" = 1 ]; then srun "$@" &>> "$WORKSPACE/$log" & else srun "$@" &> "$WORKSPACE/$log" & fi
            pid=$!
            while kill -0 "$pid" 2>/dev/null; do check_steps; sleep 1 & wait $!; done
            wait "$pid"; rc=$?
            [ "$rc" -ne 0 ] && [ "$attempt" -lt 5 ] && tail -n 3 "$WORKSPACE/$log" | grep -q "Unable to create step" || break
            phase "retrying $name: SLURM could not create the step (attempt $attempt)"
            append=1
            sleep 2 & wait $!
          done
          # A server that died while this step ran is the cause, even when the step itself finished.
          check_steps
          [ "$rc" -eq 0 ] || fail_code "$rc" "$name exited with code $rc; see $log"
          phase "finished $name"
        }

        """.Replace("__PHASES__", phasesFile, StringComparison.Ordinal)
        + PackagingFunctions.Text(phasesFile);
}
