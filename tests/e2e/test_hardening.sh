#!/usr/bin/env bash
# Hostile input and faults (issue 21): every case ends with one clear line and its
# documented exit status, never a crash, a hang or a stack trace.
source "$(dirname "$0")/lib.sh"
ex=$SNNFIT_DATA/examples
cfg=$ex/single_cell_izhikevich.toml
rosen=$ex/rosenbrock_de.toml

# --- the command line
expect_error "mistyped subcommand" 2 "^snnfit: error: unknown subcommand 'simulat'; did you mean 'simulate'\?$" -- simulat "$cfg"
expect_error "far from any subcommand" 2 "^snnfit: error: unknown subcommand 'xyzzy'; expected one of run, simulate, " -- xyzzy
expect_error "negative threads" 2 "must be >= 0, got -1" -- run "$cfg" --threads -1
expect_error "negative seed" 2 "must be >= 0, got -5" -- run "$cfg" --seed -5
expect_error "negative generations" 2 "must be >= 0, got -2" -- run "$cfg" --generations -2
expect_error "seed above 2^63-1" 2 "must be at most 9223372036854775807 \(2\^63 - 1\), got 9223372036854775808" -- run "$cfg" --seed 9223372036854775808
expect_error "folder as config" 2 "^snnfit: error: $work: is a directory, not a config file$" -- run "$work"
expect_error "/dev/zero as config" 2 "^snnfit: error: /dev/zero: larger than 16 MiB: not a config file" -- run /dev/zero
mkdir -p "$work/existing"
expect_error "simulate --out a folder" 2 "^snnfit: error: $work/existing: is a directory; give the name of the HDF5 file to write$" -- simulate "$ex/lif_step.toml" --out "$work/existing"
expect_error "newline in --set" 2 "^snnfit: error: --set simulation.dt=0.1\\\\x0a\[evil\]\\\\x0ax=1: control characters" -- run "$cfg" --out "$work/o" --set $'simulation.dt=0.1\n[evil]\nx=1'
expect_error "huge --set index" 2 "index 99999999999999999999 is past the end of 'populations' \(1 elements\)$" -- run "$cfg" --out "$work/o" --set 'populations[99999999999999999999].size=3'

# --- deep nesting: refused before toml11's recursion overflows the stack
deep=$(printf '%*s' 10000 '' | tr ' ' '[')
printf 'x = %s\n' "$deep" > "$work/deep.toml"
expect_error "deeply nested config" 2 "^snnfit: error: $work/deep.toml:1: arrays and inline tables nested deeper than 64 levels$" -- run "$work/deep.toml"
expect_error "deeply nested --set" 2 "arrays and inline tables nested deeper than 64 levels$" -- run "$cfg" --out "$work/o" --set "simulation.dt=$deep"

# --- absurd sizes get the file, line or override and the key
expect_error "huge delay" 2 "^snnfit: error: --set projections.EE.delay=1e300: projections\[0\].delay: a delay of 1e\+300 ms is more than 1e\+08 steps of dt = 0.5 ms$" -- simulate "$ex/ei_network.toml" --out "$work/x.h5" --set projections.EE.delay=1e300
expect_error "huge poisson rate" 2 "^snnfit: error: --set inputs.bkg.rate=1e300: inputs\[0\].rate: rate x sources x dt = 1e\+297 spikes per neuron and step, more than 1e\+06$" -- simulate "$ex/firing_rate_17hz.toml" --out "$work/x.h5" --set inputs.bkg.rate=1e300

# --- accepted without a word before
expect_error "two fit parameters on one value" 2 "fit.parameters\[1\].path: addresses the same value as parameter \"a\" \(path populations.cell.params.a\)$" -- run "$cfg" --out "$work/o" --set 'fit.parameters[1].path=populations[0].params.a'
printf 'neuron,time\n0,-5\n1,3\n' > "$work/neg.csv"
expect_error "negative target spike time" 2 "^snnfit: error: $work/neg.csv: spike 0 of train 0 is at -5 ms, before the simulation starts \(0 ms\)$" -- run "$cfg" --out "$work/o" --set fit.target.type=csv --set "fit.target.file=$work/neg.csv"
cp "$SNNFIT_DATA/recordings/synthetic_adex.nwb" "$work/slow.nwb"
$PY -c "
import h5py, sys
with h5py.File(sys.argv[1], 'r+') as f:
    f.visit(lambda n: f[n].attrs.__setitem__('rate', 1e-300) if n.endswith('starting_time') else None)
" "$work/slow.nwb"
expect_error "NWB rate 1e-300" 2 "starting_time: rate must be a sampling rate in \[1, 1e9\] Hz, got 1e-300$" -- run "$ex/fit_nwb_adex.toml" --out "$work/o" --set "fit.protocol.file=$work/slow.nwb"

# --- #3: --threads far above the cores, under an address-space limit: capped at one thread
# per core, so the run neither hangs creating threads nor dies when one cannot be created.
if ! (ulimit -v 4000000 && timeout 120 "$SNNFIT" run "$cfg" --quiet --threads 5000 --out "$work/t5000" \
    --generations 1 >/dev/null 2>"$work/err5000"); then
  fail "--threads 5000 under ulimit -v 4000000: $(cat "$work/err5000")"
fi

# --- memory: estimated before allocating, refused naming the key
export SNNFIT_MEMORY_LIMIT=2G
expect_error "population of 1e8 neurons" 2 "populations\[0\].size: a population of 100000000 neurons needs about 10.4 GiB, more than the memory budget of 2 GiB \(set by SNNFIT_MEMORY_LIMIT\)$" -- simulate "$ex/lif_step.toml" --out "$work/x.h5" --set 'populations[0].size=100000000'
expect_error "optimizer population 1e9" 2 "optimizer.population: 9e\+09 individuals of 10 parameters over 3 islands needs about" -- run "$rosen" --out "$work/o" --set optimizer.population=1000000000
unset SNNFIT_MEMORY_LIMIT
if "$SNNFIT" run "$cfg" --quiet --threads 1 --out "$work/fit" --generations 1 --set optimizer.islands=1 \
    --set optimizer.population=4 >/dev/null 2>"$work/err"; then
  expect_error "validate --seeds 1e9" 2 "^snnfit: error: --seeds 1000000000: needs about [0-9.]+ GiB, more than the memory budget of " -- validate "$work/fit/result.h5" --seeds 1000000000
else
  fail "a one-generation fit: $(cat "$work/err")"
fi

finish
