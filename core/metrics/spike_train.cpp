#include "metrics/spike_train.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "common/error.hpp"

namespace snnfit::metrics {

void check_window(const Window& w) {
    if (!std::isfinite(w.t_start) || !std::isfinite(w.t_end))
        throw InputError(fmt::format("window [{}, {}]: edges must be finite", w.t_start, w.t_end));
    if (!(w.t_start < w.t_end))
        throw InputError(fmt::format("window [{}, {}]: t_start must be less than t_end", w.t_start, w.t_end));
}

void check_train(std::span<const double> t, const Window& w, const std::string& what) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        const double x = t[i];
        if (!std::isfinite(x)) throw InputError(fmt::format("{}: spike {} is not finite ({})", what, i, x));
        if (x < w.t_start || x > w.t_end)
            throw InputError(
                fmt::format("{}: spike {} at {} is outside the window [{}, {}]", what, i, x, w.t_start, w.t_end));
        if (i > 0 && !(t[i - 1] < x)) {
            if (t[i - 1] == x) throw InputError(fmt::format("{}: spike {} at {} is a duplicate", what, i, x));
            throw InputError(
                fmt::format("{}: spike times are not sorted (spike {} at {} after {})", what, i, x, t[i - 1]));
        }
    }
}

void check_raster(const SpikeRaster& r, const Window& w, const std::string& what) {
    for (std::size_t i = 0; i < r.size(); ++i) check_train(r.train(i), w, fmt::format("{}, train {}", what, i));
}

std::vector<double> clean_train(std::span<const double> t, const Window& w) {
    std::vector<double> out;
    out.reserve(t.size());
    for (double x : t)
        if (std::isfinite(x) && x >= w.t_start && x <= w.t_end) out.push_back(x);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

SpikeRaster clean_raster(const SpikeRaster& r, const Window& w) {
    SpikeRaster out;
    for (std::size_t i = 0; i < r.size(); ++i) out.push_train(clean_train(r.train(i), w));
    return out;
}

Window window_of(const SpikeRaster& r) {
    Window w{0.0, 0.0};
    for (double x : r.times) {
        if (!std::isfinite(x)) continue;
        w.t_start = std::min(w.t_start, x);
        w.t_end = std::max(w.t_end, x);
    }
    return w;
}

}  // namespace snnfit::metrics
