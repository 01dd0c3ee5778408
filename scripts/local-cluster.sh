#!/usr/bin/env bash
# scripts/local-cluster.sh — a real, single-host SLURM cluster for Disagg's tests.
#
#   up      install what is missing (apt), then start munged, slurmctld, four slurmd
#           (node1..node4, 4 fake GPUs each), sshd on 127.0.0.1:2222 and PostgreSQL on
#           127.0.0.1:5432; wait until all nodes are idle; write $STATE/cluster.env.
#   down    stop everything this script started (by pid, waiting on the processes).
#   status  sinfo -N -l plus one line per service; exit 0 if all run, 3 otherwise.
#
# Everything lives under the state dir ($DISAGG_CLUSTER_STATE, default <repo>/.local-cluster),
# except /etc/slurm/{slurm,gres}.conf (client tools read the default path) and the munge
# socket /run/munge (client tools use the default socket). /etc/ssh and ~/.ssh are never touched.
# Daemons run as plain background processes: no systemd / init scripts are used.
set -euo pipefail
export LC_ALL=C
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"

PROG=${0##*/}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)

usage() {
    cat <<EOF
Usage: $PROG up|down|status
       $PROG --help

  up      Install missing packages (apt), start the local cluster idempotently and wait
          until all 4 nodes are idle. A no-op (prints status) when everything already runs.
  down    Stop every service this script started (slurmd x4, slurmctld, sshd, postgres, munged).
  status  Print 'sinfo -N -l' and each service's pid and state.
          Exit 0 when all services run, 3 otherwise.

Services (all on loopback):
  munged      /run/munge/munge.socket.2
  slurmctld   127.0.0.1:6817 (slurmctld binds 0.0.0.0:6817 whatever is configured)
  slurmd      node1..node4 on 127.0.0.1:17001-17004, partition 'debug', CPUs=4, Gres=gpu:4
  sshd        127.0.0.1:\${DISAGG_CLUSTER_SSH_PORT:-2222}, user root, key auth only
  postgres    127.0.0.1:\${DISAGG_CLUSTER_PG_PORT:-5432}, role disagg/disagg, database disagg_perf

Environment:
  DISAGG_CLUSTER_STATE          state dir (default: <repo>/.local-cluster)
  DISAGG_CLUSTER_READY_TIMEOUT  seconds 'up' waits for the nodes to be idle (default 30)
  DISAGG_CLUSTER_SSH_PORT       sshd port (default 2222)
  DISAGG_CLUSTER_PG_PORT        PostgreSQL port (default 5432)

After 'up', source \$STATE/cluster.env for DISAGG_SSH_* and DISAGG_PERFDB_CONNECTION.
Must run as root (Debian 12).
EOF
}

# ---------------------------------------------------------------- arguments
VERB=${1:-}
case "$VERB" in
    -h|--help|help) usage; exit 0 ;;
    up|down|status) shift ;;
    "") usage >&2; exit 2 ;;
    *) echo "$PROG: unknown verb '$VERB'" >&2; usage >&2; exit 2 ;;
esac
if (($#)); then
    case "$1" in
        -h|--help) usage; exit 0 ;;
        *) echo "$PROG: unexpected argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "$PROG: must run as root (it installs packages, writes /etc/slurm and starts daemons)" >&2
    exit 1
fi

# ---------------------------------------------------------------- layout
STATE=$(realpath -m -- "${DISAGG_CLUSTER_STATE:-$REPO/.local-cluster}")
RUN=$STATE/run
LOG=$STATE/log
SSH_DIR=$STATE/ssh
GPU_DIR=$STATE/fakegpu
SPOOL=$STATE/slurmd
CTLD_STATE=$STATE/slurmctld
ENV_FILE=$STATE/cluster.env

SLURM_ETC=/etc/slurm
SLURM_CONF=$SLURM_ETC/slurm.conf
GRES_CONF=$SLURM_ETC/gres.conf
MARKER="# Managed by Disagg scripts/local-cluster.sh"

