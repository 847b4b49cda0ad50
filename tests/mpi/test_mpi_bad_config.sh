#!/usr/bin/env bash
# Under mpirun, a bad config is reported once, by rank 0, before any worker starts
# work: one line from snnfit on stderr (mpirun adds its own banner about a non-zero
# exit, which no program can suppress), exit status 2, no output files.
set -uo pipefail
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cfg=$SNNFIT_DATA/examples/single_cell_izhikevich.toml
"$MPIRUN" --oversubscribe -n 3 "$SNNFIT" run "$cfg" --out "$work/out" --set fit.parameters[0].lo=5 >"$work/out.txt" 2>"$work/err.txt"
rc=$?
lines=$(grep -c "snnfit" "$work/err.txt")
if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q "fit.parameters\[0\].hi: expected hi > lo = 5" "$work/err.txt" && [ ! -e "$work/out/result.h5" ]; then
  echo "ok: one message, exit 2"; exit 0
fi
echo "FAIL: exit $rc, $lines stderr lines:"; cat "$work/err.txt"; exit 1
