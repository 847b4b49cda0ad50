#!/usr/bin/env bash
# snnfit distance on PySpike's test data: the multivariate values and the matrix match
# the python3-pyspike fixture (tests/fixtures/pyspike/pyspike_cases.txt) to 1e-12, the
# threaded matrix is byte-identical, and bad files end with one line naming file:line.
set -euo pipefail
: "${SNNFIT:?path of the snnfit binary}"
FIX=${SNNFIT_FIXTURES:-$(dirname "$0")/../fixtures}
DATA=$FIX/pyspike/PySpike_testdata.txt
CASES=$FIX/pyspike/pyspike_cases.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Value of KEY in the record "case testdata_all" of the fixture.
expected() { awk -v key="$1" '$1=="case"{c=$2} c=="testdata_all" && $1==key {$1=""; print substr($0,2)}' "$CASES"; }
near() {  # near GOT WANT: |got - want| <= 1e-12
    awk -v g="$1" -v w="$2" 'BEGIN{d=g-w; if (d<0) d=-d; exit !(d<=1e-12)}' || fail "$3: got $1, PySpike $2"
}

for m in isi spike sync; do
    got=$("$SNNFIT" distance --metric "$m" --t-start 0 --t-end 4000 "$DATA")
    near "$got" "$(expected "$m")" "multivariate $m"
done

# The matrix: CSV rows against PySpike's row-major matrix (SYNC is printed as a
# similarity like PySpike, but with 1 on the diagonal where PySpike leaves 0).
for m in isi spike sync; do
    "$SNNFIT" distance --metric "$m" --t-end 4000 --matrix "$DATA" >"$tmp/m1.csv"
    [ "$(wc -l <"$tmp/m1.csv")" -eq 40 ] || fail "$m matrix has $(wc -l <"$tmp/m1.csv") rows"
    expected "${m}_matrix" | tr ' ' '\n' >"$tmp/want.txt"
    tr ',' '\n' <"$tmp/m1.csv" | paste - "$tmp/want.txt" | awk -v m="$m" '
        { i = int((NR-1)/40); j = (NR-1)%40; w = $2; if (m=="sync" && i==j) w = 1;
          d = $1 - w; if (d < 0) d = -d; if (d > 1e-12) { print m, i, j, $1, w; bad = 1 } }
        END { if (NR != 1600) { print "entries:", NR; bad = 1 } exit bad }' || fail "$m matrix differs from PySpike"
    "$SNNFIT" distance --metric "$m" --t-end 4000 --matrix --threads 2 "$DATA" >"$tmp/m2.csv"
    cmp -s "$tmp/m1.csv" "$tmp/m2.csv" || fail "$m matrix on 2 threads is not byte-identical"
done

# vp / vr run and print one finite number.
for m in vp vr; do
    got=$("$SNNFIT" distance --metric "$m" --t-end 4000 --q 0.01 --tau 20 "$DATA")
    [[ "$got" =~ ^[0-9.e+-]+$ ]] || fail "$m printed '$got'"
done

# Bad inputs: exit status 2 and one line naming the file and line; never a crash.
check_error() {  # check_error PATTERN ARGS...
    local pattern=$1; shift
    set +e
    "$SNNFIT" distance "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    set -e
    [ "$rc" -eq 2 ] || fail "exit status $rc (want 2) for: $*  stderr: $(cat "$tmp/err")"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "error is not one line: $(cat "$tmp/err")"
    grep -q -- "$pattern" "$tmp/err" || fail "error '$(cat "$tmp/err")' lacks '$pattern'"
}
printf '1 2 3\n# comment\n4 x5\n' >"$tmp/token.txt"
check_error "token.txt:3: 'x5' is not a number" "$tmp/token.txt"
printf '1 2 3\n\n5 4\n' >"$tmp/unsorted.txt"
check_error "unsorted.txt:3: spike times are not sorted" "$tmp/unsorted.txt"
printf '1 2 2\n3 4\n' >"$tmp/dup.txt"
check_error "dup.txt:1: spike 2 at 2 is a duplicate" "$tmp/dup.txt"
printf '1 nan\n3 4\n' >"$tmp/nan.txt"
check_error "nan.txt:1: spike 1 is not finite" --t-end 10 "$tmp/nan.txt"
printf '1 20\n3 4\n' >"$tmp/out.txt"
check_error "out.txt:1: spike 1 at 20 is outside the window" --t-end 10 "$tmp/out.txt"
check_error "cannot open" "$tmp/missing.txt"
check_error "is a directory" "$tmp"
head -c 2000 "$SNNFIT" >"$tmp/binary.txt"  # a binary file: one line, no raw control bytes
check_error "binary.txt:1: '\\\\x7fELF" "$tmp/binary.txt"
check_error "at least two" --t-end 10 <(printf '1 2\n')
check_error "t_start must be less than t_end" --t-start 5 --t-end 5 "$DATA"
check_error "spikey" --metric spikey "$DATA"
: >"$tmp/empty.txt"
check_error "give --t-end" "$tmp/empty.txt"

# snnfit's own HDF5 rasters: a simulation's population and a result's best and target rasters
# give exactly what the same trains give as PySpike text (written by h5py, in ms).
DATA_DIR=${SNNFIT_DATA:-$(dirname "$0")/../../data}
"$SNNFIT" simulate "$DATA_DIR/examples/izhikevich2003_network.toml" --set simulation.duration=300 \
    --out "$tmp/net.h5" >/dev/null
/usr/bin/python3 - "$tmp/net.h5" "$tmp" <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1])
for pop in f["spikes"]:
    t, off = f["spikes"][pop]["times"][()] * 1000.0, f["spikes"][pop]["offsets"][()]
    with open(f"{sys.argv[2]}/{pop}.txt", "w") as out:
        for i in range(len(off) - 1):
            out.write(" ".join(repr(float(x)) for x in t[off[i]:off[i + 1]]) + " \n")
PY
for pop in E I; do
    for m in spike sync; do
        a=$("$SNNFIT" distance --metric $m --population $pop "$tmp/net.h5")
        b=$("$SNNFIT" distance --metric $m --t-end 300 "$tmp/$pop.txt")
        [ "$a" = "$b" ] || fail "HDF5 $pop $m: $a, text $b"
    done
done
check_error "holds 2 populations (E, I); choose one with --population" "$tmp/net.h5"
check_error 'no population "X" in /spikes (it holds: E, I)' --population X "$tmp/net.h5"
check_error "a simulation has no target raster" --raster target --population E "$tmp/net.h5"
check_error "is a text file" --population E "$DATA"
"$SNNFIT" run "$DATA_DIR/examples/single_cell_izhikevich.toml" --out "$tmp/fit" --generations 1 --quiet \
    --set optimizer.population=8 --set optimizer.islands=1 >/dev/null
best=$("$SNNFIT" distance --metric spike "$tmp/fit/result.h5")
target=$("$SNNFIT" distance --metric spike --raster target --population cell "$tmp/fit/result.h5")
[[ "$best" =~ ^[0-9.e+-]+$ && "$target" =~ ^[0-9.e+-]+$ ]] || fail "result rasters: '$best' '$target'"

# --clean sorts, merges duplicates and drops what is outside the window.
got=$("$SNNFIT" distance --metric isi --t-end 10 --clean <(printf '3 1 1 20\n1 3\n'))
near "$got" 0 "--clean"
echo "ok"