PARTITION=debug
NODES=(node1 node2 node3 node4)
NODE_COUNT=${#NODES[@]}
NODE_RANGE="node[1-$NODE_COUNT]"
GPUS_PER_NODE=4
CPUS_PER_NODE=4
MEM_PER_NODE=4000
CTLD_PORT=6817
SLURMD_PORT0=17001
SSH_HOST=127.0.0.1
SSH_PORT=${DISAGG_CLUSTER_SSH_PORT:-2222}
PG_HOST=127.0.0.1
PG_PORT=${DISAGG_CLUSTER_PG_PORT:-5432}
PG_ROLE=disagg
PG_PASSWORD=disagg
PG_DB=disagg_perf
READY_TIMEOUT=${DISAGG_CLUSTER_READY_TIMEOUT:-30}
STOP_TIMEOUT=30

APT_PACKAGES=(slurmctld slurmd slurm-client munge openssh-server postgresql)
MUNGE_SOCKET=/run/munge/munge.socket.2

SERVICES=(munged slurmctld)
for n in "${NODES[@]}"; do SERVICES+=("slurmd-$n"); done
SERVICES+=(sshd postgres)

T0=$EPOCHREALTIME

# ---------------------------------------------------------------- helpers
log() { printf '[local-cluster] %s\n' "$*"; }
warn() { printf '[local-cluster] WARNING: %s\n' "$*" >&2; }
die() { printf '[local-cluster] ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }

CREATED_POLICY_RC=false
on_exit() {
    if $CREATED_POLICY_RC; then rm -f /usr/sbin/policy-rc.d; fi
}
trap on_exit EXIT

# A pid is alive when /proc has it and it is not a zombie (PID 1 here may not reap).
pid_alive() {
    local pid=$1 stat st
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    st=${stat##*) }
    st=${st%% *}
    [[ $st != Z && $st != X ]]
}

pid_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# Text that the service's command line must contain (guards against reused pids).
svc_marker() {
    case "$1" in
        munged) echo "--log-file=$LOG/munged.log" ;;
        slurmctld) echo "-L $LOG/slurmctld.log" ;;
        slurmd-*) echo "-L $LOG/$1.log" ;;
        sshd) echo "-f $SSH_DIR/sshd_config" ;;
        postgres) echo "-D $(pg_data)" ;;
    esac
}

# Prints the pid of a running service started by this script, or fails.
svc_pid() {
    local name=$1 pid
    [[ -r $RUN/$name.pid ]] || return 1
    pid=$(head -n1 "$RUN/$name.pid" 2>/dev/null) || return 1
    pid_alive "$pid" || return 1
    [[ $(pid_cmdline "$pid") == *"$(svc_marker "$name")"* ]] || return 1
    echo "$pid"
}

svc_running() { svc_pid "$1" >/dev/null; }

munge_works() {
    [[ -x /usr/bin/munge && -x /usr/bin/unmunge && -S $MUNGE_SOCKET ]] || return 1
    /usr/bin/munge -n </dev/null 2>/dev/null | /usr/bin/unmunge >/dev/null 2>&1
}

