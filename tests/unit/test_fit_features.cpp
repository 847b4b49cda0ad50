// The `features` loss: BluePyOpt's score by hand, a LIF cell under a subthreshold step
// (exact propagator, so its input resistance tau_m / C_m and time constant tau_m are
// closed forms), targets computed from the recorded voltages of the synthetic NWB file,
// BluePyOpt's features.json in both layouts, and the config errors.
#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "fit/feature_loss.hpp"
#include "fit/problem.hpp"
#include "fit/spike_fit.hpp"
#include "io/config.hpp"
#include "io/hdf5.hpp"

using namespace snnfit;

namespace {

// A LIF cell (C_m 250 pF, tau_m 10 ms: R = 40 MOhm) under 200 pA for 400 ms of a 700 ms
// sweep: V settles 8 mV above E_L = -70, below V_th = -55. C_m is fitted.
std::string lif_config(const std::string& loss) {
    return R"(
[simulation]
dt = 0.1
[[populations]]
name = "cell"
model = "lif"
params = { C_m = 250.0, tau_m = 10.0, E_L = -70.0, V_th = -55.0, V_reset = -70.0 }
[fit.protocol]
[[fit.protocol.sweep]]
name = "step200"
amplitude = 200.0
delay = 100.0
duration = 400.0
length = 700.0
spikes = []
[[fit.parameters]]
path = "populations.cell.params.C_m"
lo = 50.0
hi = 1000.0
)" + loss;
}

fit::FitSpec parse(const std::string& text) {
    auto doc = io::ConfigDocument::from_string(text, "test.toml");
    (void)fit::parse_fit_config(doc);  // the whole config, strictly
    return fit::read_spike_fit(doc);
}

std::vector<double> weights_of(const std::string& text) {
    return fit::parse_fit_config(io::ConfigDocument::from_string(text, "test.toml")).optimizer.weights;
}

std::vector<double> objectives_at(const fit::Problem& p, double c_m) {
    const auto x = p.space().encode({c_m});
    const auto r = p.evaluate(x, 1);
    EXPECT_EQ(r.status, opt::EvalStatus::ok) << r.message;
    return r.objectives;
}

std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(FeatureLoss, BluePyOptScoreByHand) {
    fit::FeatureTarget t;
    t.mean = 2.0;
    t.sd = 0.5;
    EXPECT_DOUBLE_EQ(fit::feature_score(t, {1.0, 3.0}, 250.0), 2.0);  // (1 + 1) / 0.5 / 2
    EXPECT_DOUBLE_EQ(fit::feature_score(t, {2.25}, 250.0), 0.5);
    EXPECT_DOUBLE_EQ(fit::feature_score(t, {}, 250.0), 250.0);     // undefined
    EXPECT_DOUBLE_EQ(fit::feature_score(t, {1e6}, 250.0), 250.0);  // capped
    EXPECT_DOUBLE_EQ(fit::feature_score(t, {NAN}, 250.0), 250.0);
}

