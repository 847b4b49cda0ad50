#!/usr/bin/env bash
# Every network example runs with `snnfit simulate`, writes spikes of every
# population, and takes --set on projections and named inputs.
set -euo pipefail
: "${SNNFIT:?path of the snnfit binary}" "${SNNFIT_DATA:?path of data/}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for ex in izhikevich2003_network ei_network sensory_motor brunel_izhikevich; do
  out=$("$SNNFIT" simulate "$SNNFIT_DATA/examples/$ex.toml" --out "$tmp/$ex.h5") || fail "$ex did not run"
  [ -s "$tmp/$ex.h5" ] || fail "$ex wrote no file"
  # Every population fires (rate > 0).
  echo "$out" | grep -E '^[^ ]+: [0-9]+ neurons' | while read -r line; do
    spikes=$(echo "$line" | sed -E 's/.* ([0-9]+) spikes.*/\1/')
    [ "$spikes" -gt 0 ] || fail "$ex: a silent population: $line"
  done
done

# Same seed, same spikes; a projection's weight_scale reached by --set changes them.
a=$("$SNNFIT" simulate "$SNNFIT_DATA/examples/ei_network.toml" --out "$tmp/a.h5" | head -2)
b=$("$SNNFIT" simulate "$SNNFIT_DATA/examples/ei_network.toml" --out "$tmp/b.h5" | head -2)
[ "$a" = "$b" ] || fail "same seed gave different spike counts: $a / $b"
c=$("$SNNFIT" simulate "$SNNFIT_DATA/examples/ei_network.toml" --out "$tmp/c.h5" --set projections.EE.weight_scale=0 \
     --set projections.EI.probability=0 --set inputs.drive.amplitude=5 | head -2)
[ "$a" != "$c" ] || fail "--set on projections changed nothing"

# Spikes of selected neurons: the raster holds their trains, in the listed order, and
# a dataset naming them; the unrecorded population is absent.
"$SNNFIT" simulate "$SNNFIT_DATA/examples/ei_network.toml" --out "$tmp/sel.h5" \
  --set 'recording.spikes=[{population = "E", neurons = [4, 2]}]' >/dev/null || fail "selected recording did not run"
/usr/bin/python3 - "$tmp/a.h5" "$tmp/sel.h5" <<'PY' || fail "selected recording differs from the whole one"
import sys, h5py, numpy as np
a, s = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
assert list(s["spikes"].keys()) == ["E"], list(s["spikes"].keys())
assert list(s["spikes/E/neurons"][:]) == [4, 2]
def train(f, i):
    o = f["spikes/E/offsets"][:]
    return f["spikes/E/times"][o[i]:o[i + 1]]
for k, i in enumerate([4, 2]):
    assert len(train(a, i)) > 0 and np.array_equal(train(a, i), train(s, k))
PY

# A projection error names the file, line and key.
err=$("$SNNFIT" simulate "$SNNFIT_DATA/examples/ei_network.toml" --out "$tmp/d.h5" --set projections.EE.rule=ring 2>&1) \
  && fail "a bad rule was accepted"
echo "$err" | grep -q 'projections\[0\].rule: expected probability, in_degree, out_degree, total_number, one_to_one, all_to_all or list, got "ring"' \
  || fail "unexpected message: $err"
echo ok
