// A fit to a recording: data/examples/fit_nwb_adex.toml, with a modest budget on one
// core, fitted to the NWB file of a hidden AdEx cell (noise and jitter added, made by
// tests/fixtures/generators/gen_synthetic_adex_nwb.py). The fitted cell must reproduce
// the recorded spike times (SPIKE-distance < 0.1, averaged over sweeps) and the hidden
// cell's rheobase within 10%. The hidden rheobase is checked first against the value
// the generator's own (numpy) integration found, an independent implementation.
#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "fit/problem.hpp"
#include "fit/run.hpp"
#include "fit/spike_fit.hpp"
#include "io/hdf5.hpp"
#include "io/network_config.hpp"
#include "metrics/distance.hpp"
#include "opt/evaluator.hpp"
#include "sim/simulator.hpp"

using namespace snnfit;

namespace {

const std::string kConfig = std::string(SNNFIT_DATA) + "/examples/fit_nwb_adex.toml";
const std::string kRecording = std::string(SNNFIT_DATA) + "/recordings/synthetic_adex.nwb";

// The smallest amplitude (pA) of the recording's step (100 ms delay, 700 ms, in a
// 1000 ms sweep at dt 0.1) that makes one neuron of `cell` spike, by bisection to 0.01 pA.
double rheobase(model::NetworkSpec net) {
    net.populations.resize(1);
    net.populations[0].size = 1;
    net.currents.clear();
    model::CurrentInputSpec step;
    step.kind = model::CurrentInputSpec::Kind::step;
    step.target = net.populations[0].name;
    step.delay = 100.0;
    step.duration = 700.0;
    net.currents.push_back(step);
    net.simulation.duration = 1000.0;
    net.simulation.dt = 0.1;
    double lo = 0.0, hi = 2000.0;
    while (hi - lo > 0.01) {
        const double mid = 0.5 * (lo + hi);
        net.currents[0].amplitude = mid;
        const auto r = sim::simulate(net, 1);
        (r.find(net.populations[0].name)->spike_count() > 0 ? hi : lo) = mid;
    }
    return hi;
}

// The recorded cell: the config's network with the hidden values the generator stored
// next to the sweeps.
model::NetworkSpec hidden_cell(const fit::FitSpec& spec, const io::h5::Group& hidden) {
    model::NetworkSpec truth = spec.network;
    for (const char* p : {"C", "gL", "EL", "VT", "DeltaT", "a", "tau_w", "b", "Vr", "Vpeak"})
        io::spec_field(truth, std::string("populations.cell.params.") + p) = hidden.attr_double(p);
    return truth;
}

// A fit on one core, its log discarded.
fit::RunSummary fit_serially(fit::FitRun& run) {
    opt::SerialEvaluator ev(run.objective());
    std::FILE* null = std::fopen("/dev/null", "w");
    const auto summary = run.run(ev, null);
    std::fclose(null);
    return summary;
}

// Options of a run writing into a temporary folder (the caller removes it).
fit::RunOptions temporary_run(const std::string& name, std::int64_t generations) {
    fit::RunOptions o;
    o.out_dir = (std::filesystem::temp_directory_path() / (name + std::to_string(::getpid()))).string();
    o.progress = false;
    o.generations = generations;
    return o;
}

}  // namespace

