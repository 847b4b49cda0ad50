// Shared by the libFuzzer targets: the readers that take a path get the input through
// a file of this process, and every snnfit::Error (a clear refusal) is a pass. A crash,
// a sanitizer report, a hang or any other exception is a finding.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "common/error.hpp"

namespace snnfit::fuzz {

// A small memory budget (common/memory): what a file declares is refused long before
// libFuzzer's malloc limit would call it a crash.
inline void init_budget() {
    setenv("SNNFIT_MEMORY_LIMIT", "256M", 1);
}

// Writes the input to a file of this process and returns its path (reused per run).
inline const std::string& input_file(const std::uint8_t* data, std::size_t size, const char* suffix) {
    static std::string path;
    if (path.empty()) {
        const char* dir = std::getenv("TMPDIR");
        path = std::string(dir ? dir : "/tmp") + "/snnfit-fuzz-" + std::to_string(getpid()) + suffix;
    }
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path;
}

// Runs `f`; snnfit::Error is the documented refusal of bad input.
template <class F>
void expect_clean(F&& f) {
    try {
        f();
    } catch (const Error&) {
    }
}

}  // namespace snnfit::fuzz
