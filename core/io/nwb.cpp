#include "io/nwb.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "common/error.hpp"
#include "io/hdf5.hpp"

namespace snnfit::io {

namespace {

// NWB writes the SI unit name ("volts", "amperes"); files from other writers use symbols.
double unit_factor(const h5::Group& data, const std::string& unit, bool voltage) {
    std::string u = unit;
    std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return std::tolower(c); });
    if (voltage) {
        if (u == "volts" || u == "volt" || u == "v") return 1e3;  // -> mV
        if (u == "millivolts" || u == "millivolt" || u == "mv") return 1.0;
    } else {
        if (u == "amperes" || u == "ampere" || u == "amps" || u == "a") return 1e12;  // -> pA
        if (u == "nanoamperes" || u == "na") return 1e3;
        if (u == "picoamperes" || u == "pa") return 1.0;
    }
    data.fail("", fmt::format("unit \"{}\" is not a {} unit snnfit knows ({})", unit, voltage ? "voltage" : "current",
                              voltage ? "volts, V, mV" : "amperes, A, nA, pA"));
}

struct Trace {
    std::vector<double> values;  // mV or pA
    double dt = 0.0;             // ms
};

// data * conversion + offset in the series' unit, then in snnfit's unit; the time grid
// from starting_time's `rate` attribute (Hz).
Trace read_trace(const h5::Group& series, bool voltage) {
    Trace t;
    t.values = series.read_doubles("data");
    const auto attrs = series.dataset_attrs("data");
    const double conversion = attrs.has_attr("conversion") ? attrs.attr_double("conversion") : 1.0;
    const double offset = attrs.has_attr("offset") ? attrs.attr_double("offset") : 0.0;
    if (!attrs.has_attr("unit")) attrs.fail("", "missing attribute unit");
    const double factor = unit_factor(attrs, attrs.attr_string("unit"), voltage);
    for (double& x : t.values) {
        x = (x * conversion + offset) * factor;
        if (!std::isfinite(x)) attrs.fail("", "holds a value that is not finite");
    }
    if (!series.has("starting_time"))
        series.fail("starting_time", "missing dataset (snnfit reads regularly sampled series: starting_time with rate)");
    const auto st = series.dataset_attrs("starting_time");
    const double rate = st.attr_double("rate");
    // Recordings are sampled at kHz to MHz; outside [1 Hz, 1 GHz] the time grid (and every
    // loss computed on it) is meaningless, so name the rate rather than fail later.
    if (!(rate >= 1.0 && rate <= 1e9))
        st.fail("", fmt::format("rate must be a sampling rate in [1, 1e9] Hz, got {}", rate));
    t.dt = 1000.0 / rate;
    if (t.values.size() < 2) attrs.fail("", "a sweep needs at least two samples");
    return t;
}

std::int64_t trailing_number(const std::string& name) {
    std::size_t i = name.size();
    while (i > 0 && std::isdigit(static_cast<unsigned char>(name[i - 1]))) --i;
    if (i == name.size() || name.size() - i > 15) return -1;
    return std::stoll(name.substr(i));
}

std::int64_t sweep_number(const h5::Group& series, const std::string& name) {
    return series.has_attr("sweep_number") ? series.attr_int("sweep_number") : trailing_number(name);
}

// The stimulus series of a sweep: same name, or the one with the same sweep number.
std::optional<std::string> find_stimulus(const h5::Group& presentation, const std::string& name, std::int64_t number) {
    if (presentation.has(name)) return name;
    for (const auto& m : presentation.members())
        if (number >= 0 && sweep_number(presentation.open_group(m), m) == number) return m;
    return std::nullopt;
}

std::vector<double> precomputed_spikes(const h5::Group& spikes, const std::string& name) {
    const auto g = spikes.open_group(name);
    // Allen's files put the times in `timestamps` (seconds), some writers in `data`.
    const std::string ds = g.has("timestamps") ? "timestamps" : "data";
    auto t = g.read_doubles(ds);
    for (double& x : t) x *= 1000.0;
    std::sort(t.begin(), t.end());
    return t;
}

}  // namespace

std::vector<double> detect_spikes(const std::vector<double>& v, double t0, double dt, double threshold,
                                  double refractory) {
    std::vector<double> out;
    bool above = !v.empty() && v[0] >= threshold;
    for (std::size_t i = 1; i < v.size(); ++i) {
        if (!above && v[i] >= threshold) {
            const double frac = (threshold - v[i - 1]) / (v[i] - v[i - 1]);
            const double t = t0 + (static_cast<double>(i - 1) + frac) * dt;
            if (out.empty() || t - out.back() >= refractory) out.push_back(t);
            above = true;
        } else if (above && v[i] < threshold) {
            above = false;
        }
    }
    return out;
}

