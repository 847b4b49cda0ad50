#!/usr/bin/env bash
# Rank 0 failing before it broadcasts the problem (out of memory building a 1e9-neuron
# target, allowed past the memory budget here) ends the whole job at once with rank 0's
# line and its status (3) on every rank: the workers waited in MPI_Bcast for ever before.
set -uo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cfg=$SNNFIT_DATA/examples/single_cell_izhikevich.toml
# The address-space limit makes the allocation fail at once instead of using the machine's memory.
( ulimit -v 3000000
  SNNFIT_MEMORY_LIMIT=100T timeout 120 "$MPIRUN" --oversubscribe -n 3 "$SNNFIT" run "$cfg" --out "$work/out" \
    --set 'populations[0].size=1000000000' >"$work/out.txt" 2>"$work/err.txt" )
rc=$?
lines=$(grep -c "^snnfit" "$work/err.txt")
if [ "$rc" -eq 3 ] && [ "$lines" -eq 1 ] && grep -q "^snnfit: error: out of memory" "$work/err.txt"; then
  echo "ok: one message, exit 3, no hang"; exit 0
fi
echo "FAIL: exit $rc (124 = hung), $lines snnfit lines on stderr:"; cat "$work/err.txt"; exit 1
