// The fit layer: parameter space maps, loss terms (hand calculations), the evaluation
// contract (exact zero at the truth under common random numbers; invalid statuses),
// strict [fit] config errors, and determinism of whole runs across thread counts.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "fit/loss.hpp"
#include "fit/parameter_space.hpp"
#include "fit/problem.hpp"
#include "fit/run.hpp"
#include "fit/spike_fit.hpp"
#include "io/h5_layout.hpp"
#include "io/hdf5.hpp"
#include "io/network_config.hpp"
#include "opt/evaluator.hpp"

using namespace snnfit;

namespace {

const char* kCell = R"([simulation]
dt = 0.1
duration = 400.0
seed = 3

[[populations]]
name = "cell"
size = 2
model = "izhikevich2003"
preset = "RS"

[[inputs]]
type = "step"
target = "cell"
neurons = [0]
amplitude = 6.0
delay = 20.0
duration = 360.0

[[inputs]]
type = "step"
target = "cell"
neurons = [1]
amplitude = 12.0
delay = 20.0
duration = 360.0

[fit]
seed = 5

[[fit.parameters]]
path = "populations.cell.params.a"
name = "a"
lo = 0.005
hi = 0.2
scale = "log"

[[fit.parameters]]
path = "populations.cell.params.d"
name = "d"
lo = 0.5
hi = 10.0

[fit.target]
type = "simulated"

[[fit.loss]]
type = "spike_distance"
metric = "spike"

[[fit.loss]]
type = "spike_count"
weight = 0.5

[optimizer]
population = 16
[optimizer.termination]
generations = 6
)";

io::ConfigDocument doc(const std::string& text, std::vector<std::string> overrides = {}) {
    return io::ConfigDocument::from_string(text, "fit.toml", overrides);
}

template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    ADD_FAILURE() << "no snnfit::Error thrown";
    return "";
}

}  // namespace

TEST(ParameterSpace, LogScaleAndIntegerMaps) {
    fit::ParameterSpace s({{"p.a", "a", 0.01, 100.0, true, false, {}}, {"p.n", "n", 1.0, 9.0, false, true, {}}});
    EXPECT_EQ(s.search_lo(), (std::vector<double>{-2.0, 1.0}));
    EXPECT_EQ(s.search_hi(), (std::vector<double>{2.0, 9.0}));
    const auto v = s.decode({0.5, 3.6});
    EXPECT_NEAR(v[0], std::sqrt(10.0), 1e-14);
    EXPECT_EQ(v[1], 4.0);
    // Decoding never leaves the bounds, even a hair outside in search coordinates.
    EXPECT_EQ(s.decode({2.0 + 1e-12, 9.4})[0], 100.0);
    EXPECT_EQ(s.decode({2.0, 9.4})[1], 9.0);
    EXPECT_NEAR(s.encode({1000.0 / 10.0, 5.0})[0], 2.0, 1e-15);
    EXPECT_EQ(error_of([] {
                  fit::ParameterSpace({{"p.a", "a", 0.0, 1.0, true, false, {}}});
              }),
              "parameter p.a: a log scale needs lo > 0, got 0");
}

// `also`: one fitted number written into several fields (g into every inhibitory
// projection's weight_scale), and each of them checked as a path.
TEST(ParameterSpace, AlsoWritesTheSameValueIntoEveryPath) {
    auto spec = io::parse_network(
        doc("[[populations]]\nname = \"A\"\nmodel = \"lif\"\n[[populations]]\nname = \"B\"\nmodel = \"lif\"\n"
            "[[projections]]\nname = \"AB\"\nsource = \"A\"\ntarget = \"B\"\nrule = \"all_to_all\"\nweight = 1\n"
            "[[projections]]\nname = \"BA\"\nsource = \"B\"\ntarget = \"A\"\nrule = \"all_to_all\"\nweight = 1\n")
            .root());
    fit::Parameter g{"projections.AB.weight_scale", "g", 1.0, 5.0, false, false, {}, {"projections.BA.weight_scale"}};
    fit::ParameterSpace s({g});
    s.apply(spec, {3.5});
    EXPECT_EQ(spec.projections[0].weight_scale, 3.5);
    EXPECT_EQ(spec.projections[1].weight_scale, 3.5);
    g.also.push_back("projections.CA.weight_scale");
    EXPECT_THROW(fit::ParameterSpace({g}).check_paths(spec), Error);
}