TEST(FeatureLoss, LifInputResistanceAndTimeConstant) {
    const auto spec = parse(lif_config(R"(
[[fit.loss]]
type = "features"
[[fit.loss.feature]]
name = "ohmic_input_resistance"
mean = 40.0
sd = 2.0
[[fit.loss.feature]]
name = "decay_time_constant_after_stim"
mean = 10.0
sd = 1.0
[[fit.loss.feature]]
name = "steady_state_voltage_stimend"
mean = -62.0
sd = 0.5
)"));
    ASSERT_EQ(spec.losses.size(), 1u);
    EXPECT_EQ(spec.losses[0].label(), "features(3)");
    fit::SpikeFit p(spec);
    // At the truth every feature is the closed form: the loss is 0 up to rounding.
    EXPECT_NEAR(objectives_at(p, 250.0)[0], 0.0, 1e-6);
    // C_m = 500 pF with tau_m fixed: R = tau_m / C_m = 20 MOhm (score 10), the decay still
    // 10 ms (score 0), V = -70 + 4 = -66 mV (score 8).
    EXPECT_NEAR(objectives_at(p, 500.0)[0], (10.0 + 0.0 + 8.0) / 3.0, 1e-6);
}

TEST(FeatureLoss, SeparateObjectivesForNsga2) {
    const auto text = lif_config(R"(
[[fit.loss]]
type = "features"
objectives = "separate"
weight = 2.0
[[fit.loss.feature]]
name = ["ohmic_input_resistance", "voltage_base"]
mean = 40.0
sd = 2.0
)");
    const auto spec = parse(text);
    ASSERT_EQ(spec.losses.size(), 2u);
    EXPECT_EQ(spec.losses[0].label(), "feature(ohmic_input_resistance@step200)");
    EXPECT_EQ(spec.losses[1].label(), "feature(voltage_base@step200)");
    EXPECT_EQ(weights_of(text), (std::vector<double>{2.0, 2.0}));
    fit::SpikeFit p(spec);
    const auto obj = objectives_at(p, 500.0);
    ASSERT_EQ(obj.size(), 2u);
    EXPECT_NEAR(obj[0], 10.0, 1e-6);
    EXPECT_NEAR(obj[1], std::fabs(-70.0 - 40.0) / 2.0, 1e-9);  // voltage_base is E_L
}

TEST(FeatureLoss, TargetsFromTheRecordedSweeps) {
    // The synthetic recording: EL = -68 mV (the generator's hidden cell) and APs drawn up to
    // +30 mV at the precomputed spike times, so Spikecount on the voltage must equal them.
    const std::string data = SNNFIT_DATA;
    const std::string text = R"(
[simulation]
dt = 0.1
[[populations]]
name = "cell"
model = "adex"
[fit.protocol]
file = ")" + data + R"(/recordings/synthetic_adex.nwb"
spikes = "precomputed"
[[fit.parameters]]
path = "populations.cell.params.gL"
lo = 2.0
hi = 40.0
[[fit.loss]]
type = "features"
min_sd = 0.5
[[fit.loss.feature]]
name = ["voltage_base", "Spikecount"]
)";
    const auto spec = parse(text);
    const auto& f = *spec.losses.at(0).features;
    ASSERT_EQ(f.targets.size(), 12u);  // 2 features x 6 sweeps, one target per sweep
    for (std::size_t k = 0; k < f.targets.size(); ++k) {
        const auto& t = f.targets[k];
        const auto& sweep = spec.protocol->sweeps[t.sweeps.at(0)];
        if (t.feature == metrics::Feature::voltage_base) {
            EXPECT_NEAR(t.mean, -68.0, 1.5) << t.label();
            EXPECT_DOUBLE_EQ(t.sd, std::max(0.05 * std::fabs(t.mean), 0.5));  // one repeat: the floors
        } else {
            EXPECT_EQ(t.mean, static_cast<double>(sweep.spikes.size())) << t.label();
        }
    }
    // Repeats: two sweeps named together are one target, mean and sd (ddof 0) over them.
    const auto spec2 = parse(text + "sweeps = [\"index_09\", \"index_11\"]\nrepeats = true\n");
    const auto& g = *spec2.losses.at(0).features;
    ASSERT_EQ(g.targets.size(), 2u);
    const auto n9 = static_cast<double>(spec2.protocol->sweeps[4].spikes.size());
    const auto n11 = static_cast<double>(spec2.protocol->sweeps[5].spikes.size());
    EXPECT_EQ(g.targets[1].label(), "Spikecount@index_09+index_11");
    EXPECT_DOUBLE_EQ(g.targets[1].mean, (n9 + n11) / 2);
    EXPECT_DOUBLE_EQ(g.targets[1].sd, std::max({std::fabs(n9 - n11) / 2, 0.05 * (n9 + n11) / 2, 0.5}));
    // Without repeats the listed sweeps are targets of their own; a table's floor wins.
    const auto spec3 = parse(text + "sweeps = [\"index_09\", \"index_11\"]\nmin_sd = 2.0\nmin_sd_fraction = 0.0\n");
    const auto& h = *spec3.losses.at(0).features;
    ASSERT_EQ(h.targets.size(), 4u);
    EXPECT_EQ(h.targets[3].label(), "Spikecount@index_11");
    EXPECT_DOUBLE_EQ(h.targets[3].mean, n11);
    EXPECT_DOUBLE_EQ(h.targets[3].sd, 2.0);
}

