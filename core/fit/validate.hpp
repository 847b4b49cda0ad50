// Post-hoc validation of a fit: the fitted network's spike trains (one raster per seed)
// against the target's, measure by measure, as NetworkUnit compares two networks.
// Pure functions over rasters (ms); `snnfit validate` re-simulates and prints the report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/spike_raster.hpp"
#include "io/config.hpp"
#include "metrics/spike_train.hpp"
#include "sim/simulator.hpp"

namespace snnfit::fit {

struct ValidationOptions {
    // Family-wise significance level; split Bonferroni-wise over the hypothesis tests
    // that decide the verdict (each test is run at alpha / m).
    double alpha = 0.05;
    // Equivalence margin of the mean firing rate, Hz: TOST when > 0.
    double margin = 0.0;
    double corr_bin = 5.0;            // ms, bins of the pairwise correlation coefficients
    double spectrum_bin = 1.0;        // ms, bins of the population rate
    double spectrum_segment = 256.0;  // ms, Welch segment length (Hann window, 50% overlap)
    // The spectra pass when their total powers are within this factor of each other.
    double power_factor = 2.0;
    // SPIKE-distance and 1 - SPIKE-synchronization to the target also pass when within
    // this of their values between seeds of the fit (a deterministic model's are 0).
    double distance_tolerance = 0.05;
    // Decide the distributions by the realisation-level rows (ks_vs_seeds: the KS distance
    // of each seed to the target against those between seeds; needs >= 3 seeds) instead of
    // the neuron-level tests, which then are shown only.
    bool calibrate = false;
};

// A distribution compared between fitted (pooled over seeds) and target.
struct Distribution {
    std::string name;  // "rate", "cv", "lv", "corr"
    std::string unit;  // "Hz" or ""
    std::vector<double> target;
    std::vector<double> fitted;
};

struct Spectrum {
    std::vector<double> frequency;  // Hz
    std::vector<double> target;     // power spectral density, Hz^2/Hz
    std::vector<double> fitted;     // mean over seeds
    double target_power = 0.0;      // integral of the PSD (variance of the population rate), Hz^2
    double fitted_power = 0.0;
    double target_peak = 0.0;  // Hz, frequency of the largest PSD value above 0 Hz
    double fitted_peak = 0.0;
};

// One line of the table. A row with decides = false is shown but does not enter the verdict.
struct Measure {
    std::string population;
    std::string quantity;  // "rate", "cv", "lv", "corr", "spike_distance", "spike_sync", "spectrum"
    std::string test;      // "student_t", "welch_t", "paired_t", "ks", "cohens_d", "tost", ...
    double statistic = 0.0;
    double p_value = -1.0;                          // < 0: not a test with a p-value
    double threshold = 0.0;                         // the level the statistic or p-value is held against
    double ci_low = 0.0, ci_high = 0.0;             // cohens_d
    double target_value = 0.0, fitted_value = 0.0;  // means or reference levels, for the table
    bool applicable = true;                         // false: too few values (n/a), never decides
    bool pass = true;
    bool decides = true;
    std::string criterion;  // how pass was decided, in words
};

struct PopulationValidation {
    std::string population;
    std::vector<Distribution> distributions;
    Spectrum spectrum;
    double spike_distance = 0.0;       // mean over seeds of the matched-pair SPIKE-distance to the target
    double spike_sync = 0.0;           // mean over seeds of the matched-pair SPIKE-synchronization
    double spike_distance_ref = -1.0;  // the same between seeds of the fitted network (< 0: one seed)
    double spike_sync_ref = -1.0;
};

struct ValidationReport {
    ValidationOptions options;
    std::size_t seeds = 0;
    std::vector<PopulationValidation> populations;
    std::vector<Measure> measures;
    double test_alpha = 0.0;         // alpha / m
    bool same = true;                // every deciding measure passes
    std::optional<bool> equivalent;  // TOST verdict, when a margin was given
    std::string verdict() const { return same ? "same" : "different"; }
};

// Compares the fitted rasters (one per seed, same neuron count as the target) with the
// target raster of each population; populations, target and fitted[seed] in one order.
ValidationReport validate(const std::vector<std::string>& populations, const std::vector<SpikeRaster>& targets,
                          const std::vector<std::vector<SpikeRaster>>& fitted, const metrics::Window& w,
                          const ValidationOptions& options);

// Validation of a fit's result file: rebuilds the problem from its /config, re-simulates
// /best/parameters under `seeds` seeds (seed k = stream_id({[simulation] seed, user tag, k}),
// independent of the fit's common realisation) on up to `threads` threads, and compares
// each population of /target over the fit's window. InputError naming the file on bad input.
ValidationReport validate_result(const std::string& path, std::size_t seeds, const ValidationOptions& options,
                                 int threads = 0);
std::uint64_t validation_seed(std::uint64_t simulation_seed, std::size_t k);

// The populations of a finished fit, generation by generation, recovered by replaying
// the optimization from the result's stored config and run seed (runs are deterministic):
// one row per individual. `history_matches` says whether the replayed best fitness of
// every generation equals the stored /history/best bit for bit.
struct PopulationHistory {
    std::vector<std::string> names;  // parameter names
    struct Row {
        std::int64_t generation, island;
        double fitness;
        std::vector<double> values;  // parameter values (decoded)
    };
    std::vector<Row> rows;
    bool history_matches = false;
};
PopulationHistory replay_populations(const std::string& path, int threads = 0);

// The best parameters of a fit simulated again, on the fit's realisation ([simulation]
// seed, as /best/spikes), recording the voltage of the first `max_traces` neurons (sweeps)
// of every compared population beside what the config records: the report's voltage figure.
// nullopt for a built-in problem (no network).
struct BestSimulation {
    io::ConfigDocument config;
    sim::SimResult result;
    std::uint64_t seed;
};
std::optional<BestSimulation> simulate_best(const std::string& path, std::size_t max_traces);

// The report as text (the table) and as JSON (with the distributions and spectra).
std::string validation_table(const ValidationReport& r);
std::string validation_json(const ValidationReport& r);

}  // namespace snnfit::fit
