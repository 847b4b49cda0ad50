# The peer of bench/checkpoint: h5py writes the same datasets as a snnfit checkpoint
# (same shapes, chunked with Fletcher-32 where snnfit chunks) and reads them all back.
#   h5py_peer.py CHECKPOINT.h5 OUT.h5 [REPS]   -> write_ms <TAB> read_ms (medians)
import h5py, time, sys, numpy as np
src = h5py.File(sys.argv[1], "r")
items = []
def collect(name, obj):
    if isinstance(obj, h5py.Dataset): items.append((name, obj[()], obj.chunks is not None))
src.visititems(collect)
ts = []
for rep in range(int(sys.argv[3]) if len(sys.argv) > 3 else 5):
    t0 = time.perf_counter()
    with h5py.File(sys.argv[2], "w") as f:
        for name, data, chunked in items:
            if chunked and np.size(data) > 0: f.create_dataset(name, data=data, fletcher32=True, chunks=True, maxshape=(None,)*np.ndim(data))
            else: f.create_dataset(name, data=data)
    ts.append(time.perf_counter() - t0)
ts.sort(); w = ts[len(ts)//2]
ts = []
for rep in range(5):
    t0 = time.perf_counter()
    with h5py.File(sys.argv[2], "r") as f:
        for name, _, _ in items: f[name][()]
    ts.append(time.perf_counter() - t0)
ts.sort()
print(f"{w*1e3:.3f}\t{ts[len(ts)//2]*1e3:.3f}")
