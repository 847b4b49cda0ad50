#include "metrics/rate_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

#include <fmt/core.h>

#include "common/error.hpp"

namespace snnfit::metrics {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool too_few(std::size_t have, std::size_t need, TooFew policy, const char* what) {
    if (have >= need) return false;
    if (policy == TooFew::nan) return true;
    throw InputError(fmt::format("{} needs at least {} interspike interval(s), got {}", what, need, have));
}
}  // namespace

double mean_rate(std::span<const double> train, const Window& w) {
    check_window(w);
    return static_cast<double>(train.size()) / (w.t_end - w.t_start);
}

std::vector<double> isis(std::span<const double> train) {
    std::vector<double> out;
    if (train.size() > 1) out.reserve(train.size() - 1);
    for (std::size_t i = 1; i < train.size(); ++i) out.push_back(train[i] - train[i - 1]);
    return out;
}

double cv(std::span<const double> v, TooFew policy) {
    if (too_few(v.size(), 1, policy, "CV")) return kNaN;
    double m = 0;
    for (double x : v) m += x;
    m /= static_cast<double>(v.size());
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return std::sqrt(s / static_cast<double>(v.size())) / m;
}

double cv2(std::span<const double> v, TooFew policy) {
    if (too_few(v.size(), 2, policy, "CV2")) return kNaN;
    double s = 0;
    for (std::size_t i = 0; i + 1 < v.size(); ++i) s += std::fabs(v[i + 1] - v[i]) / (v[i] + v[i + 1]);
    return 2.0 * s / static_cast<double>(v.size() - 1);
}

double lv(std::span<const double> v, TooFew policy) {
    if (too_few(v.size(), 2, policy, "LV")) return kNaN;
    double s = 0;
    for (std::size_t i = 0; i + 1 < v.size(); ++i) {
        const double r = (v[i + 1] - v[i]) / (v[i] + v[i + 1]);
        s += r * r;
    }
    return 3.0 * s / static_cast<double>(v.size() - 1);
}

double fano_factor(const SpikeRaster& r) {
    if (r.size() == 0) throw InputError("Fano factor of no spike trains");
    double m = 0;
    for (std::size_t i = 0; i < r.size(); ++i) m += static_cast<double>(r.train(i).size());
    m /= static_cast<double>(r.size());
    if (m == 0) return kNaN;
    double s = 0;
    for (std::size_t i = 0; i < r.size(); ++i) {
        const double d = static_cast<double>(r.train(i).size()) - m;
        s += d * d;
    }
    return s / static_cast<double>(r.size()) / m;
}

namespace {
std::size_t bin_count(const Window& w, double bin) {
    check_window(w);
    if (!(bin > 0) || !std::isfinite(bin)) throw InputError(fmt::format("bin width {} must be positive", bin));
    // Tolerate rounding: a window of exactly k bins must give k, not k + 1.
    const double k = (w.t_end - w.t_start) / bin;
    return static_cast<std::size_t>(std::max(1.0, std::ceil(k * (1 - 1e-12))));
}
}  // namespace

std::vector<double> bin_counts(std::span<const double> train, const Window& w, double bin) {
    const std::size_t nb = bin_count(w, bin);
    std::vector<double> c(nb, 0.0);
    for (double t : train) {
        if (!(t >= w.t_start && t <= w.t_end)) continue;
        const auto k = static_cast<std::size_t>(std::floor((t - w.t_start) / bin));
        c[std::min(k, nb - 1)] += 1.0;
    }
    return c;
}

std::vector<double> population_rate(const SpikeRaster& r, const Window& w, double bin) {
    const std::size_t nb = bin_count(w, bin);
    if (r.size() == 0) throw InputError("population rate of no spike trains");
    std::vector<double> rate(nb, 0.0);
    for (std::size_t i = 0; i < r.size(); ++i) {
        const auto c = bin_counts(r.train(i), w, bin);
        for (std::size_t k = 0; k < nb; ++k) rate[k] += c[k];
    }
    for (std::size_t k = 0; k < nb; ++k) {
        const double len = std::min(bin, w.t_end - (w.t_start + static_cast<double>(k) * bin));
        rate[k] /= static_cast<double>(r.size()) * len;
    }
    return rate;
}

std::vector<double> correlation_matrix(const SpikeRaster& r, const Window& w, double bin, bool binary) {
    const std::size_t n = r.size();
    std::vector<std::vector<double>> z(n);
    std::vector<double> norm(n);
    for (std::size_t i = 0; i < n; ++i) {
        z[i] = bin_counts(r.train(i), w, bin);
        if (binary)
            for (double& c : z[i]) c = std::min(c, 1.0);
        double m = 0;
        for (double c : z[i]) m += c;
        m /= static_cast<double>(z[i].size());
        double s = 0;
        for (double& c : z[i]) c -= m, s += c * c;
        norm[i] = std::sqrt(s);
    }
    std::vector<double> out(n * n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i; j < n; ++j) {
            double dot = 0;
            for (std::size_t k = 0; k < z[i].size(); ++k) dot += z[i][k] * z[j][k];
            const double c = (norm[i] > 0 && norm[j] > 0) ? dot / (norm[i] * norm[j]) : kNaN;
            out[i * n + j] = out[j * n + i] = c;
        }
    return out;
}

Psd population_rate_psd(const SpikeRaster& r, const Window& w, double bin, double segment) {
    if (!(bin > 0.0) || !(segment >= 2.0 * bin))
        throw InputError(
            fmt::format("spectrum: need bin > 0 and segment >= 2 bins, got bin {} ms, segment {} ms", bin, segment));
    auto x = population_rate(r, w, bin);
    for (auto& v : x) v *= 1000.0;  // Hz
    std::size_t len = std::min(x.size(), static_cast<std::size_t>(std::llround(segment / bin)));
    Psd p;
    if (len < 2) return p;
    const double fs = 1000.0 / bin;
    std::vector<double> win(len);
    double wsum2 = 0.0;
    for (std::size_t j = 0; j < len; ++j) {  // periodic Hann, as scipy.signal.welch
        win[j] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(j) / static_cast<double>(len));
        wsum2 += win[j] * win[j];
    }
    const std::size_t nf = len / 2 + 1, step = len / 2;
    p.frequency.resize(nf);
    p.power.assign(nf, 0.0);
    for (std::size_t k = 0; k < nf; ++k) p.frequency[k] = fs * static_cast<double>(k) / static_cast<double>(len);
    std::size_t segments = 0;
    std::vector<double> seg(len);
    for (std::size_t start = 0; start + len <= x.size(); start += step, ++segments) {
        const double m = std::accumulate(x.begin() + static_cast<std::ptrdiff_t>(start),
                                         x.begin() + static_cast<std::ptrdiff_t>(start + len), 0.0) /
                         static_cast<double>(len);
        for (std::size_t j = 0; j < len; ++j) seg[j] = (x[start + j] - m) * win[j];
        for (std::size_t k = 0; k < nf; ++k) {
            double re = 0.0, im = 0.0;
            const double a = 2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(len);
            for (std::size_t j = 0; j < len; ++j) {
                re += seg[j] * std::cos(a * static_cast<double>(j));
                im -= seg[j] * std::sin(a * static_cast<double>(j));
            }
            double pk = (re * re + im * im) / (fs * wsum2);
            if (k != 0 && !(len % 2 == 0 && k == nf - 1)) pk *= 2.0;  // one-sided
            p.power[k] += pk;
        }
    }
    for (auto& v : p.power) v /= static_cast<double>(segments);
    return p;
}

}  // namespace snnfit::metrics
