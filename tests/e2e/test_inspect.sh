#!/usr/bin/env bash
# snnfit inspect: the summary of a checkpoint and of a result agrees with what h5py reads
# from the same file (generation, evaluations, best overall and per island, layout);
# foreign, newer and damaged files get one-line errors with exit status 2.
source "$(dirname "$0")/lib.sh"
cfg=$SNNFIT_DATA/examples/single_cell_izhikevich.toml
"$SNNFIT" run "$cfg" --out "$work/run" --generations 5 --quiet --set optimizer.population=8 --set optimizer.islands=3 \
  >/dev/null 2>&1 || fail "run"
ckpt=$(ls "$work/run/checkpoints/"ckpt-*.h5 | sort | tail -1)

if "$SNNFIT" inspect --json "$ckpt" >"$work/c.json" && "$SNNFIT" inspect --json "$work/run/result.h5" >"$work/r.json" &&
  $PY - "$ckpt" "$work/c.json" "$work/run/result.h5" "$work/r.json" <<'PY'
import sys, json, h5py, numpy as np
ck, cj, rs, rj = sys.argv[1:]
f, s = h5py.File(ck, "r"), json.load(open(cj))
assert s["kind"] == "checkpoint"
assert s["generations"] == f["state/generation"][0] == 6
assert s["evaluations"] == f["state/evaluations"][0]
assert s["best"]["fitness"] == f["best"].attrs["fitness"]
assert np.array_equal(s["best"]["parameters"], f["best/parameters"][:])
assert len(s["islands"]) == 3
for k, isl in enumerate(s["islands"]):
    fit = f[f"islands/{k}/fitness"][:]
    i = int(np.argmin(fit))
    assert isl["size"] == len(fit) == 8 and isl["best_fitness"] == fit[i] and isl["best_id"] == f[f"islands/{k}/ids"][i]
paths = {e["path"]: e for e in s["layout"]}
names = []
f.visit(lambda n: names.append("/" + n))
assert sorted(paths) == sorted(names), set(paths) ^ set(names)
assert paths["/islands/0/population"]["shape"] == [8, 4] and paths["/islands/0/rng"]["type"] == "int64"
r, t = h5py.File(rs, "r"), json.load(open(rj))
assert t["kind"] == "result" and t["generations"] == r.attrs["generations"]
assert [i["best_fitness"] for i in t["islands"]] == list(r["history/islands/best"][-1])
assert t["best"]["fitness"] == r["best"].attrs["fitness"]
PY
then pass "inspect --json agrees with h5py"; else fail "inspect --json"; fi

"$SNNFIT" inspect "$ckpt" >"$work/c.txt" || fail "inspect text"
grep -q "snnfit checkpoint" "$work/c.txt" && grep -q "6 generations" "$work/c.txt" && grep -q "^  /islands/2/population" "$work/c.txt" &&
  pass "inspect text" || fail "inspect text: $(cat "$work/c.txt")"

printf 'not hdf5\n' >"$work/x.h5"
expect_error "not HDF5" 2 "x.h5: not an HDF5 file" -- inspect "$work/x.h5"
cp "$ckpt" "$work/newer.h5"
$PY -c "import h5py,sys; f=h5py.File(sys.argv[1],'r+'); f.attrs['format_version']=99" "$work/newer.h5"
expect_error "newer format" 2 "newer.h5: format_version 99 is newer than this snnfit reads" -- inspect "$work/newer.h5"
cp "$ckpt" "$work/trunc.h5"; truncate -s 3000 "$work/trunc.h5"
expect_error "truncated" 2 "trunc.h5" -- inspect "$work/trunc.h5"
finish
