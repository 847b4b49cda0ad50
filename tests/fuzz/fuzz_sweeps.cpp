// Recorded sweeps of [fit.protocol] as JSON and as CSV.
#include "fuzz_input.hpp"
#include "io/sweep_files.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    snnfit::fuzz::init_budget();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& path = snnfit::fuzz::input_file(data, size, ".sweep");
    snnfit::fuzz::expect_clean([&] { (void)snnfit::io::read_sweep_json(path); });
    snnfit::fuzz::expect_clean([&] { (void)snnfit::io::read_sweep_csv(path); });
    return 0;
}