# Is something listening on TCP port $1 (any address)?
port_listening() {
    local hex
    hex=$(printf ':%04X' "$1")
    awk -v h="$hex" '$4 == "0A" && substr($2, length($2) - 4) == h { f = 1 } END { exit !f }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

port_owner() {
    if command -v ss >/dev/null 2>&1; then
        ss -Hltnp "sport = :$1" 2>/dev/null | head -n1 || true
    fi
}

# Waits (bounded) for a port to be released, then fails with a clear message.
require_port_free() {
    local port=$1 what=$2 i
    for ((i = 0; i < 100; i++)); do
        port_listening "$port" || return 0
        sleep 0.1
    done
    die "port $port (needed by $what) is still in use by another process: $(port_owner "$port")"
}

# Starts a foreground-mode daemon detached from this shell; records its pid.
start_daemon() {
    local name=$1
    shift
    : >>"$LOG/$name.out"
    setsid "$@" </dev/null >>"$LOG/$name.out" 2>&1 &
    echo "$!" >"$RUN/$name.pid"
}

tail_logs() {
    local f
    for f in "$@"; do
        [[ -s $f ]] || continue
        echo "----- tail $f -----" >&2
        tail -n "${TAIL_LINES:-25}" "$f" >&2 || true
    done
}

# Writes $2 (content) to $1 only if it differs; prints "changed" when it did.
write_if_changed() {
    local path=$1 content=$2 mode=${3:-0644} tmp
    if [[ -f $path ]] && [[ "$(cat "$path")" == "$content" ]]; then
        return 0
    fi
    tmp=$(mktemp "$path.XXXXXX")
    printf '%s\n' "$content" >"$tmp"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$path"
    echo changed
}

# ---------------------------------------------------------------- packages
pg_bin() {
    local v
    for v in 15 16 17 14 13; do
        if [[ -x /usr/lib/postgresql/$v/bin/initdb && -x /usr/lib/postgresql/$v/bin/pg_ctl &&
              -x /usr/lib/postgresql/$v/bin/postgres && -x /usr/lib/postgresql/$v/bin/psql ]]; then
            echo "/usr/lib/postgresql/$v/bin"
            return 0
        fi
    done
    return 1
}

missing_binaries() {
    local b missing=()
    for b in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/slurmstepd /usr/bin/sbatch /usr/bin/srun \
             /usr/bin/sinfo /usr/bin/squeue /usr/bin/scontrol /usr/bin/scancel /usr/sbin/munged \
             /usr/bin/munge /usr/bin/unmunge /usr/sbin/sshd /usr/bin/ssh-keygen /usr/bin/ssh; do
        [[ -x $b ]] || missing+=("$b")
    done
    pg_bin >/dev/null || missing+=("postgresql (initdb/pg_ctl/postgres/psql)")
    getent passwd munge >/dev/null || missing+=("user munge")
    getent passwd postgres >/dev/null || missing+=("user postgres")
    printf '%s\n' "${missing[@]}"
}

apt_lists_present() {
    compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}

install_packages() {
    local missing
    missing=$(missing_binaries)
    if [[ -z $missing ]]; then
        return 0
    fi
    log "missing: $(echo "$missing" | paste -sd, -); installing ${APT_PACKAGES[*]} with apt"
    command -v apt-get >/dev/null || die "apt-get not found: this script supports Debian 12 only"
    export DEBIAN_FRONTEND=noninteractive
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        # Keep package postinst scripts from starting daemons (sshd on 0.0.0.0:22, ...).
        printf '#!/bin/sh\n# temporary, created by Disagg scripts/local-cluster.sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
        CREATED_POLICY_RC=true
    fi
    local apt_log=$LOG/apt.log updated=false
    local apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300
                    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    : >"$apt_log"
    if ! apt_lists_present; then
        log "apt-get update"
        apt-get -q -o DPkg::Lock::Timeout=300 update </dev/null >>"$apt_log" 2>&1 \
            || { tail_logs "$apt_log"; die "apt-get update failed (log: $apt_log)"; }
        updated=true
    fi
    if ! apt-get install "${apt_opts[@]}" "${APT_PACKAGES[@]}" </dev/null >>"$apt_log" 2>&1; then
        if $updated; then
            tail_logs "$apt_log"
            die "apt-get install failed (log: $apt_log)"
        fi
        log "apt-get install failed with the current package lists; running apt-get update and retrying"
        apt-get -q -o DPkg::Lock::Timeout=300 update </dev/null >>"$apt_log" 2>&1 \
            || { tail_logs "$apt_log"; die "apt-get update failed (log: $apt_log)"; }
        apt-get install "${apt_opts[@]}" "${APT_PACKAGES[@]}" </dev/null >>"$apt_log" 2>&1 \
            || { tail_logs "$apt_log"; die "apt-get install failed (log: $apt_log)"; }
    fi
    if $CREATED_POLICY_RC; then
        rm -f /usr/sbin/policy-rc.d
        CREATED_POLICY_RC=false
    fi
    missing=$(missing_binaries)
    [[ -z $missing ]] || die "still missing after apt-get install: $(echo "$missing" | paste -sd, -)"
    log "packages installed ($(elapsed) s)"
}

# ---------------------------------------------------------------- configuration
host_short() { hostname -s 2>/dev/null || hostname; }

slurm_conf_content() {
    local host
    host=$(host_short)
    cat <<EOF
$MARKER
# State dir: $STATE — regenerated by '$PROG up'; edits are overwritten.
ClusterName=disagg-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
SlurmdParameters=config_overrides
CommunicationParameters=NoInAddrAny
ReturnToService=2
MailProg=/bin/true
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MinJobAge=3600
KillWait=5
InactiveLimit=0
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$LOG/jobcomp.txt
StateSaveLocation=$CTLD_STATE
SlurmctldPidFile=$RUN/slurmctld.daemon.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdSpoolDir=$SPOOL/%n
SlurmdPidFile=$RUN/slurmd-%n.daemon.pid
SlurmdLogFile=$LOG/slurmd-%n.log
NodeName=$NODE_RANGE NodeHostname=$host NodeAddr=127.0.0.1 Port=$SLURMD_PORT0-$((SLURMD_PORT0 + NODE_COUNT - 1)) CPUs=$CPUS_PER_NODE RealMemory=$MEM_PER_NODE Gres=gpu:$GPUS_PER_NODE State=UNKNOWN
PartitionName=$PARTITION Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

gres_conf_content() {
    cat <<EOF
$MARKER
AutoDetect=off
Name=gpu File=$GPU_DIR/gpu[0-$((GPUS_PER_NODE - 1))]
EOF
}

# Backs up a pre-existing config that this script did not write (once).
backup_foreign() {
    local f=$1
    if [[ -f $f ]] && ! grep -qF "$MARKER" "$f" && [[ ! -e $f.disagg-backup ]]; then
        cp -p "$f" "$f.disagg-backup"
        log "backed up existing $f to $f.disagg-backup"
    fi
}

write_slurm_config() {
    mkdir -p "$SLURM_ETC"
    backup_foreign "$SLURM_CONF"
    backup_foreign "$GRES_CONF"
    local changed
    changed=$(write_if_changed "$SLURM_CONF" "$(slurm_conf_content)")
    changed+=$(write_if_changed "$GRES_CONF" "$(gres_conf_content)")
    if [[ -n $changed ]] && svc_running slurmctld; then
        warn "$SLURM_CONF or $GRES_CONF changed while slurmctld runs; run '$PROG down' and '$PROG up' to apply"
    fi
}

make_fake_gpus() {
    mkdir -p "$GPU_DIR"
    local i dev
    for ((i = 0; i < GPUS_PER_NODE; i++)); do
        dev=$GPU_DIR/gpu$i
        if [[ ! -c $dev ]]; then
            rm -f "$dev"
            # Character devices are required: plain files leave the nodes INVAL.
            mknod -m 666 "$dev" c 1 3 || die "mknod $dev failed (need a character device for the fake GPU)"
        fi
    done
}

ensure_ssh_files() {
    mkdir -p "$SSH_DIR"
    chmod 0700 "$SSH_DIR"
    if [[ ! -s $SSH_DIR/ssh_host_ed25519_key ]]; then
        rm -f "$SSH_DIR/ssh_host_ed25519_key" "$SSH_DIR/ssh_host_ed25519_key.pub"
        ssh-keygen -q -t ed25519 -N '' -C "disagg-local-cluster-host" -f "$SSH_DIR/ssh_host_ed25519_key"
    fi
    if [[ ! -s $SSH_DIR/id_ed25519 ]]; then
        rm -f "$SSH_DIR/id_ed25519" "$SSH_DIR/id_ed25519.pub"
        ssh-keygen -q -t ed25519 -N '' -C "disagg-local-cluster-client" -f "$SSH_DIR/id_ed25519"
    fi
    chmod 0600 "$SSH_DIR/ssh_host_ed25519_key" "$SSH_DIR/id_ed25519"
    write_if_changed "$SSH_DIR/authorized_keys" "$(cat "$SSH_DIR/id_ed25519.pub")" 0600 >/dev/null
    local hostkey
    hostkey=$(cut -d' ' -f1,2 "$SSH_DIR/ssh_host_ed25519_key.pub")
    write_if_changed "$SSH_DIR/known_hosts" "[$SSH_HOST]:$SSH_PORT $hostkey
[localhost]:$SSH_PORT $hostkey" 0644 >/dev/null

    # With UsePAM no, sshd refuses locked accounts ('!' password); PAM skips that check.
    local use_pam=no
    if [[ $(getent shadow root 2>/dev/null | cut -d: -f2) == '!'* ]]; then
        use_pam=yes
    fi
    write_if_changed "$SSH_DIR/sshd_config" "$MARKER
ListenAddress $SSH_HOST:$SSH_PORT
HostKey $SSH_DIR/ssh_host_ed25519_key
PidFile $RUN/sshd.daemon.pid
AuthorizedKeysFile $SSH_DIR/authorized_keys
AllowUsers root
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM $use_pam
StrictModes no
PrintMotd no
PrintLastLog no
X11Forwarding no
MaxStartups 100:30:200
MaxSessions 100
Subsystem sftp /usr/lib/openssh/sftp-server" 0600 >/dev/null
}

write_env_file() {
    write_if_changed "$ENV_FILE" "# Written by scripts/local-cluster.sh up. Source it: set -a; . $ENV_FILE; set +a
DISAGG_CLUSTER_STATE=\"$STATE\"
DISAGG_SLURM_CONF=\"$SLURM_CONF\"
DISAGG_SLURM_PARTITION=\"$PARTITION\"
DISAGG_SLURM_NODES=\"$NODE_RANGE\"
DISAGG_SLURM_NODE_COUNT=\"$NODE_COUNT\"
DISAGG_SLURM_GPUS_PER_NODE=\"$GPUS_PER_NODE\"
DISAGG_SLURM_CPUS_PER_NODE=\"$CPUS_PER_NODE\"
DISAGG_SSH_HOST=\"$SSH_HOST\"
DISAGG_SSH_PORT=\"$SSH_PORT\"
DISAGG_SSH_USER=\"root\"
DISAGG_SSH_KEY=\"$SSH_DIR/id_ed25519\"
DISAGG_SSH_KNOWN_HOSTS=\"$SSH_DIR/known_hosts\"
DISAGG_PERFDB_CONNECTION=\"Host=$PG_HOST;Port=$PG_PORT;Username=$PG_ROLE;Password=$PG_PASSWORD;Database=$PG_DB\"" 0644 >/dev/null
}

# ---------------------------------------------------------------- postgres paths
# Data lives in $STATE/pg, or (when the postgres user cannot reach the state dir, or the
# socket path would be too long) in /var/lib/postgresql/disagg-local-cluster-<hash>, with
# $STATE/pg as a symlink to it.
pg_base() {
    if [[ -e $STATE/pg || -L $STATE/pg ]]; then
        readlink -f -- "$STATE/pg"
    else
        echo "$STATE/pg"
    fi
}
pg_data() { echo "$(pg_base)/data"; }

choose_pg_base() {
    [[ -e $STATE/pg || -L $STATE/pg ]] && return 0
    local base=$STATE/pg
    if ! setpriv --reuid=postgres --regid=postgres --clear-groups test -x "$STATE" 2>/dev/null ||
       ((${#base} > 80)); then
        local alt
        alt=/var/lib/postgresql/disagg-local-cluster-$(printf '%s' "$STATE" | cksum | cut -d' ' -f1)
        install -d -o postgres -g postgres -m 0700 "$alt"
        ln -s "$alt" "$STATE/pg"
        log "postgres data dir: $alt (the postgres user cannot use $STATE/pg)"
    else
        install -d -o postgres -g postgres -m 0700 "$base"
    fi
}

as_postgres() { runuser -u postgres -- "$@"; }

# ---------------------------------------------------------------- start
start_munged() {
    if svc_running munged; then return 0; fi
    if munge_works; then
        log "munged: a munged not started by this script already answers on $MUNGE_SOCKET; using it"
        return 0
    fi
    if [[ ! -s /etc/munge/munge.key ]]; then
        log "creating /etc/munge/munge.key"
        mungekey --create --keyfile=/etc/munge/munge.key
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    install -d -o munge -g munge -m 0755 /run/munge
    install -d -o munge -g munge -m 0700 /var/lib/munge
    : >>"$LOG/munged.log"
    chown munge:munge "$LOG/munged.log"
    start_daemon munged setpriv --reuid=munge --regid=munge --init-groups \
        /usr/sbin/munged --foreground --log-file="$LOG/munged.log"
    local i
    for ((i = 0; i < 100; i++)); do
        munge_works && { log "munged started (pid $(cat "$RUN/munged.pid"))"; return 0; }
        svc_running munged || break
        sleep 0.1
    done
    tail_logs "$LOG/munged.out" "$LOG/munged.log"
    die "munged did not come up"
}

start_slurmctld() {
    if svc_running slurmctld; then return 0; fi
    require_port_free "$CTLD_PORT" slurmctld
    mkdir -p "$CTLD_STATE"
    start_daemon slurmctld /usr/sbin/slurmctld -D -f "$SLURM_CONF" -L "$LOG/slurmctld.log"
    log "slurmctld started (pid $(cat "$RUN/slurmctld.pid"))"
}

start_slurmds() {
    local i n
    for ((i = 0; i < NODE_COUNT; i++)); do
        n=${NODES[i]}
        svc_running "slurmd-$n" && continue
        require_port_free $((SLURMD_PORT0 + i)) "slurmd -N $n"
        mkdir -p "$SPOOL/$n"
        start_daemon "slurmd-$n" /usr/sbin/slurmd -D -N "$n" -f "$SLURM_CONF" -L "$LOG/slurmd-$n.log"
        log "slurmd -N $n started (pid $(cat "$RUN/slurmd-$n.pid"))"
    done
}

start_sshd() {
    if svc_running sshd; then return 0; fi
    require_port_free "$SSH_PORT" sshd
    install -d -m 0755 /run/sshd
    /usr/sbin/sshd -t -f "$SSH_DIR/sshd_config" || die "sshd rejects $SSH_DIR/sshd_config"
    start_daemon sshd /usr/sbin/sshd -D -f "$SSH_DIR/sshd_config" -E "$LOG/sshd.log"
    local i
    for ((i = 0; i < 100; i++)); do
        port_listening "$SSH_PORT" && { log "sshd started on $SSH_HOST:$SSH_PORT (pid $(cat "$RUN/sshd.pid"))"; return 0; }
        svc_running sshd || break
        sleep 0.05
    done
    tail_logs "$LOG/sshd.out" "$LOG/sshd.log"
    die "sshd did not come up on $SSH_HOST:$SSH_PORT"
}

start_postgres() {
    local bin data base
    bin=$(pg_bin)
    choose_pg_base
    base=$(pg_base)
    data=$base/data
    if ! svc_running postgres; then
        if [[ ! -s $data/PG_VERSION ]]; then
            rm -rf "$data"
            log "initdb $data"
            as_postgres "$bin/initdb" -D "$data" -U postgres -E UTF8 --no-locale \
                --auth-local=peer --auth-host=scram-sha-256 >"$LOG/initdb.log" 2>&1 \
                || { tail_logs "$LOG/initdb.log"; die "initdb failed"; }
            echo "include_if_exists = 'disagg.conf'" >>"$data/postgresql.conf"
        fi
        install -d -o postgres -g postgres -m 0755 "$base/run"
        write_if_changed "$data/disagg.conf" "$MARKER
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = '$base/run'
password_encryption = 'scram-sha-256'
max_connections = 200
# Throw-away test database: durability is not needed.
fsync = off
synchronous_commit = off
full_page_writes = off" 0600 >/dev/null
        write_if_changed "$data/pg_hba.conf" "$MARKER
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 peer
host    all       all   127.0.0.1/32  scram-sha-256" 0600 >/dev/null
        chown postgres:postgres "$data/disagg.conf" "$data/pg_hba.conf"
        require_port_free "$PG_PORT" postgres
        if ! as_postgres "$bin/pg_ctl" -D "$data" -l "$base/postgres.log" -w -t 30 -s start >"$LOG/pg_ctl.out" 2>&1; then
            tail_logs "$LOG/pg_ctl.out" "$base/postgres.log"
            die "PostgreSQL did not start"
        fi
        head -n1 "$data/postmaster.pid" >"$RUN/postgres.pid"
        svc_running postgres || die "PostgreSQL started but its pid $(cat "$RUN/postgres.pid") does not match $data"
        log "postgres started on $PG_HOST:$PG_PORT (pid $(cat "$RUN/postgres.pid"))"
    fi
    # Role and database (idempotent).
    local psql=("$bin/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$base/run" -p "$PG_PORT" -U postgres)
    as_postgres "${psql[@]}" -d postgres >/dev/null <<EOF
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
    CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  ELSE
    ALTER ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
END
\$\$;
EOF
    if [[ $(as_postgres "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'") != 1 ]]; then
        as_postgres "${psql[@]}" -d postgres -c "CREATE DATABASE $PG_DB OWNER $PG_ROLE" >/dev/null
        log "created database $PG_DB owned by $PG_ROLE"
    fi
}

# ---------------------------------------------------------------- readiness
# Prints "node state" lines (short sinfo states), one per node.
node_states() {
    sinfo -h -N -p "$PARTITION" -o '%N %t' 2>/dev/null | sort -u
}

nodes_ready() {
    local states
    states=$(node_states) || return 1
    [[ $(awk '$2 ~ /^(idle|mix|alloc|comp)$/' <<<"$states" | wc -l) -eq $NODE_COUNT ]]
}

# Log tails of the given services (default: slurmctld and every slurmd). A daemon's stdout
# (.out) repeats its log file, so it is shown only when the log file is empty.
slurm_logs() {
    local s files=()
    (($#)) || set -- slurmctld "${NODES[@]/#/slurmd-}"
    for s in "$@"; do
        if [[ -s $LOG/$s.log ]]; then files+=("$LOG/$s.log"); else files+=("$LOG/$s.out"); fi
    done
    TAIL_LINES=15 tail_logs "${files[@]}"
}

wait_nodes_ready() {
    local deadline=$((SECONDS + READY_TIMEOUT)) resumed=false states s name
    while :; do
        nodes_ready && return 0
        for s in slurmctld "${NODES[@]/#/slurmd-}"; do
            if ! svc_running "$s"; then
                if [[ $s == slurmctld ]]; then slurm_logs slurmctld; else slurm_logs slurmctld "$s"; fi
                die "$s exited during start-up (logs above, in $LOG)"
            fi
        done
        states=$(node_states || true)
        if ! $resumed && grep -Eq ' (drain|drng|drained|down|fail)$' <<<"$states"; then
            # Left drained/down by an earlier unclean stop: put them back.
            for name in $(awk '$2 ~ /^(drain|drng|drained|down|fail)$/ { print $1 }' <<<"$states"); do
                scontrol update NodeName="$name" State=RESUME 2>/dev/null || true
            done
            resumed=true
        fi
        if ((SECONDS >= deadline)); then
            echo "----- sinfo -N -l -----" >&2
            sinfo -N -l >&2 || true
            scontrol show node 2>/dev/null | grep -E 'NodeName=|State=|Reason=' >&2 || true
            slurm_logs
            die "nodes not idle after ${READY_TIMEOUT}s (logs above, in $LOG)"
        fi
        sleep 0.2
    done
}

all_running() {
    local s
    for s in "${SERVICES[@]}"; do
        if [[ $s == munged ]]; then
            svc_running munged || munge_works || return 1
        else
            svc_running "$s" || return 1
        fi
    done
}

# ---------------------------------------------------------------- verbs
cmd_status() {
    local rc=0 s pid state extra
    echo "State dir: $STATE"
    if svc_running slurmctld && command -v sinfo >/dev/null; then
        sinfo -N -l || rc=3
    else
        echo "(slurmctld is not running: no node list)"
    fi
    echo
    printf '%-14s %-8s %-9s %s\n' SERVICE PID STATE ADDRESS
    for s in "${SERVICES[@]}"; do
        extra=""
        case "$s" in
            munged) extra=$MUNGE_SOCKET ;;
            slurmctld) extra="127.0.0.1:$CTLD_PORT" ;;
            slurmd-node*) extra="127.0.0.1:$((SLURMD_PORT0 + ${s#slurmd-node} - 1))" ;;
            sshd) extra="$SSH_HOST:$SSH_PORT" ;;
            postgres) extra="$PG_HOST:$PG_PORT" ;;
        esac
        if pid=$(svc_pid "$s"); then
            state=running
        elif [[ $s == munged ]] && munge_works; then
            pid=-; state=running; extra+=" (not started by this script)"
        else
            pid=-; state=stopped; rc=3
        fi
        printf '%-14s %-8s %-9s %s\n' "$s" "$pid" "$state" "$extra"
    done
    [[ -f $ENV_FILE ]] && { echo; echo "Env file: $ENV_FILE"; }
    return $rc
}

cmd_up() {
    mkdir -p "$STATE" "$RUN" "$LOG"
    install_packages

    if all_running && nodes_ready; then
        write_env_file
        log "already up ($(elapsed) s)"
        cmd_status || true
        return 0
    fi

    mkdir -p "$SPOOL" "$CTLD_STATE"
    make_fake_gpus
    write_slurm_config
    ensure_ssh_files
    write_env_file

    start_munged
    start_slurmctld
    start_slurmds
    start_sshd
    start_postgres
    wait_nodes_ready
    log "cluster up: $NODE_COUNT nodes idle ($(elapsed) s)"
    cmd_status || die "a service is not running (see status above; logs in $LOG)"
    echo
    log "up finished in $(elapsed) s"
}

# Sends a signal to a service and records its pid for waiting.
STOPPING=()
signal_service() {
    local name=$1 sig=$2 pid
    pid=$(svc_pid "$name") || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    STOPPING+=("$name:$pid")
}

wait_stopped() {
    local deadline=$((SECONDS + STOP_TIMEOUT)) entry pid left
    while :; do
        left=()
        for entry in "${STOPPING[@]}"; do
            pid=${entry#*:}
            pid_alive "$pid" && left+=("$entry")
        done
        ((${#left[@]} == 0)) && break
        if ((SECONDS >= deadline)); then
            for entry in "${left[@]}"; do
                warn "${entry%%:*} (pid ${entry#*:}) did not stop in ${STOP_TIMEOUT}s; sending SIGKILL"
                kill -KILL "${entry#*:}" 2>/dev/null || true
            done
            deadline=$((SECONDS + 5))
            STOP_TIMEOUT=5
            STOPPING=("${left[@]}")
            continue
        fi
        sleep 0.1
    done
    for entry in "${STOPPING[@]}"; do rm -f "$RUN/${entry%%:*}.pid"; done
    STOPPING=()
}

cmd_down() {
    local any=false s i ids
    for s in "${SERVICES[@]}"; do svc_running "$s" && any=true; done
    if ! $any; then
        log "nothing to stop (no service started by this script runs; state dir $STATE)"
        return 0
    fi

    # Jobs' slurmstepd and user processes outlive slurmd: cancel them through Slurm first.
    if svc_running slurmctld; then
        ids=$(squeue -h -o '%i' 2>/dev/null || true)
        if [[ -n $ids ]]; then
            log "cancelling jobs: $(echo "$ids" | paste -sd' ' -)"
            # shellcheck disable=SC2086
            scancel $ids 2>/dev/null || true
            for ((i = 0; i < 150; i++)); do
                [[ -z $(squeue -h -o '%i' 2>/dev/null || true) ]] && break
                sleep 0.1
            done
        fi
    fi

    # slurmd, sshd and slurmctld get SIGTERM, postgres SIGINT (fast shutdown), in parallel.
    signal_service sshd TERM
    for s in "${NODES[@]}"; do signal_service "slurmd-$s" TERM; done
    signal_service slurmctld TERM
    signal_service postgres INT
    wait_stopped
    # munged last: the others use it while they shut down.
    signal_service munged TERM
    wait_stopped

    # Make an immediate 'up' safe (gotcha: ports outlive pid files).
    for ((i = 0; i < 50; i++)); do
        local busy=false p
        for p in "$CTLD_PORT" "$SSH_PORT" "$PG_PORT" $(seq "$SLURMD_PORT0" $((SLURMD_PORT0 + NODE_COUNT - 1))); do
            port_listening "$p" && busy=true
        done
        $busy || break
        sleep 0.1
    done
    log "down finished in $(elapsed) s"
}

case "$VERB" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
esac
