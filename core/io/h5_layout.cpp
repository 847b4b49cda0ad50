#include "io/h5_layout.hpp"

#include <chrono>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "common/error.hpp"
#include "common/text.hpp"

namespace snnfit::io {

void write_header(h5::Group& root, const std::string& kind) {
    root.set_attr("format_version", kFormatVersion);
    root.set_attr("snnfit_version", std::string(SNNFIT_VERSION));
    root.set_attr("kind", kind);
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    root.set_attr("created", std::string(buf));
}

std::string check_header(const h5::Group& root) {
    if (!root.has_attr("format_version") || !root.has_attr("kind"))
        throw InputError(root.file() + ": not an snnfit file (no format_version/kind attributes on /)");
    const auto v = root.attr_int("format_version");
    if (v > kFormatVersion)
        throw InputError(fmt::format("{}: format_version {} is newer than this snnfit reads ({}); upgrade snnfit",
                                     root.file(), v, kFormatVersion));
    return root.attr_string("kind");
}

void write_raster(h5::Group& g, const SpikeRaster& raster) {
    std::vector<double> seconds(raster.times.size());
    for (std::size_t i = 0; i < seconds.size(); ++i) seconds[i] = raster.times[i] / 1000.0;
    g.write("times", seconds);
    g.write("offsets", raster.offsets);
    g.set_dataset_attr("times", "units", "s");
}

SpikeRaster read_raster(const h5::Group& g) {
    SpikeRaster r;
    const auto seconds = g.read_doubles("times");
    r.offsets = g.read_int64s("offsets");
    if (r.offsets.empty() || r.offsets.front() != 0)
        g.fail("offsets", "expected offsets to start with 0 (one more entry than neurons)");
    for (std::size_t i = 1; i < r.offsets.size(); ++i)
        if (r.offsets[i] < r.offsets[i - 1]) g.fail("offsets", fmt::format("offsets decrease at entry {}", i));
    if (r.offsets.back() != static_cast<std::int64_t>(seconds.size()))
        g.fail("offsets", fmt::format("last offset {} differs from the number of spike times {}", r.offsets.back(), seconds.size()));
    // snnfit writes seconds; another tool may write milliseconds and say so.
    double to_ms = 1000.0;
    const auto attrs = g.dataset_attrs("times");
    if (attrs.has_attr("units")) {
        const auto units = attrs.attr_string("units");
        if (units == "ms")
            to_ms = 1.0;
        else if (units != "s")
            g.fail("times", fmt::format("units \"{}\": expected \"s\" or \"ms\"", printable(units)));
    }
    r.times.resize(seconds.size());
    for (std::size_t i = 0; i < seconds.size(); ++i) {
        if (!std::isfinite(seconds[i])) g.fail("times", fmt::format("spike time {} is not finite", i));
        r.times[i] = seconds[i] * to_ms;
    }
    for (std::size_t n = 0; n < r.size(); ++n) {
        const auto t = r.train(n);
        for (std::size_t k = 1; k < t.size(); ++k)
            if (t[k] < t[k - 1]) g.fail("times", fmt::format("spike times of neuron {} are not sorted", n));
    }
    return r;
}

}  // namespace snnfit::io
