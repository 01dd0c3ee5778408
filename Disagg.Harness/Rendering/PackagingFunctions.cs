using System.Globalization;
using System.Text;
using Disagg.Harness.Common;

namespace Disagg.Harness.Rendering;

/// <summary>
/// The job half of the failure-diagnosis package (issue 8, ci-and-logs.md §8). Appended to
/// <see cref="JobFunctions"/>: <c>fail</c> (= <c>cleanup_on_failure</c>) calls
/// <c>package_logs_for_diagnosis failure</c> before it stops any step, the TERM trap (scancel, the time limit)
/// goes through <c>fail</c>, and the USR1 time-limit warning packages while the job keeps running, so even a
/// TIMEOUT leaves a package written by the job itself. Secrets never enter the archive: values of variables
/// whose names match <see cref="SecretFilter.NameWords"/> and every match of <see cref="SecretFilter.ValueRules"/>
/// (the runner's own rules, turned into sed arguments) are replaced in every file, and the environment is only
/// written filtered.
/// </summary>
public static class PackagingFunctions
{
    /// <summary>Job-env switch for packaging successful jobs too (off by default).</summary>
    public const string PackageOnSuccessVariable = "DISAGG_PACKAGE_ON_SUCCESS";

    /// <summary>
    /// Lead time of the USR1 warning: two minutes, but at most half the limit, so a short job is warned
    /// near its end instead of at its start (SLURM checks limits about every 30 s).
    /// </summary>
    public static int WarningLeadSeconds(TimeSpan timeLimit) =>
        (int)Math.Clamp(Math.Floor(timeLimit.TotalSeconds / 2), 1, 120);

