// eFEL's voltage features on synthetic sweeps whose answers are known in closed form:
// an RC circuit charged and discharged by a step (voltage base, steady states, input
// resistance, decay time constant), a piecewise-linear sag, and a train of
// piecewise-linear action potentials at chosen times (counts, frequency, latency, ISI CV,
// adaptation, amplitude, height, width, AHP).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/features.hpp"

namespace {

using snnfit::metrics::Feature;
using snnfit::metrics::FeatureExtractor;
using snnfit::metrics::FeatureValues;
using snnfit::metrics::SweepTrace;

constexpr double kEL = -70.0;                                    // mV
constexpr double kR = 150.0;                                     // MOhm
constexpr double kTau = 12.0;                                    // ms
constexpr double kStart = 100.0, kEnd = 600.0, kLength = 800.0;  // ms

// V of an RC membrane (R, tau) under a step of I pA on [kStart, kEnd), at time t.
double rc(double t, double amplitude) {
    const double dv = kR * amplitude / 1000.0;  // MOhm * pA = uV -> mV
    if (t <= kStart) return kEL;
    const double at_end = dv * (1.0 - std::exp(-(kEnd - kStart) / kTau));
    if (t <= kEnd) return kEL + dv * (1.0 - std::exp(-(t - kStart) / kTau));
    return kEL + at_end * std::exp(-(t - kEnd) / kTau);
}

std::vector<double> sample(double dt, double amplitude) {
    std::vector<double> v;
    const auto n = static_cast<std::size_t>(std::llround(kLength / dt));
    for (std::size_t k = 0; k < n; ++k) v.push_back(rc(static_cast<double>(k) * dt, amplitude));
    return v;
}

SweepTrace sweep(const std::vector<double>& v, double dt, double amplitude) {
    SweepTrace s;
    s.v = v;
    s.dt = dt;
    s.stim_start = kStart;
    s.stim_end = kEnd;
    s.stim_amplitude = amplitude;
    return s;
}

double one(FeatureExtractor& x, Feature f) {
    const auto v = x(f);
    EXPECT_EQ(v.size(), 1u) << snnfit::metrics::feature_name(f);
    return v.empty() ? NAN : v[0];
}

TEST(Features, NamesRoundTrip) {
    for (auto f : snnfit::metrics::all_features())
        EXPECT_EQ(snnfit::metrics::parse_feature(snnfit::metrics::feature_name(f)), f);
    EXPECT_EQ(snnfit::metrics::all_features().size(), 16u);
    EXPECT_FALSE(snnfit::metrics::parse_feature("AP_amplitudes"));
}

TEST(Features, RcChargingCurve) {
    const double amp = -80.0;  // pA: -12 mV at steady state
    const auto v = sample(0.1, amp);
    FeatureExtractor x(sweep(v, 0.1, amp));
    EXPECT_NEAR(one(x, Feature::voltage_base), kEL, 1e-12);
    // The last 10 % of the step is 41 time constants in: V = EL + R I to e^-41.
    EXPECT_NEAR(one(x, Feature::steady_state_voltage_stimend), kEL + kR * amp / 1000.0, 1e-12);
    EXPECT_NEAR(one(x, Feature::ohmic_input_resistance), kR, 1e-9);
    // log|V - V(stim_start)| is a straight line of slope -1/tau after the step.
    EXPECT_NEAR(one(x, Feature::decay_time_constant_after_stim), kTau, 1e-9);
    // After the step: the mean of dV r^k, k = 1..N, with r = e^{-dt/tau} (a geometric sum).
    const double dv = kR * amp / 1000.0, r = std::exp(-0.1 / kTau);
    const double n = (kLength - kEnd) / 0.1 - 1;  // samples strictly after stim_end
    EXPECT_NEAR(one(x, Feature::steady_state_voltage), kEL + dv * r * (1 - std::pow(r, n)) / (1 - r) / n, 1e-9);
    // No sag in an RC circuit: the minimum is the steady state.
    EXPECT_NEAR(one(x, Feature::sag_amplitude), 0.0, 1e-12);
    EXPECT_EQ(one(x, Feature::Spikecount), 0.0);
    for (auto f :
         {Feature::mean_frequency, Feature::time_to_first_spike, Feature::ISI_CV, Feature::adaptation_index2,
          Feature::AP_amplitude, Feature::AP_height, Feature::AP_width, Feature::AHP_depth_abs, Feature::AHP_depth})
        EXPECT_TRUE(x(f).empty()) << snnfit::metrics::feature_name(f);
}

TEST(Features, RcResampledFromAFinerGrid) {
    // A trace at 0.025 ms is resampled onto eFEL's 0.1 ms grid; every fourth sample is kept.
    const double amp = 50.0;
    const auto v = sample(0.025, amp);
    FeatureExtractor x(sweep(v, 0.025, amp));
    EXPECT_NEAR(one(x, Feature::voltage_base), kEL, 1e-12);
    EXPECT_NEAR(one(x, Feature::ohmic_input_resistance), kR, 1e-9);
    EXPECT_NEAR(one(x, Feature::decay_time_constant_after_stim), kTau, 1e-6);
    // A depolarising step has no sag (eFEL: undefined).
    EXPECT_TRUE(x(Feature::sag_amplitude).empty());
}

TEST(Features, SagOfAPiecewiseLinearTrace) {
    // Down 15 mV in 10 ms, back up 5 mV in 40 ms, flat to the end of the step.
    std::vector<double> v;
    for (int k = 0; k < 8000; ++k) {
        const double t = k * 0.1;
        double x = kEL;
        if (t > kStart && t <= kStart + 10) x = kEL - 1.5 * (t - kStart);
        if (t > kStart + 10 && t <= kStart + 50) x = kEL - 15 + 0.125 * (t - kStart - 10);
        if (t > kStart + 50 && t < kEnd) x = kEL - 10;
        v.push_back(x);
    }
    FeatureExtractor x(sweep(v, 0.1, -100.0));
    EXPECT_NEAR(one(x, Feature::sag_amplitude), 5.0, 1e-12);
    EXPECT_NEAR(one(x, Feature::steady_state_voltage_stimend), kEL - 10, 1e-12);
    EXPECT_NEAR(one(x, Feature::ohmic_input_resistance), 100.0, 1e-9);  // -10 mV / -0.1 nA
}

// Piecewise-linear APs peaking at the given sample indices on a -65 mV baseline, dt = 0.1:
// up 10 mV per sample from -65 to +35 (100 mV/ms), down 12 mV per sample to -85, then
// back to -65 at 0.4 mV per sample (5 ms). No sample sits exactly on -20 mV, where eFEL's
// strict crossings would miss the spike.
std::vector<double> ap_train(const std::vector<int>& peaks, int samples) {
    std::vector<double> v(static_cast<std::size_t>(samples), -65.0);
    for (int p : peaks) {
        for (int j = -10; j <= 0; ++j) v[static_cast<std::size_t>(p + j)] = 35.0 + 10.0 * j;
        for (int j = 1; j <= 10; ++j) v[static_cast<std::size_t>(p + j)] = 35.0 - 12.0 * j;
        for (int j = 1; j <= 50; ++j) v[static_cast<std::size_t>(p + 10 + j)] = -85.0 + 0.4 * j;
    }
    return v;
}

const std::vector<double> kSpikes{120, 140, 170, 210, 260, 320};  // ms: ISIs 20, 30, 40, 50, 60

std::vector<int> spike_samples() {
    std::vector<int> out;
    for (double t : kSpikes) out.push_back(static_cast<int>(std::lround(t / 0.1)));
    return out;
}

TEST(Features, SpikeTimesOfAnApTrain) {
    const auto v = ap_train(spike_samples(), 8000);
    FeatureExtractor x(sweep(v, 0.1, 200.0));
    EXPECT_EQ(one(x, Feature::Spikecount), 6.0);
    EXPECT_NEAR(one(x, Feature::time_to_first_spike), 20.0, 1e-9);
    EXPECT_NEAR(one(x, Feature::mean_frequency), 6 * 1000.0 / (320.0 - 100.0), 1e-9);
    // ISI_CV ignores the first ISI: 30, 40, 50, 60 -> sd (ddof 1) sqrt(500/3), mean 45.
    EXPECT_NEAR(one(x, Feature::ISI_CV), std::sqrt(500.0 / 3.0) / 45.0, 1e-9);
    // adaptation_index2 starts at the second spike: ISIs 30, 40, 50, 60.
    EXPECT_NEAR(one(x, Feature::adaptation_index2), (10.0 / 70 + 10.0 / 90 + 10.0 / 110) / 3, 1e-9);
}

TEST(Features, ShapeOfAnApTrain) {
    const auto v = ap_train(spike_samples(), 8000);
    FeatureExtractor x(sweep(v, 0.1, 200.0));
    const auto height = x(Feature::AP_height), amplitude = x(Feature::AP_amplitude), width = x(Feature::AP_width);
    const auto ahp = x(Feature::AHP_depth_abs), depth = x(Feature::AHP_depth);
    ASSERT_EQ(height.size(), 6u);
    ASSERT_EQ(amplitude.size(), 6u);
    ASSERT_EQ(width.size(), 6u);
    ASSERT_EQ(ahp.size(), 6u);
    ASSERT_EQ(depth.size(), 6u);
    for (int i = 0; i < 6; ++i) {
        EXPECT_DOUBLE_EQ(height[i], 35.0);
        // dV/dt first exceeds 10 mV/ms at the foot of the upstroke, -65 mV.
        EXPECT_DOUBLE_EQ(amplitude[i], 100.0);
        // First sample >= -20 mV: 5 samples before the peak (-15 mV); first <= -20 after it:
        // 5 samples after (-25 mV).
        EXPECT_NEAR(width[i], 1.0, 1e-9);
        EXPECT_DOUBLE_EQ(ahp[i], -85.0);
        EXPECT_DOUBLE_EQ(depth[i], -20.0);  // voltage_base is -65
    }
}

TEST(Features, WidthAtAnotherThreshold) {
    const auto v = ap_train(spike_samples(), 8000);
    snnfit::metrics::FeatureSettings s;
    s.threshold = 0.0;  // first >= 0: 3 samples before the peak (5 mV); first <= 0: 3 after (-1 mV)
    FeatureExtractor x(sweep(v, 0.1, 200.0), s);
    const auto width = x(Feature::AP_width);
    ASSERT_EQ(width.size(), 6u);
    EXPECT_NEAR(width[0], 0.6, 1e-9);
}

TEST(Features, EventSpikesOfAPointModel) {
    // A reset model's trace never shows the AP: the simulator's spike times are the peaks.
    std::vector<double> v(8000, -65.0);
    SweepTrace s = sweep(v, 0.1, 200.0);
    s.event_spikes = std::span<const double>(kSpikes);
    FeatureExtractor x(s);
    EXPECT_EQ(one(x, Feature::Spikecount), 6.0);
    EXPECT_NEAR(one(x, Feature::time_to_first_spike), 20.0, 1e-12);
    EXPECT_NEAR(one(x, Feature::ISI_CV), std::sqrt(500.0 / 3.0) / 45.0, 1e-12);
    EXPECT_TRUE(x(Feature::AP_height).empty());
    EXPECT_TRUE(x(Feature::AP_amplitude).empty());
    EXPECT_TRUE(x(Feature::AP_width).empty());
}

TEST(Features, TooFewSpikesAreUndefined) {
    const auto v = ap_train({1200, 1400, 1700}, 8000);
    FeatureExtractor x(sweep(v, 0.1, 200.0));
    EXPECT_EQ(one(x, Feature::Spikecount), 3.0);
    EXPECT_TRUE(x(Feature::ISI_CV).empty());             // one ISI after the first is dropped
    EXPECT_TRUE(x(Feature::adaptation_index2).empty());  // needs 4 spikes
    EXPECT_NEAR(one(x, Feature::mean_frequency), 3000.0 / 70.0, 1e-9);
    // Spikes only after the stimulus: eFEL's mean frequency is 0, the latency still defined.
    const auto late = ap_train({6500, 7000}, 8000);
    FeatureExtractor y(sweep(late, 0.1, 200.0));
    EXPECT_EQ(one(y, Feature::mean_frequency), 0.0);
    EXPECT_NEAR(one(y, Feature::time_to_first_spike), 550.0, 1e-9);
}

}  // namespace
