// CSV targets of (neuron, time) rows, with and without a fixed number of neurons.
#include "fuzz_input.hpp"
#include "io/spike_files.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    snnfit::fuzz::init_budget();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& path = snnfit::fuzz::input_file(data, size, ".csv");
    snnfit::fuzz::expect_clean([&] { (void)snnfit::io::read_spike_csv(path, 100, 1.0); });
    return 0;
}
