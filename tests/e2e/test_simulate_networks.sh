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

# A projection error names the file, line and key.
err=$("$SNNFIT" simulate "$SNNFIT_DATA/examples/ei_network.toml" --out "$tmp/d.h5" --set projections.EE.rule=ring 2>&1) \
  && fail "a bad rule was accepted"
echo "$err" | grep -q 'projections\[0\].rule: expected probability, in_degree, out_degree, one_to_one, all_to_all or list, got "ring"' \
  || fail "unexpected message: $err"
echo ok