TEST(Loss, RateAndSpikeCountByHand) {
    const SpikeRaster model = SpikeRaster::from_trains({{100, 200, 300}, {150, 250, 350, 450, 550}});
    const SpikeRaster target = SpikeRaster::from_trains({{100, 200, 300, 400}, {150, 250, 350, 450}});
    const metrics::Window w{0.0, 1000.0};
    fit::LossTerm rate;
    rate.kind = fit::LossTerm::Kind::rate;
    // Model: 8 spikes / 2 neurons / 1 s = 4 Hz; target 4 Hz -> 0; against 16 Hz -> |4-16|/16.
    EXPECT_DOUBLE_EQ(fit::loss_value(rate, model, target, w), 0.0);
    rate.target_rate = 16.0;
    EXPECT_DOUBLE_EQ(fit::loss_value(rate, model, target, w), 0.75);
    fit::LossTerm count;
    count.kind = fit::LossTerm::Kind::spike_count;
    // |3-4| + |5-4| over 8 target spikes.
    EXPECT_DOUBLE_EQ(fit::loss_value(count, model, target, w), 0.25);
    // Only spikes inside the loss window count: [0, 320] keeps 3+2 model, 3+2 target spikes... per neuron 3 vs 3, 2
    // vs 2.
    EXPECT_DOUBLE_EQ(fit::loss_value(count, model, target, {0.0, 320.0}), 0.0);
    fit::LossTerm pop;
    pop.kind = fit::LossTerm::Kind::population_distance;
    pop.metric.metric = metrics::Metric::spike;
    const SpikeRaster same = SpikeRaster::from_trains({{100, 300}, {100, 300}});
    EXPECT_EQ(fit::loss_value(pop, same, same, w), 0.0);
    EXPECT_GT(fit::loss_value(pop, model, target, w), 0.0);
}

TEST(Problem, TruthHasZeroLossUnderCommonRandomNumbers) {
    fit::SpikeFit p(fit::read_spike_fit(doc(kCell).root()));
    ASSERT_EQ(p.objectives(), 2u);
    EXPECT_EQ(p.config_values(), (std::vector<double>{0.02, 8.0}));
    const auto x = p.space().encode(p.config_values());
    const auto r = p.evaluate(x, 12345);
    ASSERT_EQ(r.status, opt::EvalStatus::ok) << r.message;
    EXPECT_EQ(r.objectives, (std::vector<double>{0.0, 0.0}));
    const auto off = p.evaluate(p.space().encode({0.1, 2.0}), 12345);
    ASSERT_EQ(off.status, opt::EvalStatus::ok);
    EXPECT_GT(off.objectives[0], 0.01);
    EXPECT_LE(off.objectives[0], 1.0);
}

TEST(Problem, InvalidParametersAndRunawayFiringAreInvalidNotErrors) {
    // c above vpeak fails the model's validation; a huge drive trips the runaway guard.
    auto d = doc(kCell, {"fit.parameters[1].path=populations.cell.params.c", "fit.parameters[1].lo=-70",
                         "fit.parameters[1].hi=40"});
    fit::SpikeFit p(fit::read_spike_fit(d.root()));
    const auto bad = p.evaluate(p.space().encode({0.02, 35.0}), 1);
    EXPECT_EQ(bad.status, opt::EvalStatus::invalid);
    EXPECT_NE(bad.message.find("c must be below vpeak"), std::string::npos) << bad.message;
    // The RS truth fires at about 13 Hz on average; a = 0.2, d = 0.5 fires far above 60 Hz.
    fit::SpikeFit q(fit::read_spike_fit(doc(kCell, {"simulation.max_rate=60"}).root()));
    EXPECT_EQ(q.evaluate(q.space().encode({0.02, 8.0}), 1).status, opt::EvalStatus::ok);
    const auto runaway = q.evaluate(q.space().encode({0.2, 0.5}), 1);
    EXPECT_EQ(runaway.status, opt::EvalStatus::invalid);
    EXPECT_NE(runaway.message.find("runaway firing"), std::string::npos) << runaway.message;
}

TEST(FitConfig, ErrorsNameTheKey) {
    EXPECT_EQ(error_of([] {
                  fit::parse_fit_config(doc(kCell, {"fit.parameters[0].path=populations.cell.params.zz"}));
              }).rfind("--set fit.parameters[0].path=populations.cell.params.zz: fit.parameters[0].path: ", 0),
              0u);
    EXPECT_EQ(error_of([] { fit::parse_fit_config(doc(kCell, {"fit.parameters[1].lo=20"})); }),
              "fit.toml:42: fit.parameters[1].hi: expected hi > lo = 20, got 10");
    EXPECT_EQ(error_of([] {
                  fit::parse_fit_config(doc(kCell, {"fit.loss[0].metric=euclid"}));
              }).rfind("--set fit.loss[0].metric=euclid: fit.loss[0].metric: ", 0),
              0u);
    EXPECT_EQ(error_of([] { fit::parse_fit_config(doc(kCell, {"fit.target.truth.zz=1"})); }),
              "--set fit.target.truth.zz=1: fit.target.truth.zz: not the name or path of a [[fit.parameters]] entry");
    EXPECT_EQ(error_of([] { fit::parse_fit_config(doc(kCell, {"fit.extra=1"})); }).find("fit.extra: unknown key"),
              std::string("--set fit.extra=1: ").size());
}

