// NeuroML cell files (populations.neuroml).
#include "fuzz_input.hpp"
#include "io/neuroml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& path = snnfit::fuzz::input_file(data, size, ".nml");
    snnfit::fuzz::expect_clean([&] { (void)snnfit::io::read_neuroml(path); });
    return 0;
}
