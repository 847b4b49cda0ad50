#include "metrics/features.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace snnfit::metrics {

namespace {

struct FeatureInfo {
    Feature feature;
    std::string_view name, unit;
};

constexpr std::array<FeatureInfo, 16> kFeatures{{
    {Feature::voltage_base, "voltage_base", "mV"},
    {Feature::steady_state_voltage, "steady_state_voltage", "mV"},
    {Feature::steady_state_voltage_stimend, "steady_state_voltage_stimend", "mV"},
    {Feature::Spikecount, "Spikecount", ""},
    {Feature::mean_frequency, "mean_frequency", "Hz"},
    {Feature::time_to_first_spike, "time_to_first_spike", "ms"},
    {Feature::ISI_CV, "ISI_CV", ""},
    {Feature::adaptation_index2, "adaptation_index2", ""},
    {Feature::AP_amplitude, "AP_amplitude", "mV"},
    {Feature::AP_height, "AP_height", "mV"},
    {Feature::AP_width, "AP_width", "ms"},
    {Feature::AHP_depth_abs, "AHP_depth_abs", "mV"},
    {Feature::AHP_depth, "AHP_depth", "mV"},
    {Feature::decay_time_constant_after_stim, "decay_time_constant_after_stim", "ms"},
    {Feature::sag_amplitude, "sag_amplitude", "mV"},
    {Feature::ohmic_input_resistance, "ohmic_input_resistance", "MOhm"},
}};

constexpr std::array<Feature, 16> kAll = [] {
    std::array<Feature, 16> out{};
    for (std::size_t i = 0; i < kFeatures.size(); ++i) out[i] = kFeatures[i].feature;
    return out;
}();

// Grid times are n * step; "t >= x" must not miss a sample that is x up to rounding.
constexpr double kGridTolerance = 1e-9;

double mean_of(std::span<const double> v, std::size_t b, std::size_t e) {
    double s = 0.0;
    for (std::size_t k = b; k < e; ++k) s += v[k];
    return s / static_cast<double>(e - b);
}

// The first local minimum of v[b, e) that the next two samples do not undercut (eFEL's
// first_min_element, so that a slow AHP after a fast one is not taken); the lowest
// sample if there is none. e when the range is empty.
std::size_t first_minimum(std::span<const double> v, std::size_t b, std::size_t e) {
    if (b >= e) return e;
    std::size_t lowest = b, candidate = b;
    int not_lower = 0;
    for (std::size_t k = b + 1; k < e; ++k) {
        if (v[k] < v[lowest]) lowest = k;
        if (v[k] < v[candidate]) {
            candidate = k;
            not_lower = 0;
        } else if (++not_lower == 2) {
            return candidate;
        }
    }
    return lowest;
}

}  // namespace

std::span<const Feature> all_features() {
    return kAll;
}

std::string_view feature_name(Feature f) {
    return kFeatures[static_cast<std::size_t>(f)].name;
}

std::string_view feature_unit(Feature f) {
    return kFeatures[static_cast<std::size_t>(f)].unit;
}

std::optional<Feature> parse_feature(std::string_view name) {
    for (const auto& i : kFeatures)
        if (i.name == name) return i.feature;
    return std::nullopt;
}

FeatureExtractor::FeatureExtractor(const SweepTrace& trace, const FeatureSettings& settings)
    : trace_(trace), s_(settings), t0_(trace.t0) {
    const std::size_t n = trace.v.size();
    if (n < 2 || std::fabs(trace.dt - s_.interp_step) <= kGridTolerance * s_.interp_step) {
        v_ = trace.v;
        step_ = trace.dt;
        return;
    }
    // eFEL resamples every trace linearly onto a grid of interp_step from its first sample.
    step_ = s_.interp_step;
    const double span = static_cast<double>(n - 1) * trace.dt;
    const auto m = static_cast<std::size_t>(std::floor(span / step_ + kGridTolerance)) + 1;
    resampled_.resize(m);
    for (std::size_t k = 0; k < m; ++k) {
        const double pos = static_cast<double>(k) * step_ / trace.dt;
        const auto i = std::min(static_cast<std::size_t>(pos), n - 2);
        const double frac = pos - static_cast<double>(i);
        resampled_[k] = trace.v[i] + frac * (trace.v[i + 1] - trace.v[i]);
    }
    v_ = resampled_;
}

