#!/usr/bin/env bash
# snnfit validate: the sensory-motor network fitted (one generation, the fitted weight
# pinned by narrow bounds) to its own spikes under another seed is "same"; fitted to a
# target whose Poisson input rates are doubled it is "different". JSON agrees with the
# table; bad inputs get one-line errors.
source "$(dirname "$0")/lib.sh"
base=$SNNFIT_DATA/examples/sensory_motor.toml
cd "$work" || exit 1
"$SNNFIT" simulate "$base" --seed 99 --out same.h5 >/dev/null || fail "simulate same"
"$SNNFIT" simulate "$base" --seed 99 --set inputs.bkg.rate=20 --set inputs.bkg_M.rate=20 --out diff.h5 >/dev/null ||
  fail "simulate diff"
for t in same diff; do
  cat "$base" - >"fit_$t.toml" <<TOML

[fit]
population = "M"
[[fit.parameters]]
name = "w_bkg_M"
path = "inputs.bkg_M.weight"
lo = 0.0999
hi = 0.1001
[fit.target]
type = "hdf5"
file = "$t.h5"
[optimizer]
population = 4
islands = 1
TOML
  "$SNNFIT" run "fit_$t.toml" --out "$t" --generations 1 --quiet >/dev/null 2>&1 || fail "run $t"
done

"$SNNFIT" validate same/result.h5 --seeds 4 --margin 3 --json same.json >same.txt || fail "validate same: exit $?"
grep -q "^verdict: same" same.txt && pass "same network, two seeds: same" || fail "same: $(cat same.txt)"
grep -q "TOST.*: equivalent" same.txt && pass "same network: equivalent within 3 Hz" || fail "same TOST: $(cat same.txt)"
"$SNNFIT" validate diff/result.h5 --seeds 4 --margin 3 >diff.txt || fail "validate diff: exit $?"
grep -q "^verdict: different" diff.txt && pass "input rate doubled: different" || fail "diff: $(cat diff.txt)"
grep -Eq "^M +rate +welch_t .* FAIL" diff.txt && pass "doubled: the rate test fails" || fail "diff rate: $(cat diff.txt)"

# The JSON holds the verdict, every measure of the table and the samples behind them:
# the target's rates are those of the file's /target/M (independent: h5py).
"$SNNFIT" validate same/result.h5 --seeds 4 --margin 3 --json >stdout.json || fail "validate --json"
if $PY - same.json stdout.json same/result.h5 same.txt <<'PY'; then pass "JSON agrees with h5py and the table"; else fail "JSON"; fi
import sys, json, h5py, numpy as np
j, k = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert j == k
assert j["verdict"] == "same" and j["equivalent"] is True and j["seeds"] == 4
f = h5py.File(sys.argv[3], "r")
t, o = f["target/M/times"][:], f["target/M/offsets"][:]
rates = np.diff(o) / 1.0  # 1 s window
assert np.allclose(j["populations"]["M"]["rate"]["target"], rates), (j["populations"]["M"]["rate"]["target"], rates)
assert len(j["populations"]["M"]["rate"]["fitted"]) == 4 * 20
table = [l for l in open(sys.argv[4]) if l.startswith("M ")]
assert len(table) == len(j["measures"])
tests = [m for m in j["measures"] if m["decides"] and m["applicable"] and m["p_value"] is not None]
assert abs(j["test_alpha"] - 0.05 / len(tests)) < 1e-15
PY

# A 250-neuron network at its true values (bounds pinned): its realisations differ, so the
# neuron-level tests can tell seeds apart; calibrated against its own seeds it is "same".
awk '/^lo = 0.1$/ {print "lo = 0.4999"; h = "hi = 0.5001"; next}
     /^lo = 0.2$/ {print "lo = 0.7999"; h = "hi = 0.8001"; next}
     /^hi = 1.0$/ && h != "" {print h; h = ""; next} {print}' "$SNNFIT_DATA/examples/ei_network.toml" >ei.toml
[ "$(grep -c "^hi = 0.8001$" ei.toml)" -eq 2 ] && [ "$(grep -c "^hi = 0.5001$" ei.toml)" -eq 2 ] || fail "ei config"
"$SNNFIT" run ei.toml --out ei --generations 1 --quiet >/dev/null 2>&1 || fail "run ei"
"$SNNFIT" validate ei/result.h5 --seeds 5 --calibrate >ei.txt || fail "validate ei"
grep -q "^verdict: same" ei.txt && grep -Eq "^E +rate +ks_vs_seeds .* pass" ei.txt &&
  pass "ei network, calibrated against its seeds: same" || fail "ei: $(cat ei.txt)"

expect_error "calibrate with 1 seed" 2 "calibrate needs --seeds >= 3" -- validate same/result.h5 --calibrate
expect_error "missing file" 2 "nosuch.h5" -- validate nosuch.h5
expect_error "not a result" 2 "same.h5.*not a fit result" -- validate same.h5
expect_error "seeds 0" 2 "seeds" -- validate same/result.h5 --seeds 0
expect_error "bad alpha" 2 "alpha" -- validate same/result.h5 --alpha 2
finish
