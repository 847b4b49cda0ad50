#include "common/memory.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>

#include <fmt/format.h>

#include "common/error.hpp"

namespace snnfit {

namespace {

struct Budget {
    std::uint64_t bytes = 0;
    std::string source;
};

// "8G", "512M", "1000000": bytes; 0 when the text is not such a number.
std::uint64_t parse_size(const std::string& text) {
    char* end = nullptr;
    const double x = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || !(x > 0) || !std::isfinite(x)) return 0;
    double scale = 1;
    if (const char* u = *end ? std::strchr("KMGT", std::toupper(static_cast<unsigned char>(*end))) : nullptr) {
        scale = std::pow(1024.0, static_cast<double>(u - "KMGT" + 1));
        ++end;
    }
    if (*end == 'i' || *end == 'B') ++end;
    if (*end == 'B') ++end;
    if (*end != '\0' || x * scale >= 1.8e19) return 0;
    return static_cast<std::uint64_t>(x * scale);
}

Budget compute_budget() {
    if (const char* env = std::getenv("SNNFIT_MEMORY_LIMIT")) {
        if (const auto b = parse_size(env)) return {b, "set by SNNFIT_MEMORY_LIMIT"};
        throw InputError(fmt::format("SNNFIT_MEMORY_LIMIT=\"{}\": expected a size in bytes, e.g. 8G or 512M", env));
    }
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    std::uint64_t avail = pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page)
                                                : std::numeric_limits<std::uint64_t>::max();
    std::string source = "physical memory";
    struct rlimit rl {};
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < avail) {
        avail = rl.rlim_cur;
        source = "the address-space limit (ulimit -v)";
    }
    std::ifstream cg("/sys/fs/cgroup/memory.max");
    std::string max;
    if (cg >> max && max != "max")
        if (const auto b = parse_size(max); b > 0 && b < avail) {
            avail = b;
            source = "the cgroup's memory.max";
        }
    return {avail / 4 * 3, "3/4 of " + source + "; SNNFIT_MEMORY_LIMIT sets it"};
}

// Computed at each call (a getenv, two syscalls and a small file: cheap next to what it
// guards), so a test or a long-lived process sees a changed limit.
Budget budget() {
    return compute_budget();
}

}  // namespace

std::uint64_t memory_budget() {
    return budget().bytes;
}

std::string format_bytes(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (bytes >= 1024 && u < 6) {
        bytes /= 1024;
        ++u;
    }
    return fmt::format("{:.3g} {}", bytes, units[u]);
}

std::string memory_excess(double bytes) {
    const auto b = budget();
    if (bytes <= static_cast<double>(b.bytes)) return "";
    return fmt::format("needs about {}, more than the memory budget of {} ({})", format_bytes(bytes),
                       format_bytes(static_cast<double>(b.bytes)), b.source);
}

void require_memory(double bytes, const std::string& what) {
    if (auto excess = memory_excess(bytes); !excess.empty()) throw InputError(what + " " + excess);
}

}  // namespace snnfit