TEST(FeatureLoss, BluePyOptFeaturesJsonBothLayouts) {
    namespace fs = std::filesystem;
    const auto dir = fs::temp_directory_path() / ("snnfit_features_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    {
        std::ofstream(dir / "a.json") << R"({"step200": {"soma": {"voltage_base": [-70.0, 1.0],
                                             "ohmic_input_resistance": [40.0, 4.0]}}})";
        std::ofstream(dir / "b.json") << R"({"step200": {"soma.v": [{"feature": "voltage_base", "val": [-70.0, 1.0]},
                                             {"feature": "ohmic_input_resistance", "val": [40.0, 4.0]}]}})";
        std::ofstream(dir / "bad_loc.json") << R"({"step200": {"dend1": {"voltage_base": [-70.0, 1.0]}}})";
        std::ofstream(dir / "bad_sd.json") << R"({"step200": {"soma": {"voltage_base": [-70.0, 0.0]}}})";
        std::ofstream(dir / "bad_name.json") << R"({"step200": {"soma": {"AP_heights": [-70.0, 1.0]}}})";
        std::ofstream(dir / "bad_sweep.json") << R"({"Step1": {"soma": {"voltage_base": [-70.0, 1.0]}}})";
    }
    for (const char* name : {"a.json", "b.json"}) {
        const auto spec =
            parse(lif_config("[[fit.loss]]\ntype = \"features\"\nfile = \"" + (dir / name).string() + "\"\n"));
        const auto& t = spec.losses.at(0).features->targets;
        ASSERT_EQ(t.size(), 2u) << name;
        EXPECT_EQ(t[0].label(), "voltage_base@step200");
        EXPECT_EQ(t[1].mean, 40.0);
        EXPECT_EQ(t[1].sd, 4.0);
        fit::SpikeFit p(spec);
        // C_m = 500: voltage_base -70 (score 0), R = 20 (score 5): mean 2.5.
        EXPECT_NEAR(objectives_at(p, 500.0)[0], 2.5, 1e-6) << name;
    }
    auto err = [&](const char* name) {
        return error_of(lif_config("[[fit.loss]]\ntype = \"features\"\nfile = \"" + (dir / name).string() + "\"\n"));
    };
    EXPECT_NE(err("bad_loc.json").find("only the location \"soma\""), std::string::npos) << err("bad_loc.json");
    EXPECT_NE(err("bad_sd.json").find("sd > 0"), std::string::npos) << err("bad_sd.json");
    EXPECT_NE(err("bad_name.json").find("\"AP_heights\" is not a feature"), std::string::npos);
    EXPECT_NE(err("bad_sweep.json").find("no sweep named \"Step1\""), std::string::npos);
    fs::remove_all(dir);
}

TEST(FeatureLoss, ConfigErrors) {
    auto has = [](const std::string& msg, const std::string& part) { return msg.find(part) != std::string::npos; };
    const auto e1 = error_of(lif_config("[[fit.loss]]\ntype = \"features\"\n"));
    EXPECT_TRUE(has(e1, "needs [[fit.loss.feature]] tables or a file")) << e1;
    const auto e2 = error_of(lif_config(
        "[[fit.loss]]\ntype = \"features\"\n[[fit.loss.feature]]\nname = \"AP_amplitude\"\nmean = 80.0\nsd = 5.0\n"));
    EXPECT_TRUE(has(e2, "AP_amplitude needs an action potential")) << e2;
    const auto e3 = error_of(
        lif_config("[[fit.loss]]\ntype = \"features\"\n[[fit.loss.feature]]\nname = \"voltage_base\"\nmean = -70.0\n"));
    EXPECT_TRUE(has(e3, "give both mean and sd")) << e3;
    const auto e4 =
        error_of(lif_config("[[fit.loss]]\ntype = \"features\"\n[[fit.loss.feature]]\nname = \"voltage_base\"\n"));
    EXPECT_TRUE(has(e4, "has no recorded voltage")) << e4;
    const auto e5 = error_of(lif_config(
        "[[fit.loss]]\ntype = \"features\"\n[[fit.loss.feature]]\nname = \"voltage_base\"\nsweeps = [\"x\"]\n"
        "mean = 1.0\nsd = 1.0\n"));
    EXPECT_TRUE(has(e5, "no sweep named \"x\"")) << e5;
    // Without a protocol there is no stimulus to measure against.
    const auto e6 = error_of(R"(
[simulation]
duration = 100.0
[[populations]]
name = "cell"
model = "lif"
[[fit.parameters]]
path = "populations.cell.params.C_m"
lo = 50.0
hi = 1000.0
[[fit.loss]]
type = "features"
)");
    EXPECT_TRUE(has(e6, "needs the sweeps of a [fit.protocol]")) << e6;
    EXPECT_TRUE(has(e6, "test.toml")) << e6;
}
