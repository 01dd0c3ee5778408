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
        finish() { trap - TERM USR1; stop_steps; package_on_success; exit 0; }  # diag: package_on_success
        fail() {
          echo "Error: $*" >&2
          phase "failed $*"
          trap '' TERM USR1  # diag: was 'trap - TERM USR1'; a second signal must not kill the packager
          package_logs_for_diagnosis failure "$*"  # diag: package BEFORE anything is stopped or cancelled
          stop_steps
          exit 1
        }
        trap 'fail "received SIGTERM (scancel, preemption or node shutdown)"' TERM
        trap 'time_limit_warning' USR1  # diag: package at the warning, keep running; SLURM's TERM at the limit packages again
        # start_step <name> <log> <srun args...>: a background server step, supervised by check_steps.
        start_step() {
          local name=$1 log=$2; shift 2
          srun "$@" &> "$WORKSPACE/$log" &
          STEP_PIDS+=($!); STEP_NAMES+=("$name"); STEP_LOGS+=("$log")
          phase "started $name"
        }
        check_steps() {
          local i rc
          for i in "${!STEP_PIDS[@]}"; do
            if ! kill -0 "${STEP_PIDS[$i]}" 2>/dev/null; then
              wait "${STEP_PIDS[$i]}"; rc=$?
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
        wait_ready() {
          local deadline=$((SECONDS + $3)) status
          phase "waiting for http://$1:$2/health"
          while :; do
            check_steps
            status=$(http_status "$1" "$2" /health)
            [ "$status" = 200 ] && return 0
            [ "$SECONDS" -ge "$deadline" ] && fail "disagg server http://$1:$2/health did not answer 200 within $3 s (last status $status)"
            sleep 1 & wait $!
          done
        }
        # run_step <name> <log> <srun args...>: a foreground step; the servers stay supervised while it runs.
        run_step() {
          local name=$1 log=$2 pid rc; shift 2
          phase "started $name"
          srun "$@" &> "$WORKSPACE/$log" &
          pid=$!
          while kill -0 "$pid" 2>/dev/null; do check_steps; sleep 1 & wait $!; done
          wait "$pid"; rc=$?
          [ "$rc" -eq 0 ] || fail "$name exited with code $rc; see $log"
          phase "finished $name"
        }

        """.Replace("__PHASES__", phasesFile, StringComparison.Ordinal)
        + PackagingFunctions.Text(phasesFile); // diag
}
