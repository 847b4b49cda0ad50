# Sourced by the MPI stop-and-resume tests.
# usr1_once_checkpointed PID DIR: sends SIGUSR1 to PID (mpirun, which forwards it to every
# rank) once DIR/checkpoints holds a checkpoint (or after 30 s), waits for PID and returns
# its exit status. A hang is left to the ctest TIMEOUT.
usr1_once_checkpointed() {
  local pid=$1 dir=$2
  for _ in $(seq 1 3000); do
    ls "$dir/checkpoints/"ckpt-*.h5 >/dev/null 2>&1 && break
    sleep 0.01
  done
  kill -USR1 "$pid"
  wait "$pid"
}
