#!/usr/bin/env bash
# `cmake --install` into a temporary prefix: the binary, the report script it finds beside
# itself, the examples and recordings (an installed example runs), the SLURM templates,
# the man page (one section per subcommand of --help), the bash completion (it completes
# subcommands and each subcommand's options), and the Python package where it was built.
source "$(dirname "$0")/lib.sh"
build=$(cd "$(dirname "$SNNFIT")/.." && pwd)
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "cmake --install"; finish; }
bin=$prefix/bin/snnfit
share=$prefix/share/snnfit

[ -x "$bin" ] && "$bin" --version | grep -q '^snnfit ' && pass "bin/snnfit" || fail "bin/snnfit missing or broken"
[ -f "$share/report.py" ] && pass "share/snnfit/report.py" || fail "report.py not installed"
for f in snnfit_single_node.sbatch snnfit_multi_node.sbatch snnfit_array.sbatch snnfit_requeue.sbatch; do
  [ -x "$share/slurm/$f" ] || fail "slurm/$f not installed"
done
[ -f "$share/recordings/synthetic_adex.nwb" ] || fail "recordings not installed"
# An installed example runs from anywhere, and a fit's config finds its recording (../recordings).
(cd "$work" && "$bin" simulate "$share/examples/lif_step.toml" --out "$work/lif.h5" >/dev/null) \
  && pass "installed example simulates" || fail "installed lif_step.toml"
"$bin" run "$share/examples/fit_nwb_adex.toml" --out "$work/nwb" --generations 0 --quiet >/dev/null 2>"$work/err" \
  && pass "installed NWB example finds its recording" || fail "fit_nwb_adex.toml: $(cat "$work/err")"

man=$prefix/share/man/man1/snnfit.1
if [ -f "$man" ]; then
  subs=$("$bin" --help | awk '/^[Ss][Uu][Bb][Cc][Oo][Mm][Mm][Aa][Nn][Dd][Ss]:/ {on = 1; next} on && NF {print $1}')
  [ -n "$subs" ] || fail "no subcommands in snnfit --help"
  for s in $subs; do grep -q "^\.SH \"snnfit $s\"" "$man" || fail "man page lacks snnfit $s"; done
  grep -q -- '--generations' "$man" || fail "man page lacks run's options"
  grep -q "Usage: snnfit run" "$man" && ! grep -q "$build" "$man" || fail "man page names the build tree"
  if command -v groff >/dev/null; then
    groff -man -Tutf8 -P-cbou "$man" 2>"$work/groff.err" | grep -q "^EXIT STATUS" || fail "man page does not render"
    [ ! -s "$work/groff.err" ] || fail "groff warnings: $(cat "$work/groff.err")"
  fi
  pass "man page"
else
  fail "share/man/man1/snnfit.1 not installed"
fi

comp=$prefix/share/bash-completion/completions/snnfit
if [ -f "$comp" ]; then
  complete_line() {  # complete_line WORD... : what _snnfit offers for the last word
    # shellcheck disable=SC1090
    source "$comp"
    COMP_WORDS=(snnfit "$@"); COMP_CWORD=$(($# )); COMPREPLY=()
    _snnfit
    printf '%s\n' "${COMPREPLY[@]}"
  }
  complete_line si | grep -qx simulate || fail "completion of 'snnfit si'"
  complete_line run --gen | grep -qx -- --generations || fail "completion of 'snnfit run --gen'"
  complete_line distance --metric s | grep -qx spike2013 || fail "completion of --metric values"
  complete_line simulate --gen | grep -q . && fail "run's --generations offered to simulate"
  pass "bash completion"
else
  fail "bash completion not installed"
fi

# The Python package, when the build has it: importable from the prefix by /usr/bin/python3.
if ls "$build"/python/snnfit/_snnfit*.so >/dev/null 2>&1; then
  site=$(find "$prefix" -name _snnfit*.so -printf '%h\n' | head -1)
  if [ -n "$site" ]; then
    PYTHONPATH=$(dirname "$site") $PY -c "
import snnfit
assert snnfit.spike_distance([1.0, 5.0], [1.0, 5.0], edges=(0, 10)) == 0.0
print(snnfit.__version__)" >/dev/null && pass "python package" || fail "installed python package does not import"
  else
    fail "python package not installed"
  fi
fi
finish
