// The HDF5 readers on well-formed files of fuzzed content: the input is a little
// program that builds a file (groups, datasets of numbers or strings, attributes) from
// the names snnfit's readers look for, so coverage guidance can assemble rasters,
// checkpoints and NWB sweeps with every wrong shape, type, size and value. (Raw bytes
// mostly exercise libhdf5's own parser: fuzz_hdf5_raw.)
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <string>
#include <vector>

#include "hdf5_readers.hpp"
#include "io/hdf5.hpp"

namespace {

// Names read by io/h5_layout, fit/checkpoint, fit/output and io/nwb.
constexpr std::array kNames = {
    "spikes", "E", "times", "offsets", "units", "format_version", "kind", "snnfit_version", "config", "overrides",
    "state", "islands", "0", "1", "count", "population", "objectives", "fitness", "ids", "status", "rng",
    "operator_state", "migration_rng", "next_id", "generation", "evaluations", "best", "parameters", "search",
    "valid", "id", "island", "target", "history", "names", "lo", "hi", "log_scale", "integer", "losses", "labels",
    "run_seed", "termination", "acquisition", "stimulus", "presentation", "index_01", "data", "starting_time",
    "rate", "unit", "conversion", "offset", "sweep_number", "processing", "timestamps", "Sweep_1", "s", "ms",
    "checkpoint", "result", "simulation", "volts", "amperes", "mean", "std", "invalid", "messages"};

std::string name(FuzzedDataProvider& in) {
    if (in.ConsumeIntegralInRange(0, 15) == 0) return in.ConsumeRandomLengthString(16);
    return kNames[in.ConsumeIntegralInRange<std::size_t>(0, kNames.size() - 1)];
}

double number(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange(0, 3)) {
        case 0:
            return in.ConsumeIntegralInRange(-3, 10);
        case 1:
            return in.ConsumeFloatingPoint<double>();
        default:
            return in.ConsumeFloatingPointInRange(-1.0, 1000.0);
    }
}

void build(FuzzedDataProvider& in, snnfit::io::h5::Group& g, int depth) {
    using snnfit::io::h5::Group;
    while (in.remaining_bytes() > 0) {
        const std::string n = name(in);
        if (g.has(n) && in.ConsumeBool()) continue;
        try {
            switch (in.ConsumeIntegralInRange(0, 8)) {
                case 0:
                    if (depth < 4) {
                        Group child = g.has(n) ? g.open_group(n) : g.create_group(n);
                        build(in, child, depth + 1);
                    }
                    break;
                case 1: {
                    std::vector<double> v(in.ConsumeIntegralInRange(0, 40));
                    for (auto& x : v) x = number(in);
                    g.write(n, v);
                    break;
                }
                case 2: {
                    std::vector<std::int64_t> v(in.ConsumeIntegralInRange(0, 40));
                    for (auto& x : v) x = in.ConsumeIntegralInRange<std::int64_t>(-2, 50);
                    g.write(n, v);
                    break;
                }
                case 3: {
                    const auto rows = in.ConsumeIntegralInRange<std::size_t>(0, 8);
                    const auto cols = in.ConsumeIntegralInRange<std::size_t>(0, 8);
                    std::vector<double> v(rows * cols);
                    for (auto& x : v) x = number(in);
                    g.write_matrix(n, v, rows, cols);
                    break;
                }
                case 4:
                    g.write_string(n, in.ConsumeRandomLengthString(64));
                    break;
                case 5: {
                    std::vector<std::string> v(in.ConsumeIntegralInRange(0, 6));
                    for (auto& s : v) s = in.ConsumeRandomLengthString(12);
                    g.write_strings(n, v);
                    break;
                }
                case 6:
                    g.set_attr(n, in.ConsumeIntegralInRange<std::int64_t>(-2, 5));
                    break;
                case 7:
                    g.set_attr(n, number(in));
                    break;
                default:
                    g.set_attr(n, in.ConsumeBool() ? std::string(name(in)) : in.ConsumeRandomLengthString(16));
                    break;
            }
        } catch (const snnfit::Error&) {
            // a name taken by another kind of object: go on building
        }
        if (in.ConsumeIntegralInRange(0, 7) == 0) return;  // up to the parent group
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    snnfit::fuzz::init_budget();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    static const std::string path = snnfit::fuzz::input_file(nullptr, 0, ".h5");
    {
        // Written in place, not through File::create_atomic: its fsync would cost most of
        // the time of a run.
        using snnfit::io::h5::Handle;
        Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
        if (file.get() < 0) std::abort();
        snnfit::io::h5::Group root(Handle(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose), path, "/");
        build(in, root, 0);
    }
    snnfit::fuzz::read_hdf5_file(path);
    return 0;
}
