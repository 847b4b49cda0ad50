#!/usr/bin/env bash
# A full disk while a checkpoint is written (issue 21): exit 3 with one line, no crash at
# exit (HDF5's failed flush left a half-closed file that crashed H5_term_library), no
# partial checkpoint left, and the run resumes once there is room. An LD_PRELOAD shim
# (enospc_shim.c) makes write(2)/pwrite(2) to checkpoint files fail with ENOSPC: it needs
# no mount and no root, unlike a small tmpfs.
source "$(dirname "$0")/lib.sh"
rosen=$SNNFIT_DATA/examples/rosenbrock_de.toml

shim=$work/enospc_shim.so
if cc -shared -fPIC -O1 -o "$shim" "$(dirname "$0")/enospc_shim.c" -ldl 2>"$work/cc.txt"; then
  for after in 0 3000; do
    ENOSPC_MATCH=ckpt- ENOSPC_AFTER=$after LD_PRELOAD=$shim \
      expect_error "disk full after $after bytes of a checkpoint" 3 "^snnfit: error: cannot write the checkpoint: .*ckpt-[0-9]+\.h5\.tmp: cannot write the file: No space left on device$" \
      -- run "$rosen" --quiet --threads 1 --out "$work/full$after" --generations 2 --set checkpoint.every=1
  done
  # Nothing half-written is left as a checkpoint, and the run goes on once there is room.
  if [ -n "$(ls -A "$work/full0/checkpoints" 2>/dev/null)" ]; then fail "a file was left on the full disk: $(ls "$work/full0/checkpoints")"; else pass "no partial checkpoint left"; fi
  if "$SNNFIT" run "$rosen" --quiet --threads 1 --out "$work/full0" --generations 2 --set checkpoint.every=1 --resume auto >/dev/null 2>"$work/err"; then
    pass "the run completes once the disk has room"
  else
    fail "rerun after a full disk: $(cat "$work/err")"
  fi
else
  fail "cannot build the ENOSPC shim: $(cat "$work/cc.txt")"
fi
finish