std::size_t FeatureExtractor::first_at_or_after(double t) const {
    const double pos = std::ceil((t - t0_) / step_ - kGridTolerance);
    if (pos <= 0) return 0;
    return std::min(v_.size(), static_cast<std::size_t>(pos));
}

double FeatureExtractor::dvdt(std::size_t k) const {
    // eFEL's central difference, one-sided at the ends.
    const std::size_t n = v_.size();
    if (n < 2) return 0.0;
    if (k == 0) return (v_[1] - v_[0]) / step_;
    if (k + 1 == n) return (v_[n - 1] - v_[n - 2]) / step_;
    return (v_[k + 1] - v_[k - 1]) / (2.0 * step_);
}

const std::vector<std::size_t>& FeatureExtractor::peaks() {
    if (peaks_) return *peaks_;
    peaks_.emplace();
    auto& out = *peaks_;
    if (v_.empty()) return out;
    if (trace_.event_spikes) {
        for (double t : *trace_.event_spikes) {
            const double k = std::round((t - t0_) / step_);
            out.push_back(static_cast<std::size_t>(std::clamp(k, 0.0, static_cast<double>(v_.size() - 1))));
        }
        return out;
    }
    // Upward and downward crossings of the threshold, strictly (eFEL's peak_indices);
    // each spike's peak is the first maximum between its up- and down-crossing.
    std::vector<std::size_t> up, down;
    const double th = s_.threshold;
    for (std::size_t i = 1; i < v_.size(); ++i) {
        if (v_[i] > th && v_[i - 1] < th)
            up.push_back(i);
        else if (v_[i] < th && v_[i - 1] > th)
            down.push_back(i);
    }
    if (up.empty() || down.empty()) return out;
    std::size_t d = 0;
    while (d < down.size() && down[d] < up[0]) ++d;  // the trace starts above threshold
    for (std::size_t i = 0; i < up.size() && d + i < down.size(); ++i) {
        std::size_t best = up[i];
        for (std::size_t k = up[i]; k <= down[d + i]; ++k)
            if (v_[k] > v_[best]) best = k;
        out.push_back(best);
    }
    return out;
}

const std::vector<double>& FeatureExtractor::peak_times() {
    if (peak_times_) return *peak_times_;
    peak_times_.emplace();
    if (trace_.event_spikes) {
        peak_times_->assign(trace_.event_spikes->begin(), trace_.event_spikes->end());
    } else {
        for (auto k : peaks()) peak_times_->push_back(time(k));
    }
    return *peak_times_;
}

const std::vector<std::size_t>& FeatureExtractor::min_ahp() {
    if (min_ahp_) return *min_ahp_;
    min_ahp_.emplace();
    // The first minimum after each peak, before the next peak or the end of the trace;
    // one that is the trace's last sample is no AHP (the trace was cut on the way down).
    const auto& p = peaks();
    const std::size_t n = v_.size();
    for (std::size_t i = 0; i < p.size(); ++i) {
        const std::size_t e = i + 1 < p.size() ? p[i + 1] : n;
        const std::size_t k = first_minimum(v_, p[i], e);
        if (k < e && k != n - 1) min_ahp_->push_back(k);
    }
    return *min_ahp_;
}

const std::vector<std::size_t>& FeatureExtractor::ap_begin() {
    if (ap_begin_) return *ap_begin_;
    ap_begin_.emplace();
    const std::size_t n = v_.size();
    const std::size_t stim = first_at_or_after(trace_.stim_start);
    // Each AP is searched between the previous minimum (the stimulus start for the first,
    // two samples early as eFEL does against rounding) and its peak.
    std::vector<std::size_t> lows{stim > 1 ? stim - 2 : 0};
    for (auto k : min_ahp())
        if (k > stim) lows.push_back(k);
    std::vector<std::size_t> ps;
    for (auto k : peaks())
        if (k > stim) ps.push_back(k);
    if (lows.size() < ps.size()) return *ap_begin_;
    const auto width = static_cast<std::size_t>(std::max(1, s_.derivative_window));
    const double dth = s_.derivative_threshold;
    for (std::size_t i = 0; i < ps.size(); ++i) {
        // The onset is the start of the last run of dV/dt > threshold before the peak that
        // lasts at least `width` samples.
        std::size_t from = ps[i];
        bool found = false;
        std::size_t begin = lows[i];
        while (true) {
            std::size_t j = from;
            while (j > lows[i] && dvdt(j - 1) > dth) --j;
            begin = j;
            if (begin + width > n) begin = n >= width ? n - width : 0;
            if (begin == lows[i]) break;
            bool steady = true;
            for (std::size_t k = begin; k < begin + width; ++k)
                if (dvdt(k) < dth) steady = false;
            if (steady) {
                found = true;
                break;
            }
            from = begin - 1;
        }
        if (found) ap_begin_->push_back(begin);
    }
    return *ap_begin_;
}