StepFit find_step(const std::vector<double>& stimulus, double dt) {
    StepFit f;
    if (stimulus.empty()) return f;
    const double base = stimulus.front();
    double dev = 0.0;
    for (double x : stimulus) dev = std::max(dev, std::fabs(x - base));
    if (dev == 0.0) return f;
    const double tol = 0.01 * dev;
    std::size_t best_start = 0, best_len = 0;
    for (std::size_t i = 0; i < stimulus.size();) {
        if (std::fabs(stimulus[i] - base) <= tol) {
            ++i;
            continue;
        }
        // A run of one level: the samples stay within tol of where the run started.
        const double level = stimulus[i];
        std::size_t j = i;
        while (j < stimulus.size() && std::fabs(stimulus[j] - base) > tol && std::fabs(stimulus[j] - level) <= tol) ++j;
        if (j - i > best_len) best_start = i, best_len = j - i;
        i = j;
    }
    double sum = 0.0;
    for (std::size_t i = best_start; i < best_start + best_len; ++i) sum += stimulus[i];
    f.amplitude = sum / static_cast<double>(best_len) - base;
    f.delay = static_cast<double>(best_start) * dt;
    f.duration = static_cast<double>(best_len) * dt;
    f.found = true;
    return f;
}

std::vector<RecordedSweep> read_nwb_sweeps(const std::string& path, const std::vector<std::int64_t>& numbers,
                                           const NwbOptions& options) {
    auto file = h5::File::open_read(path);
    auto root = file.root();
    const auto acquisition = root.open_group("acquisition");
    std::vector<std::string> names = acquisition.members();
    std::sort(names.begin(), names.end());
    if (!numbers.empty()) {
        std::map<std::int64_t, std::string> by_number;
        for (const auto& n : names) by_number.emplace(sweep_number(acquisition.open_group(n), n), n);
        std::vector<std::string> chosen;
        for (auto k : numbers) {
            auto it = by_number.find(k);
            if (it == by_number.end())
                acquisition.fail("", fmt::format("no series with sweep number {} (its series: {})", k,
                                                 fmt::join(names, ", ")));
            chosen.push_back(it->second);
        }
        names = std::move(chosen);
    }
    if (names.empty()) acquisition.fail("", "holds no sweep");

    std::vector<RecordedSweep> out;
    for (const auto& name : names) {
        const auto series = acquisition.open_group(name);
        const std::int64_t number = sweep_number(series, name);
        RecordedSweep s;
        s.name = name;
        const std::string spike_group = fmt::format("Sweep_{}", number);
        const bool have_spikes = root.has("processing/spikes/" + spike_group);
        const bool precomputed = options.spikes == NwbOptions::Spikes::precomputed ||
                                 (options.spikes == NwbOptions::Spikes::automatic && have_spikes);
        std::optional<Trace> voltage;
        if (!precomputed || series.has("data")) voltage = read_trace(series, true);
        if (voltage) s.length = static_cast<double>(voltage->values.size()) * voltage->dt;
        if (precomputed) {
            if (!have_spikes)
                root.fail("processing/spikes/" + spike_group,
                          "missing group (precomputed spike times were asked for; use spikes = \"detect\")");
            s.spikes = precomputed_spikes(root.open_group("processing/spikes"), spike_group);
        } else {
            s.spikes = detect_spikes(voltage->values, 0.0, voltage->dt, options.threshold, options.refractory);
        }
        if (voltage) {
            s.voltage = std::move(voltage->values);
            s.voltage_dt = voltage->dt;
        }
        if (root.has("stimulus/presentation")) {
            const auto pres = root.open_group("stimulus/presentation");
            if (auto stim_name = find_stimulus(pres, name, number)) {
                const auto stim_series = pres.open_group(*stim_name);
                const auto stim = read_trace(stim_series, false);
                const auto step = find_step(stim.values, stim.dt);
                if (step.found) {
                    s.amplitude = step.amplitude;
                    s.delay = step.delay;
                    s.duration = step.duration;
                }
                if (!s.length) s.length = static_cast<double>(stim.values.size()) * stim.dt;
            }
        }
        check_sweep(s, fmt::format("{}: /acquisition/{}", path, name));
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace snnfit::io
