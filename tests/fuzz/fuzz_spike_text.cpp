// PySpike's text format (snnfit distance, pyspike targets, spike_times inputs).
#include <sstream>
#include <string>

#include "fuzz_input.hpp"
#include "io/spike_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    snnfit::fuzz::expect_clean([&] { (void)snnfit::io::read_spike_text(in, "fuzz.txt", 1000.0); });
    return 0;
}