std::optional<double> FeatureExtractor::voltage_base() {
    const double a = trace_.stim_start * s_.voltage_base_start_perc, b = trace_.stim_start * s_.voltage_base_end_perc;
    if (!(a < b)) return std::nullopt;
    const std::size_t lo = first_at_or_after(a);
    // Up to and including the last sample at b (eFEL's precision_threshold).
    std::size_t hi = first_at_or_after(b);
    if (hi < v_.size() && time(hi) - b < 1e-10) ++hi;
    if (hi <= lo) return std::nullopt;
    return mean_of(v_, lo, hi);
}

std::optional<double> FeatureExtractor::steady_state_stimend() {
    const double start = trace_.stim_end - 0.1 * (trace_.stim_end - trace_.stim_start);
    const std::size_t lo = first_at_or_after(start), hi = first_at_or_after(trace_.stim_end);
    if (hi <= lo) return std::nullopt;
    return mean_of(v_, lo, hi);
}

FeatureValues FeatureExtractor::operator()(Feature f) {
    const std::size_t n = v_.size();
    const double ss = trace_.stim_start, se = trace_.stim_end;
    auto one = [](std::optional<double> x) { return x && std::isfinite(*x) ? FeatureValues{*x} : FeatureValues{}; };
    switch (f) {
        case Feature::voltage_base:
            return one(voltage_base());
        case Feature::steady_state_voltage: {
            std::size_t lo = first_at_or_after(se);
            while (lo < n && !(time(lo) > se)) ++lo;
            if (lo >= n) return {};
            return {mean_of(v_, lo, n)};
        }
        case Feature::steady_state_voltage_stimend:
            return one(steady_state_stimend());
        case Feature::Spikecount:
            return {static_cast<double>(peaks().size())};
        case Feature::mean_frequency: {
            std::size_t count = 0;
            double last = ss;
            for (double t : peak_times())
                if (t >= ss && t <= se) ++count, last = t;
            // eFEL: 0 when every spike lies outside the stimulus, undefined without spikes.
            if (peak_times().empty() || (count > 0 && last == ss)) return {};
            if (count == 0) return {0.0};
            return {static_cast<double>(count) * 1000.0 / (last - ss)};
        }
        case Feature::time_to_first_spike:
            if (peak_times().empty()) return {};
            return {peak_times().front() - ss};
        case Feature::ISI_CV: {
            const auto& t = peak_times();
            std::vector<double> isi;
            for (std::size_t i = (s_.ignore_first_isi ? 2 : 1); i < t.size(); ++i) isi.push_back(t[i] - t[i - 1]);
            if (isi.size() < 2) return {};
            const double m = std::accumulate(isi.begin(), isi.end(), 0.0) / static_cast<double>(isi.size());
            double ss2 = 0.0;
            for (double x : isi) ss2 += (x - m) * (x - m);
            return one(std::sqrt(ss2 / static_cast<double>(isi.size() - 1)) / m);
        }
        case Feature::adaptation_index2: {
            const auto& all = peak_times();
            std::vector<double> t;
            for (double x : all)
                if (x >= ss && x <= se) t.push_back(x);
            if (all.size() < 4 || t.size() < 4) return {};
            // From the second spike on: the mean of (ISI_i - ISI_{i-1}) / (ISI_i + ISI_{i-1}).
            double sum = 0.0;
            for (std::size_t i = 3; i < t.size(); ++i) {
                const double a = t[i - 1] - t[i - 2], b = t[i] - t[i - 1];
                sum += (b - a) / (b + a);
            }
            return one(sum / static_cast<double>(t.size() - 3));
        }
        case Feature::AP_amplitude: {
            if (trace_.event_spikes) return {};
            const auto& p = peaks();
            const auto& t = peak_times();
            std::vector<double> peak_v;
            for (std::size_t i = 0; i < p.size(); ++i)
                if (t[i] >= ss && t[i] <= se) peak_v.push_back(v_[p[i]]);
            const auto& begin = ap_begin();
            if (peak_v.size() > begin.size()) return {};
            FeatureValues out;
            for (std::size_t i = 0; i < peak_v.size(); ++i) out.push_back(peak_v[i] - v_[begin[i]]);
            return out;
        }
        case Feature::AP_height: {
            if (trace_.event_spikes) return {};
            FeatureValues out;
            for (auto k : peaks()) out.push_back(v_[k]);
            return out;
        }
        case Feature::AP_width: {
            if (trace_.event_spikes || peaks().empty()) return {};
            // Between consecutive AHP minima (from the trace start): the time from the first
            // sample at or above threshold to the next at or below it.
            std::vector<std::size_t> bounds{0};
            for (auto k : min_ahp()) bounds.push_back(k);
            FeatureValues out;
            for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
                std::size_t on = bounds[i];
                while (on < bounds[i + 1] && v_[on] < s_.threshold) ++on;
                std::size_t off = on;
                while (off < bounds[i + 1] && v_[off] > s_.threshold) ++off;
                out.push_back(time(off) - time(on));
            }
            return out;
        }
        case Feature::AHP_depth_abs:
        case Feature::AHP_depth: {
            FeatureValues out;
            const auto base = f == Feature::AHP_depth ? voltage_base() : std::optional<double>(0.0);
            if (!base) return {};
            for (auto k : min_ahp()) out.push_back(v_[k] - *base);
            return out;
        }
        case Feature::decay_time_constant_after_stim: {
            // A straight line through log|V - V(stim_start)| on [stim_end + 1, stim_end + 10) ms.
            if (!(s_.decay_start_after_stim < s_.decay_end_after_stim)) return {};
            const std::size_t ref = first_at_or_after(ss);
            const std::size_t lo = first_at_or_after(se + s_.decay_start_after_stim);
            const std::size_t hi = first_at_or_after(se + s_.decay_end_after_stim);
            if (ref >= n || hi < lo + 2) return {};
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (std::size_t k = lo; k < hi; ++k) {
                const double x = time(k), y = std::log(std::fabs(v_[k] - v_[ref]));
                if (!std::isfinite(y)) return {};
                sx += x, sy += y, sxx += x * x, sxy += x * y;
            }
            const double m = static_cast<double>(hi - lo);
            const double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
            return one(std::fabs(1.0 / slope));
        }
        case Feature::sag_amplitude: {
            const auto base = voltage_base();
            const auto steady = steady_state_stimend();
            if (!base || !steady || *steady - *base > 0) return {};
            // eFEL's minimum_voltage: over start <= t < end.
            const std::size_t lo = first_at_or_after(ss), hi = first_at_or_after(se);
            if (hi <= lo) return {};
            return one(*steady - *std::min_element(v_.begin() + static_cast<std::ptrdiff_t>(lo),
                                                   v_.begin() + static_cast<std::ptrdiff_t>(hi)));
        }
        case Feature::ohmic_input_resistance: {
            // eFEL's voltage_deflection: the mean of the 5 samples that end 5 samples before
            // the first sample after the stimulus, minus the mean of every sample before it.
            const std::size_t pre = first_at_or_after(ss);
            std::size_t after = first_at_or_after(se);
            while (after < n && !(time(after) > se)) ++after;
            if (pre == 0 || after >= n || after < 10 || trace_.stim_amplitude == 0.0) return {};
            const double deflection = mean_of(v_, after - 10, after - 5) - mean_of(v_, 0, pre);
            return one(deflection / (trace_.stim_amplitude / 1000.0));  // mV / nA = MOhm
        }
    }
    return {};
}

std::vector<FeatureValues> extract_features(const SweepTrace& trace, std::span<const Feature> features,
                                            const FeatureSettings& settings) {
    FeatureExtractor x(trace, settings);
    std::vector<FeatureValues> out;
    out.reserve(features.size());
    for (auto f : features) out.push_back(x(f));
    return out;
}

}  // namespace snnfit::metrics
