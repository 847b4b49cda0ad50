// Every reader of an HDF5 file from outside, for the two HDF5 fuzz targets: a target
// raster, a checkpoint (--resume), any snnfit file (inspect), an NWB 2 recording.
#pragma once

#include <hdf5.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "fit/checkpoint.hpp"
#include "fuzz_input.hpp"
#include "io/nwb.hpp"
#include "io/spike_files.hpp"

namespace snnfit::fuzz {

inline void read_hdf5_file(const std::string& path) {
    expect_clean([&] { (void)io::read_spike_h5(path, "spikes/E"); });
    expect_clean([&] { (void)fit::read_checkpoint(path); });
    expect_clean([&] { (void)fit::summarize_file(path); });
    expect_clean([&] { (void)io::read_nwb_sweeps(path, {}); });
    // Every handle is closed on every path out, the error paths included (a file left
    // open crashed H5_term_library at exit).
    if (const auto open = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL); open != 0) {
        std::fprintf(stderr, "fuzz: %lld HDF5 objects left open\n", static_cast<long long>(open));
        std::abort();
    }
}

}  // namespace snnfit::fuzz
