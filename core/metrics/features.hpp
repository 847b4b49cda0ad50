// Voltage features of one current-clamp sweep, under eFEL's names and definitions
// (the definitions, and where we had to choose, are in README.md "Voltage features").
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace snnfit::metrics {

enum class Feature {
    voltage_base,
    steady_state_voltage,
    steady_state_voltage_stimend,
    Spikecount,
    mean_frequency,
    time_to_first_spike,
    ISI_CV,
    adaptation_index2,
    AP_amplitude,
    AP_height,
    AP_width,
    AHP_depth_abs,
    AHP_depth,
    decay_time_constant_after_stim,
    sag_amplitude,
    ohmic_input_resistance,
};

// Every feature, in the order above.
std::span<const Feature> all_features();
// eFEL's name ("AP_amplitude"); parse_feature is its inverse (nullopt for other names).
std::string_view feature_name(Feature f);
std::optional<Feature> parse_feature(std::string_view name);
// The unit of a feature's values, for tables ("mV", "ms", "Hz", "MOhm", "").
std::string_view feature_unit(Feature f);

// eFEL's settings, with eFEL's defaults.
struct FeatureSettings {
    double threshold = -20.0;            // mV: a spike is a crossing of this level ("Threshold")
    double derivative_threshold = 10.0;  // mV/ms: an AP begins where dV/dt rises past this
    int derivative_window = 3;           // samples dV/dt must stay above it
    double interp_step = 0.1;            // ms: the trace is linearly resampled to this step
    double voltage_base_start_perc = 0.9, voltage_base_end_perc = 1.0;
    double decay_start_after_stim = 1.0, decay_end_after_stim = 10.0;  // ms
    bool ignore_first_isi = true;                                      // ISI_CV
};

// One sweep: a regularly sampled voltage and the step of current that was applied.
struct SweepTrace {
    std::span<const double> v;    // mV, v[k] at t0 + k dt
    double dt = 0.1;              // ms
    double t0 = 0.0;              // ms
    double stim_start = 0.0;      // ms
    double stim_end = 0.0;        // ms
    double stim_amplitude = 0.0;  // pA
    // A point model's spikes are events (a threshold and a reset), not a voltage
    // excursion: when given, these times (ms) are the spikes (peak_time), each at the
    // nearest sample, and the AP shape features (AP_amplitude, AP_height, AP_width) are
    // undefined. When absent, spikes are found in the voltage as eFEL does.
    std::optional<std::span<const double>> event_spikes;
};

// The values of one feature: eFEL's features are arrays (one value per AP for the
// shape features, one value for the others). Empty = undefined (eFEL's None): no
// spike where one is needed, too few samples in a window, a division by zero.
using FeatureValues = std::vector<double>;

// Computes features of one sweep, each intermediate (resampled trace, peaks, AHP
// minima, AP onsets, voltage base) at most once and only when a requested feature
// needs it. Keeps a reference to the trace's samples.
class FeatureExtractor {
public:
    explicit FeatureExtractor(const SweepTrace& trace, const FeatureSettings& settings = {});
    FeatureValues operator()(Feature f);

private:
    const std::vector<std::size_t>& peaks();  // peak indices on the resampled grid
    const std::vector<double>& peak_times();  // ms
    const std::vector<std::size_t>& min_ahp();
    const std::vector<std::size_t>& ap_begin();
    std::optional<double> voltage_base();
    std::optional<double> steady_state_stimend();
    std::size_t first_at_or_after(double t) const;  // first index with time >= t
    double time(std::size_t k) const { return t0_ + static_cast<double>(k) * step_; }
    double dvdt(std::size_t k) const;

    SweepTrace trace_;
    FeatureSettings s_;
    std::vector<double> resampled_;
    std::span<const double> v_;  // the trace on the interp_step grid
    double t0_ = 0.0, step_ = 0.1;
    std::optional<std::vector<std::size_t>> peaks_, min_ahp_, ap_begin_;
    std::optional<std::vector<double>> peak_times_;
};

// The values of each of `features` on one sweep.
std::vector<FeatureValues> extract_features(const SweepTrace& trace, std::span<const Feature> features,
                                            const FeatureSettings& settings = {});

}  // namespace snnfit::metrics
