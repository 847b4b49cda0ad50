#!/usr/bin/env bash
# snnfit simulate: a good config writes a file h5py reads; every bad input ends
# with one clear line and exit status 2, and never leaves a partial output file.
source "$(dirname "$0")/lib.sh"

ex=$SNNFIT_DATA/examples/izhikevich_rs_step.toml
if "$SNNFIT" simulate "$ex" --out "$work/rs.h5" >"$work/out" 2>&1; then pass "simulate example"; else fail "simulate example: $(cat "$work/out")"; fi

# The file is readable by h5py and holds the raster layout of DESIGN.md: times in
# seconds, offsets with one more entry than neurons. The RS cell under a step of 10
# fires regularly only inside the step window [100, 900) ms.
if $PY - "$work/rs.h5" <<'PYEOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert f.attrs["kind"] == "simulation" and f.attrs["format_version"] == 1
t = f["spikes/rs/times"][:]; off = f["spikes/rs/offsets"][:]
assert f["spikes/rs/times"].attrs["units"] == "s"
assert off.tolist() == [0, len(t)], off
assert len(t) > 5 and np.all(np.diff(t) > 0)
assert t[0] > 0.100 and t[-1] < 0.900 + 1e-9, (t[0], t[-1])
v = f["voltage/rs/v"][:]
assert v.shape == (1, 10000) and abs(v[0, 0] + 65.0) < 1e-12 and v.max() < 30.0
assert "izhikevich2003" in f["config"][()].decode()
PYEOF
then pass "h5py reads the raster layout"; else fail "h5py check"; fi

# Units travel with the numbers: the root's and the voltage group's ms attributes say so.
if $PY - "$work/rs.h5" <<'PYEOF'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
assert f.attrs["dt_units"] == "ms" and f.attrs["t_stop_units"] == "ms"
assert f["voltage/rs"].attrs["dt_units"] == "ms" and f["voltage/rs/v"].attrs["units"] == "mV"
PYEOF
then pass "units attributes"; else fail "units attributes"; fi

# A preset that params overrides entirely changes nothing: a warning says so; the README's
# example (a preset on a population that does not spell its values out) changes the spikes.
net=${SNNFIT_DATA:-$(dirname "$0")/../../data}/examples/izhikevich2003_network.toml
"$SNNFIT" simulate "$net" --set simulation.duration=50 --set populations.E.preset=RS --out "$work/p.h5" \
  >/dev/null 2>"$work/warn"
grep -q 'warning: .*population "E": params sets every value of preset "RS" (a, b, c, d), so the preset changes nothing' \
  "$work/warn" && pass "preset overridden by params warns" || fail "no preset warning: $(cat "$work/warn")"
"$SNNFIT" simulate "$ex" --out "$work/fs.h5" --set populations.rs.preset=FS >/dev/null 2>"$work/warn"
[ ! -s "$work/warn" ] || fail "unexpected warning: $(cat "$work/warn")"
$PY -c "
import h5py, sys
a, b = (h5py.File(f)['spikes/rs/times'][()] for f in sys.argv[1:])
assert len(b) > len(a), (len(a), len(b))  # fast spiking fires more under the same step
" "$work/rs.h5" "$work/fs.h5" && pass "--set populations.rs.preset=FS changes the cell" || fail "preset=FS changed nothing"

expect_error "missing config file" 2 "^snnfit: error: $work/none.toml: cannot open the config file" -- simulate "$work/none.toml" --out "$work/x.h5"
printf '[simulation]\ndt = 0.1\nfoo = 2\n[[populations]]\nname="a"\nmodel="izhikevich2003"\n' >"$work/unknown.toml"
expect_error "unknown key" 2 "unknown.toml:3: simulation.foo: unknown key \(expected one of: dt, duration, max_rate or seed\)" -- simulate "$work/unknown.toml" --out "$work/x.h5"
printf '[simulation]\ndt = "small"\n[[populations]]\nname="a"\nmodel="izhikevich2003"\n' >"$work/type.toml"
expect_error "wrong type" 2 "type.toml:2: simulation.dt: expected a number > 0, got string \"small\"" -- simulate "$work/type.toml" --out "$work/x.h5"
printf '[simulation]\ndt = 0.1\n[[populations]]\nname="a"\n' >"$work/missing.toml"
expect_error "missing key" 2 "missing.toml:3: populations\[0\].model: missing required key" -- simulate "$work/missing.toml" --out "$work/x.h5"
printf '[simulation]\ndt = -0.1\n[[populations]]\nname="a"\nmodel="izhikevich2003"\n' >"$work/range.toml"
expect_error "out of range" 2 "range.toml:2: simulation.dt: expected a number > 0, got -0.1" -- simulate "$work/range.toml" --out "$work/x.h5"
printf '[simulation\ndt = 0.1\n' >"$work/syntax.toml"
expect_error "syntax error" 2 "syntax.toml:1: TOML syntax error" -- simulate "$work/syntax.toml" --out "$work/x.h5"
expect_error "bad --set" 2 "^snnfit: error: --set simulation.dt=fast: simulation.dt: expected a number > 0" -- simulate "$ex" --out "$work/x.h5" --set simulation.dt=fast
expect_error "unwritable output" 2 "cannot create the file" -- simulate "$ex" --out "$work/no/such/dir/x.h5"
expect_error "unknown option" 2 "" -- simulate "$ex" --out "$work/x.h5" --bogus
[ ! -e "$work/x.h5" ] && [ ! -e "$work/x.h5.tmp" ] && pass "no partial output after errors" || fail "partial output left behind"
finish