    public static string Text(string phasesFile)
    {
        var signatures = new StringBuilder();
        foreach (var s in FailureSignatures.All)
            signatures.Append("  ").Append(BashQuote.Quote(s.Text)).Append(' ').AppendLine(BashQuote.Quote(s.Name));
        return Template
            .Replace("__SIGNATURES__", signatures.ToString().TrimEnd('\n'), StringComparison.Ordinal)
            .Replace("__SECRET_WORDS__", SecretFilter.NameWords, StringComparison.Ordinal)
            .Replace("__SECRET_NAME_K__", SecretFilter.AwkSecretCondition("k"), StringComparison.Ordinal)
            .Replace("__SECRET_NAME_1__", SecretFilter.AwkSecretCondition("$1"), StringComparison.Ordinal)
            .Replace("__SED_RULES__", SecretFilter.SedArguments(), StringComparison.Ordinal)
            .Replace("__PHASES__", phasesFile, StringComparison.Ordinal)
            .Replace("__SUMMARY__", JobFiles.DiagnosisSummary, StringComparison.Ordinal)
            .Replace("__NVIDIA__", JobFiles.NvidiaSmi, StringComparison.Ordinal)
            .Replace("__PROCESSES__", JobFiles.Processes, StringComparison.Ordinal)
            .Replace("__DISK__", JobFiles.DiskUsage, StringComparison.Ordinal)
            .Replace("__ENV__", JobFiles.FilteredEnvironment, StringComparison.Ordinal)
            .Replace("__SLURM__", JobFiles.SlurmState, StringComparison.Ordinal)
            .Replace("__ON_SUCCESS__", PackageOnSuccessVariable, StringComparison.Ordinal)
            .Replace("__CONTEXT_BEFORE__", LogExcerpt.ContextBefore.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__CONTEXT_AFTER__", LogExcerpt.ContextAfter.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__TAIL__", LogExcerpt.TailLines.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private const string Template = """
        # ---- failure-diagnosis package (Rendering/PackagingFunctions.cs) ----
        # Signatures of fatal lines (Execution/FailureSignatures.cs): text, then name.
        DIAG_SIGNATURES=(
        __SIGNATURES__
        )
        DIAG_TIME_WARNING=""
        # diag_redact: stdin to stdout with the values of secret-named variables replaced, then SecretFilter's value
        # rules (NAME=value, Password=/Pwd=, user:pass@ in URLs, Authorization headers), generated from Common/SecretFilter.cs.
        diag_redact() {
          LC_ALL=C awk 'BEGIN { for (k in ENVIRON) if (__SECRET_NAME_K__ && length(ENVIRON[k]) >= 4) s[++n] = ENVIRON[k] }
            { line = $0
              for (i = 1; i <= n; i++) { out = ""; while ((p = index(line, s[i])) > 0) { out = out substr(line, 1, p - 1) "<redacted>"; line = substr(line, p + length(s[i])) } line = out line }
              print line }' | LC_ALL=C sed -E__SED_RULES__
        }
        # diag_copy <file>: the file, redacted; above DISAGG_PACKAGE_MAX_FILE_MB (default 100) its head and tail.
        diag_copy() {
          local max=$(( ${DISAGG_PACKAGE_MAX_FILE_MB:-100} * 1048576 )) size
          size=$(stat -c %s "$1" 2>/dev/null || echo 0)
          if [ "$size" -gt "$max" ]; then
            { head -c 1048576 "$1"; printf '\n[... %s bytes cut by the diagnosis packager; the whole file is on the cluster ...]\n' "$((size - max))"; tail -c "$((max - 1048576))" "$1"; } | diag_redact
          else
            diag_redact < "$1"
          fi
        }
        # diag_first_error <file> <label>: "<label>:<line>: <signature>" and the lines around it, or nothing.
        diag_first_error() {
          local args=() i hit n text
          for ((i = 0; i < ${#DIAG_SIGNATURES[@]}; i += 2)); do args+=(-e "${DIAG_SIGNATURES[$i]}"); done
          hit=$(grep -n -F -m1 "${args[@]}" -- "$1" 2>/dev/null) || return 0
          n=${hit%%:*}; text=${hit#*:}
          for ((i = 0; i < ${#DIAG_SIGNATURES[@]}; i += 2)); do
            if [[ $text == *"${DIAG_SIGNATURES[$i]}"* ]]; then echo "$2:$n: ${DIAG_SIGNATURES[$((i + 1))]}"; break; fi
          done
          sed -n "$(( n > __CONTEXT_BEFORE__ ? n - __CONTEXT_BEFORE__ : 1 )),$(( n + __CONTEXT_AFTER__ ))p" -- "$1" | sed 's/[[:space:]]*$//; s/^/    /'
          # A traceback names its exception at its end: show that line too.
          if [[ $text == *"${DIAG_SIGNATURES[0]}"* ]]; then
            hit=$(tail -n +"$((n + 1))" -- "$1" | grep -n -F -m1 "${args[@]:2}") && echo "    => line $((n + ${hit%%:*})): $(echo "${hit#*:}" | sed 's/[[:space:]]*$//')"
          fi
          return 0
        }
        # diag_summary <status> <message> <log...>: summary.txt, the file to read first.
        diag_summary() {
          local status=$1 message=$2 log first="" errors="" tails="" hit total; shift 2
          for log in "$@"; do
            [ -f "$WORKSPACE/$log" ] || continue
            hit=$(diag_first_error "$WORKSPACE/$log" "$log")
            if [ -n "$hit" ]; then errors+="$hit"$'\n'; [ -n "$first" ] || first=$log; fi
            total=$(wc -l < "$WORKSPACE/$log")
            tails+="--- $log (last $(( total < __TAIL__ ? total : __TAIL__ )) of $total lines) ---"$'\n'
            tails+="$(tail -n __TAIL__ -- "$WORKSPACE/$log" | sed 's/[[:space:]]*$//; s/^/    /')"$'\n'
          done
          echo "DISAGG FAILURE-DIAGNOSIS PACKAGE (read this file first)"
          echo "status:       $status"
          echo "packaged by:  the job itself (batch script on $(hostname -s 2>/dev/null || hostname), before any step was stopped)"
          echo "packaged at:  $(date -u '+%Y-%m-%d %H:%M:%S') UTC (the archive name uses the UTC date)"
          echo "test:         ${DISAGG_TEST_ID:-$(sed -n 's/^DISAGG_TEST_ID=//p' "$WORKSPACE/job_meta.env" 2>/dev/null)}"
          echo "job:          ${SLURM_JOB_ID:-?} (${SLURM_JOB_NAME:-?})"
          echo "nodes:        ${SLURM_JOB_NODELIST:-?}"
          echo "final state:  not known yet: the job packaged itself while running (squeue/sacct tell the end)"
          [ -n "$DIAG_TIME_WARNING" ] && echo "time limit:   SLURM's time-limit warning (SIGUSR1) arrived at $DIAG_TIME_WARNING UTC"
          echo "error:        ${message:-none}"
          echo "full logs:    $WORKSPACE"
          echo "open next:    ${first:-${1:-slurm-${SLURM_JOB_ID:-0}.err}}"
          echo
          echo "== phase timeline (__PHASES__) =="
          if [ -f "$WORKSPACE/__PHASES__" ]; then
            while read -r at text; do echo "  $(date -u -d "@${at%%.*}" +%H:%M:%S 2>/dev/null || echo "$at")  $text"; done < "$WORKSPACE/__PHASES__"
          else
            echo "  (no phases recorded)"
          fi
          echo
          echo "== first errors (lines matching the runtime's failure signatures) =="
          if [ -n "$errors" ]; then printf '%s' "$errors"; else echo "  (no log has a line matching a failure signature)"; fi
          echo
          echo "== last lines =="
          printf '%s' "$tails"
        }
        # package_logs_for_diagnosis <status> [message]: job_<id>_<status>_<YYYYMMDD>.tar.gz in the workspace.
        package_logs_for_diagnosis() {
          local status=${1:-failure} message=${2:-} stage name partial rel log logs=() files=() entries=()
          name="job_${SLURM_JOB_ID:-0}_${status}_$(date -u +%Y%m%d).tar.gz"
          partial="$WORKSPACE/.$name.partial"
          stage=$(mktemp -d "${TMPDIR:-/tmp}/disagg-diag-XXXXXX") || { echo "package_logs_for_diagnosis: no staging folder; nothing packaged" >&2; return 1; }
          mapfile -t files < <(cd "$WORKSPACE" && find . -type f \( -name '*.log' -o -name '*.out' -o -name '*.err' -o -name '*.yaml' -o -name '*.sh' -o -name '*.sbatch' -o -name '*.env' -o -name '*.json' \) ! -name '.*' | sed 's|^\./||' | LC_ALL=C sort)
          for rel in "${files[@]}"; do
            mkdir -p "$stage/$(dirname "$rel")"
            diag_copy "$WORKSPACE/$rel" > "$stage/$rel"
          done
          # Logs in the order a reader should look at them: servers as started, then the rest, the job's own stderr last.
          for log in "${STEP_LOGS[@]}"; do logs+=("$log"); done
          for rel in "${files[@]}"; do
            case "$rel" in *.log|*.err|*.out) [[ " ${logs[*]} " == *" $rel "* ]] || [[ $rel == slurm-* ]] || logs+=("$rel") ;; esac
          done
          for rel in "${files[@]}"; do [[ $rel == slurm-* ]] && logs+=("$rel"); done
          if command -v nvidia-smi >/dev/null 2>&1; then timeout 30 nvidia-smi -q > "$stage/__NVIDIA__" 2>&1
          else echo "nvidia-smi is unavailable on $(hostname) (no NVIDIA driver or not in PATH); GPU state was not captured" > "$stage/__NVIDIA__"; fi
          { echo "# ps on $(hostname) at $(date -u '+%Y-%m-%d %H:%M:%S') UTC"; ps -eo pid,ppid,user,etime,stat,rss,args 2>&1; } | diag_redact > "$stage/__PROCESSES__"
          { echo "# df and du at $(date -u '+%Y-%m-%d %H:%M:%S') UTC"; df -h "$WORKSPACE" "${TMPDIR:-/tmp}" 2>&1; echo; timeout 20 du -sh "$WORKSPACE" 2>&1; } > "$stage/__DISK__"
          { echo "# environment of the batch script; names matching __SECRET_WORDS__ are redacted"
            env | LC_ALL=C sort | LC_ALL=C awk -F= '{ if (__SECRET_NAME_1__) print $1 "=<redacted>"; else print }'; } | diag_redact > "$stage/__ENV__"
          { echo "# scontrol show job ${SLURM_JOB_ID:-?} from inside the job"; timeout 10 scontrol show job "${SLURM_JOB_ID:-0}" 2>&1; } | diag_redact > "$stage/__SLURM__"
          diag_summary "$status" "$message" "${logs[@]}" | diag_redact > "$stage/__SUMMARY__"
          { echo; echo "== files in this package =="; (cd "$stage" && find . -type f | sed 's|^\./|  |' | LC_ALL=C sort); } >> "$stage/__SUMMARY__"
          mapfile -t entries < <(cd "$stage" && ls -A | grep -vx '__SUMMARY__')
          # tar ignores TERM (inherited SIG_IGN), so scancel cannot cut an archive short; only SIGKILL can, and then the .partial stays behind.
          if (trap '' TERM; tar -czf "$partial" -C "$stage" __SUMMARY__ "${entries[@]}") && mv -f "$partial" "$WORKSPACE/$name"; then
            phase "packaged $name"
          else
            echo "package_logs_for_diagnosis: tar failed; the logs stay in $WORKSPACE" >&2
          fi
          rm -rf "$stage"
        }
        cleanup_on_failure() { fail "$@"; }
        package_on_success() { [ "${__ON_SUCCESS__:-0}" != 1 ] || package_logs_for_diagnosis success; }
        time_limit_warning() {
          DIAG_TIME_WARNING=$(date -u +%H:%M:%S)
          phase "time limit warning (SIGUSR1): packaging logs now; the job runs on until SLURM stops it"
          package_logs_for_diagnosis failure "SLURM's time limit is near (SIGUSR1 at $DIAG_TIME_WARNING UTC); the job was still running and will end as TIMEOUT"
        }
        trap 'fail "command failed with exit code $? at line $LINENO of the job script: $BASH_COMMAND"' ERR

        """;
}
