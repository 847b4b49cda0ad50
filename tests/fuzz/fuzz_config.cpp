// The TOML config with --set overrides: the text before the first NUL byte is the
// config, every line after it one override. Parsed as `snnfit run` and `simulate` do.
#include <string>
#include <vector>

#include "fit/problem.hpp"
#include "fuzz_input.hpp"
#include "io/config.hpp"
#include "io/network_config.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    snnfit::fuzz::init_budget();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto nul = input.find('\0');
    const std::string text = input.substr(0, nul);
    std::vector<std::string> overrides;
    if (nul != std::string::npos) {
        std::size_t start = nul + 1;
        while (start <= input.size()) {
            const auto end = input.find('\n', start);
            overrides.push_back(input.substr(start, end == std::string::npos ? std::string::npos : end - start));
            if (end == std::string::npos) break;
            start = end + 1;
        }
    }
    snnfit::fuzz::expect_clean([&] {
        const auto doc = snnfit::io::ConfigDocument::from_string(text, "fuzz.toml", overrides);
        const auto root = doc.root();
        if (root.has("fit") || root.has("problem")) {
            (void)snnfit::fit::parse_fit_config(doc);
        } else {
            (void)snnfit::io::parse_network(root);
            root.finish();
        }
    });
    return 0;
}