TEST(FitRun, IdenticalResultsWithOneTwoAndFourThreads) {
    namespace fs = std::filesystem;
    const auto dir = fs::temp_directory_path() / ("snnfit_fitrun_" + std::to_string(::getpid()));
    std::vector<opt::OptimizerState> states;
    for (int threads : {1, 2, 4}) {
        fit::RunOptions o;
        o.out_dir = (dir / std::to_string(threads)).string();
        o.progress = false;
        fit::FitRun run(doc(kCell), o);
        opt::ThreadEvaluator ev(run.objective(), threads);
        std::FILE* null = std::fopen("/dev/null", "w");
        run.run(ev, null);
        std::fclose(null);
        auto s = run.optimizer().state();
        opt::clear_timing(s);
        states.push_back(s);
    }
    EXPECT_TRUE(states[0] == states[1]);
    EXPECT_TRUE(states[0] == states[2]);
    fs::remove_all(dir);
}

namespace {
// The ground-truth raster of kCell, written in each target format.
struct TargetFiles {
    std::filesystem::path dir;
    SpikeRaster truth;
};

TargetFiles write_targets() {
    namespace fs = std::filesystem;
    TargetFiles t;
    t.dir = fs::temp_directory_path() / ("snnfit_targets_" + std::to_string(::getpid()));
    fs::create_directories(t.dir);
    fit::SpikeFit p(fit::read_spike_fit(doc(kCell).root()));
    t.truth = p.targets().at("cell");
    {
        auto f = io::h5::File::create_atomic((t.dir / "t.h5").string());
        auto root = f.root();
        auto g = root.create_group("spikes");
        auto c = g.create_group("cell");
        io::write_raster(c, t.truth);
        f.commit();
    }
    std::FILE* txt = std::fopen((t.dir / "t.txt").c_str(), "w");
    std::FILE* csv = std::fopen((t.dir / "t.csv").c_str(), "w");
    std::fprintf(txt, "# PySpike format, one train per line\n");
    std::fprintf(csv, "neuron,time\n");
    for (std::size_t i = 0; i < t.truth.size(); ++i) {
        for (double s : t.truth.train(i)) {
            std::fprintf(txt, "%.17g ", s / 1000.0);  // seconds, read back with units = "s"
            std::fprintf(csv, "%zu,%.17g\n", i, s);
        }
        std::fprintf(txt, "\n");
    }
    std::fclose(txt);
    std::fclose(csv);
    return t;
}
}  // namespace

TEST(Problem, FileTargetsLoadTheSameTrains) {
    const auto t = write_targets();
    ASSERT_EQ(t.truth.size(), 2u);
    ASSERT_GT(t.truth.spike_count(), 10u);
    const std::vector<std::vector<std::string>> variants = {
        {"fit.target.type=hdf5", "fit.target.file=" + (t.dir / "t.h5").string()},
        {"fit.target.type=pyspike", "fit.target.file=" + (t.dir / "t.txt").string(), "fit.target.units=s"},
        {"fit.target.type=csv", "fit.target.file=" + (t.dir / "t.csv").string()},
    };
    for (const auto& v : variants) {
        fit::SpikeFit p(fit::read_spike_fit(doc(kCell, v).root()));
        const auto& r = p.targets().at("cell");
        ASSERT_EQ(r.offsets, t.truth.offsets) << v[0];
        for (std::size_t k = 0; k < r.times.size(); ++k) EXPECT_NEAR(r.times[k], t.truth.times[k], 1e-9) << v[0];
        const auto res = p.evaluate(p.space().encode(p.config_values()), 1);
        ASSERT_EQ(res.status, opt::EvalStatus::ok) << v[0];
        EXPECT_LT(res.objectives[0], 1e-12) << v[0];
        EXPECT_EQ(res.objectives[1], 0.0) << v[0];
    }
    std::filesystem::remove_all(t.dir);
}

TEST(Problem, TargetFileErrorsNameTheFile) {
    const auto t = write_targets();
    const auto csv = (t.dir / "t.csv").string();
    // Two neurons in the file, three in the population.
    EXPECT_EQ(error_of([&] {
                  fit::SpikeFit(fit::read_spike_fit(
                      doc(kCell, {"fit.target.type=hdf5", "fit.target.file=" + (t.dir / "t.h5").string(),
                                  "populations.cell.size=3"})));
              }),
              (t.dir / "t.h5").string() + ": the target has 2 spike trains but population \"cell\" has 3 neurons");
    EXPECT_EQ(error_of([&] {
                  fit::SpikeFit(
                      fit::read_spike_fit(doc(kCell, {"fit.target.type=pyspike", "fit.target.file=/nonexistent.txt"})));
              }),
              "/nonexistent.txt: cannot open the file (missing or unreadable)");
    std::filesystem::remove_all(t.dir);
}
