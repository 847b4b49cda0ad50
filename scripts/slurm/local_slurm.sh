#!/usr/bin/env bash
# A one-node SLURM on localhost for testing snnfit's job scripts against the real
# thing: munged, slurmctld and slurmd from Debian's munge and slurm-wlm, with every
# file (config, state, spool, logs, munge socket) in one temporary folder.
#
#   eval "$(scripts/slurm/local_slurm.sh start [DIR])"   # prints: export SLURM_CONF=...
#   sbatch job.sh; squeue; ...
#   scripts/slurm/local_slurm.sh stop [DIR]
#
# DIR defaults to /tmp/snnfit-slurm. Needs root (the daemons run as root here) and
# `scripts/setup.sh --slurm`. select/cons_tres, proctrack/linuxproc, no accounting
# daemon: job records go to DIR/log/jobcomp.txt (JobCompType=jobcomp/filetxt).
set -euo pipefail
cmd=${1:-}
dir=${2:-/tmp/snnfit-slurm}

stop() {
  for p in slurmctld slurmd munged; do
    if [ -f "$dir/$p.pid" ]; then kill "$(cat "$dir/$p.pid")" 2>/dev/null || true; fi
  done
  # Wait for the ports to be released, so that a following start does not fail.
  for _ in $(seq 50); do
    pgrep -f "slurm(ctld|d) -f $dir/slurm.conf" >/dev/null || break
    sleep 0.2
  done
}

case "$cmd" in
  start)
    for tool in munged slurmctld slurmd sbatch; do
      command -v "$tool" >/dev/null || { echo "local_slurm.sh: $tool not found; run scripts/setup.sh --slurm" >&2; exit 2; }
    done
    stop
    rm -rf "$dir"
    mkdir -p "$dir/state" "$dir/spool" "$dir/log"
    key=$dir/munge.key
    # A key of our own: the test cluster never shares credentials with the host.
    head -c 1024 /dev/urandom >"$key"
    chmod 400 "$key"
    munged --force --key-file="$key" -S "$dir/munge.socket" --pid-file="$dir/munged.pid" \
      --log-file="$dir/log/munged.log" --seed-file="$dir/munge.seed"
    host=$(hostname)
    cpus=$(nproc)
    mem=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
    cat >"$dir/slurm.conf" <<CONF
ClusterName=snnfit-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket,cred_expire=10  # also how long a requeued job waits (default 120 s)
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
KillWait=10
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF=$dir/slurm.conf
    slurmctld -f "$dir/slurm.conf"
    slurmd -f "$dir/slurm.conf"
    for _ in $(seq 100); do
      if sinfo -h -o %t 2>/dev/null | grep -qx idle; then echo "export SLURM_CONF=$dir/slurm.conf"; exit 0; fi
      sleep 0.2
    done
    echo "local_slurm.sh: the node did not become idle; see $dir/log" >&2
    stop
    exit 1
    ;;
  stop) stop ;;
  status) SLURM_CONF=$dir/slurm.conf sinfo ;;
  *) echo "usage: local_slurm.sh start|stop|status [DIR]" >&2; exit 2 ;;
esac
