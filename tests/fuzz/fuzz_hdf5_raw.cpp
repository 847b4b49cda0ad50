// The HDF5 readers on raw bytes: a target raster, a checkpoint, a result (what
// `inspect` and `--resume` read), and an NWB 2 recording. Not in the default runs:
// Debian's libhdf5 1.10.8 overflows a heap buffer on corrupt object headers within
// seconds (H5O__attr_exists, docs/reliability.md), which snnfit cannot fix; fuzz_hdf5
// fuzzes the same readers on well-formed files of fuzzed content.
#include "hdf5_readers.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    snnfit::fuzz::init_budget();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    snnfit::fuzz::read_hdf5_file(snnfit::fuzz::input_file(data, size, ".h5"));
    return 0;
}