TEST(FitRecording, SyntheticAdexRecoversSpikeTimesAndRheobase) {
    auto doc = io::ConfigDocument::from_file(kConfig);
    const auto spec = fit::read_spike_fit(doc);

    // The hidden cell, from the values the generator stored next to the sweeps.
    auto file = io::h5::File::open_read(kRecording);
    const auto hidden = file.root().open_group("general/snnfit_hidden_cell");
    const double rh_truth = rheobase(hidden_cell(spec, hidden));
    // numpy bisected to 0.05 pA with its own time-grid comparisons at the step edges;
    // the two integrations agree to 0.3 pA (0.15%), far inside the 10% asked of the fit.
    EXPECT_NEAR(rh_truth, hidden.attr_double("rheobase_pA_dt0.1"), 0.5);

    const auto o = temporary_run("snnfit_fit_nwb_", 60);
    fit::FitRun run(doc, o);
    const auto summary = fit_serially(run);
    std::filesystem::remove_all(o.out_dir);

    // SPIKE-distance of the fitted cell's spikes to the recorded ones, sweep by sweep.
    const auto& problem = dynamic_cast<const fit::SpikeFit&>(run.problem());
    const auto r = problem.simulate(summary.best_values, 1);
    const auto& model = *r.find("cell");
    const auto& target = problem.targets().at("cell");
    ASSERT_EQ(model.size(), 6u);
    double d = 0.0;
    for (std::size_t i = 0; i < model.size(); ++i)
        d += metrics::distance({}, model.train(i), target.train(i), problem.spec().sweep_windows[i]);
    d /= static_cast<double>(model.size());
    EXPECT_LT(d, 0.1);

    model::NetworkSpec fitted = problem.spec().network;
    problem.space().apply(fitted, summary.best_values);
    const double rh_fit = rheobase(fitted);
    EXPECT_LT(std::fabs(rh_fit - rh_truth) / rh_truth, 0.10) << "fitted " << rh_fit << " pA, hidden " << rh_truth;
    std::printf("SPIKE-distance %.4f, rheobase fitted %.2f pA vs hidden %.2f pA (%.1f%%), %lld evaluations\n", d,
                rh_fit, rh_truth, 100.0 * (rh_fit - rh_truth) / rh_truth, static_cast<long long>(summary.evaluations));
}

// The same recording fitted with eFEL voltage features beside the spike timing
// (data/examples/fit_nwb_adex_features.toml): the subthreshold sweep's steady state, input
// resistance and decay constrain gL, which spike times alone leave free (the spike-only fit
// lands at gL 19.4 nS and VT -56.9 mV against the hidden 11 nS and -51 mV).
TEST(FitRecording, SyntheticAdexWithFeaturesIdentifiesGlAndVt) {
    auto doc = io::ConfigDocument::from_file(std::string(SNNFIT_DATA) + "/examples/fit_nwb_adex_features.toml");
    const auto spec = fit::read_spike_fit(doc);
    auto file = io::h5::File::open_read(kRecording);
    const auto hidden = file.root().open_group("general/snnfit_hidden_cell");
    const double rh_truth = rheobase(hidden_cell(spec, hidden));

    const auto o = temporary_run("snnfit_fit_nwb_features_", 60);
    fit::FitRun run(doc, o);
    const auto summary = fit_serially(run);
    std::filesystem::remove_all(o.out_dir);

    const auto& problem = dynamic_cast<const fit::SpikeFit&>(run.problem());
    model::NetworkSpec fitted = problem.spec().network;
    problem.space().apply(fitted, summary.best_values);
    const double rh_fit = rheobase(fitted);
    const double gl = io::spec_field(fitted, "populations.cell.params.gL");
    const double vt = io::spec_field(fitted, "populations.cell.params.VT");
    std::printf(
        "features fit: rheobase %.2f pA vs hidden %.2f pA (%.1f%%), gL %.2f nS (hidden %.1f), VT %.2f mV "
        "(hidden %.1f), %lld evaluations\n",
        rh_fit, rh_truth, 100.0 * (rh_fit - rh_truth) / rh_truth, gl, hidden.attr_double("gL"), vt,
        hidden.attr_double("VT"), static_cast<long long>(summary.evaluations));
    EXPECT_LT(std::fabs(rh_fit - rh_truth) / rh_truth, 0.10);
    // Far better than the spike-only fit (gL +76 %, VT -5.9 mV); this run: +6 %, -1.5 mV.
    EXPECT_LT(std::fabs(gl - hidden.attr_double("gL")) / hidden.attr_double("gL"), 0.25);
    EXPECT_LT(std::fabs(vt - hidden.attr_double("VT")), 3.0);
}
