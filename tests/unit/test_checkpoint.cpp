// Checkpoints: an optimizer state survives the HDF5 round trip exactly; a run stopped
// and resumed any number of times ends in the state of a run never stopped (the
// uninterrupted run is the reference); damaged, foreign and newer files are named and
// skipped or refused; the config comparison lists exactly the keys that differ.
#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "fit/checkpoint.hpp"
#include "fit/run.hpp"
#include "io/h5_layout.hpp"
#include "io/hdf5.hpp"
#include "opt/evaluator.hpp"

using namespace snnfit;
namespace fs = std::filesystem;

namespace {

const char* kCell = R"([simulation]
dt = 0.1
duration = 300.0
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
duration = 260.0

[[inputs]]
type = "step"
target = "cell"
neurons = [1]
amplitude = 12.0
delay = 20.0
duration = 260.0

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

[optimizer]
islands = 3
population = 10
[optimizer.migration]
interval = 2
[optimizer.termination]
generations = 9

[checkpoint]
every = 2
keep = 2
)";

io::ConfigDocument doc(const std::string& text = kCell, std::vector<std::string> overrides = {}) {
    return io::ConfigDocument::from_string(text, "fit.toml", overrides);
}

struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name)
        : path(fs::temp_directory_path() / ("snnfit_ckpt_" + name + "_" + std::to_string(::getpid()))) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string str(const std::string& child = "") const { return (child.empty() ? path : path / child).string(); }
};

// Runs a fit in DIR; returns the final optimizer state without its wall-clock fields.
opt::OptimizerState run_fit(const std::string& dir, std::optional<std::int64_t> generations, const std::string& resume,
                            const io::ConfigDocument& d = doc(), int threads = 2) {
    fit::RunOptions o;
    o.out_dir = dir;
    o.progress = false;
    o.generations = generations;
    o.resume = resume;
    fit::FitRun run(d, o);
    opt::ThreadEvaluator ev(run.objective(), threads);
    std::FILE* null = std::fopen("/dev/null", "w");
    run.run(ev, null);
    std::fclose(null);
    auto s = run.optimizer().state();
    opt::clear_timing(s);
    return s;
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

TEST(Checkpoint, StateRoundTripsExactly) {
    TempDir dir("roundtrip");
    fit::RunOptions o;
    o.out_dir = dir.str("run");
    o.progress = false;
    o.generations = 4;
    fit::FitRun run(doc(), o);
    opt::ThreadEvaluator ev(run.objective(), 2);
    std::FILE* null = std::fopen("/dev/null", "w");
    run.run(ev, null);
    std::fclose(null);
    const auto state = run.optimizer().state();
    ASSERT_TRUE(state.best.valid);
    const auto path = dir.str("x.h5");
    const auto sim = run.problem().simulate(run.problem().space().decode(state.best.individual.x), 3);
    fit::write_checkpoint(path, run.problem(), run.config().optimizer.weights, doc(), state, sim);
    const auto c = fit::read_checkpoint(path);
    // Every field, the wall-clock ones included, comes back bit for bit.
    EXPECT_TRUE(c.state == state);
    EXPECT_EQ(c.config.text, std::string(kCell));
    EXPECT_EQ(c.run_seed, 5u);
    ASSERT_EQ(c.target_populations, std::vector<std::string>{"cell"});
    EXPECT_EQ(c.targets[0].offsets, run.problem().targets().at("cell").offsets);
    // The RNG words are stored as int64 bit patterns: a key with the top bit set survives.
    opt::OptimizerState s2 = state;
    s2.islands[0].rng.key[0] = ~std::uint64_t{0} - 5;
    s2.migration_rng.cached_normal = -0.123456789012345678;
    s2.migration_rng.has_normal = true;
    fit::write_checkpoint(path, run.problem(), run.config().optimizer.weights, doc(), s2, sim);
    EXPECT_TRUE(fit::read_checkpoint(path).state == s2);
}

TEST(Checkpoint, ResumedRunsEqualTheUninterruptedRun) {
    TempDir dir("resume");
    const auto reference = run_fit(dir.str("full"), std::nullopt, "");
    ASSERT_EQ(reference.generation, 10);
    // Stopped three times (after 2, 5 and 7 generations), resumed each time.
    const std::string d = dir.str("stopped");
    run_fit(d, 1, "auto");  // "auto" with no checkpoint starts fresh
    run_fit(d, 4, "auto");
    run_fit(d, 6, "auto", doc(), 1);  // a different thread count changes nothing
    const auto resumed = run_fit(d, std::nullopt, "auto");
    EXPECT_TRUE(resumed == reference);
    // keep = 2: only the last two checkpoints remain, the final one first.
    const auto files = fit::list_checkpoints(d);
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(fs::path(files[0]).filename(), "ckpt-000010.h5");
    // Resuming from an explicit file, with a raised limit, continues the same run.
    const auto longer_ref = run_fit(dir.str("longer"), 12, "");
    const auto longer = run_fit(d, 12, files[1]);
    EXPECT_TRUE(longer == longer_ref);
}

TEST(Checkpoint, ChangedConfigIsRefusedWithTheDifferences) {
    TempDir dir("changed");
    run_fit(dir.str(), 2, "");
    const auto e = error_of([&] {
        run_fit(dir.str(), std::nullopt, "auto",
                doc(kCell, {"simulation.dt=0.05", "optimizer.population=12", "optimizer.termination.generations=20",
                            "checkpoint.every=5"}));
    });
    EXPECT_NE(e.find("cannot resume"), std::string::npos) << e;
    EXPECT_NE(e.find("simulation.dt: 0.1 -> 0.05"), std::string::npos) << e;
    EXPECT_NE(e.find("optimizer.population: 10 -> 12"), std::string::npos) << e;
    EXPECT_EQ(e.find("termination.generations"), std::string::npos) << e;
    EXPECT_EQ(e.find("checkpoint.every"), std::string::npos) << e;
    // A different run seed is a difference too.
    fit::RunOptions o;
    o.out_dir = dir.str();
    o.resume = "auto";
    o.seed = 6;
    const auto e2 = error_of([&] { fit::FitRun run(doc(), o); });
    EXPECT_NE(e2.find("run seed: 5 -> 6"), std::string::npos) << e2;
}

TEST(Checkpoint, ConfigDifferencesCompareTrees) {
    const auto a = doc();
    EXPECT_TRUE(fit::config_differences(a, doc(std::string(kCell) + "\n# a comment\n")).empty());
    EXPECT_TRUE(fit::config_differences(a, doc(kCell, {"simulation.dt=0.1"})).empty());
    // 300 and 300.0 are the same number.
    EXPECT_TRUE(fit::config_differences(a, doc(kCell, {"simulation.duration=300"})).empty());
    const auto d = fit::config_differences(a, doc(kCell, {"inputs[1].amplitude=11", "fit.target.seed=4"}));
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0], "fit.target.seed: (absent) -> 4");
    EXPECT_EQ(d[1], "inputs[1].amplitude: 12 -> 11");
}

TEST(Checkpoint, DamagedCheckpointsAreSkippedForThePreviousOne) {
    TempDir dir("damaged");
    const std::string d = dir.str();
    run_fit(d, 3, "");  // checkpoints after 2 and 4 generations (keep = 2)
    auto files = fit::list_checkpoints(d);
    ASSERT_EQ(files.size(), 2u);
    // Truncate the newest.
    fs::resize_file(files[0], fs::file_size(files[0]) / 2);
    std::vector<std::string> warnings;
    const auto c = fit::newest_valid_checkpoint(d, [&](const std::string& w) { warnings.push_back(w); });
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->path, files[1]);
    EXPECT_EQ(c->state.generation, 2);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find(files[0]), std::string::npos) << warnings[0];
    const auto copy = dir.str("copy.h5");
    fs::copy_file(files[1], copy);
    // Resuming from the older one still ends where an uninterrupted run ends.
    const auto reference = run_fit(dir.str("ref"), std::nullopt, "");
    EXPECT_TRUE(run_fit(d, std::nullopt, "auto") == reference);
    // The damaged newer file never pushed the checkpoints of the resumed run out (keep = 2):
    // the final one and the one before it are there, next to the damaged one, now replaced.
    files = fit::list_checkpoints(d);
    ASSERT_GE(files.size(), 2u);
    EXPECT_EQ(fs::path(files[0]).filename(), "ckpt-000010.h5");
    EXPECT_EQ(fit::read_checkpoint(files[1]).state.generation, 8);
    // An explicit damaged file is an error naming it.
    fs::resize_file(copy, 100);
    const auto e = error_of([&] { fit::read_checkpoint(copy); });
    EXPECT_NE(e.find(copy), std::string::npos) << e;
}

TEST(Checkpoint, ForeignAndNewerFilesGetClearErrors) {
    TempDir dir("foreign");
    { std::ofstream(dir.str("text.h5")) << "not hdf5\n"; }
    EXPECT_NE(error_of([&] { fit::read_checkpoint(dir.str("text.h5")); }).find("not an HDF5 file"), std::string::npos);
    {
        auto f = io::h5::File::create_atomic(dir.str("other.h5"));
        auto root = f.root();
        root.set_attr("x", std::int64_t{1});
        f.commit();
    }
    EXPECT_NE(error_of([&] { fit::read_checkpoint(dir.str("other.h5")); }).find("not an snnfit file"),
              std::string::npos);
    {
        auto f = io::h5::File::create_atomic(dir.str("result.h5"));
        auto root = f.root();
        io::write_header(root, "result");
        f.commit();
    }
    EXPECT_NE(error_of([&] { fit::read_checkpoint(dir.str("result.h5")); }).find("not a checkpoint (kind \"result\")"),
              std::string::npos);
    {
        auto f = io::h5::File::create_atomic(dir.str("newer.h5"));
        auto root = f.root();
        io::write_header(root, "checkpoint");
        root.set_attr("format_version", io::kFormatVersion + 1);
        f.commit();
    }
    EXPECT_THROW(fit::read_checkpoint(dir.str("newer.h5")), fit::FormatVersionError);
    EXPECT_NE(error_of([&] { fit::read_checkpoint(dir.str("newer.h5")); }).find("newer than this snnfit reads"),
              std::string::npos);
}

TEST(Checkpoint, ConfigSectionIsStrict) {
    const auto s = fit::parse_fit_config(doc()).checkpoint;
    EXPECT_EQ(s.every, 2);
    EXPECT_EQ(s.keep, 2);
    EXPECT_EQ(s.interval, 60.0);
    EXPECT_EQ(fit::CheckpointSettings{}.every, 0);
    const auto e = error_of([&] { fit::parse_fit_config(doc(kCell, {"checkpoint.evry=3"})); });
    EXPECT_NE(e.find("checkpoint.evry: unknown key"), std::string::npos) << e;
    const auto e2 = error_of([&] { fit::parse_fit_config(doc(kCell, {"checkpoint.keep=0"})); });
    EXPECT_NE(e2.find("checkpoint.keep"), std::string::npos) << e2;
}

TEST(Checkpoint, StopRequestWritesTheLastGenerationAndStops) {
    TempDir dir("stop");
    const auto reference = run_fit(dir.str("ref"), std::nullopt, "");
    fit::RunOptions o;
    o.out_dir = dir.str("run");
    o.progress = false;
    int polls = 0;
    o.stop_requested = [&] { return ++polls == 3 ? 15 : 0; };  // "SIGTERM" after generation 2
    fit::RunSummary sum;
    {
        fit::FitRun run(doc(), o);
        opt::ThreadEvaluator ev(run.objective(), 2);
        std::FILE* null = std::fopen("/dev/null", "w");
        sum = run.run(ev, null);
        std::fclose(null);
    }
    EXPECT_EQ(sum.interrupted_by, 15);
    EXPECT_EQ(sum.generations, 3);
    EXPECT_EQ(fs::path(sum.checkpoint_path).filename(), "ckpt-000003.h5");
    EXPECT_FALSE(fs::exists(dir.str("run/result.h5")));
    EXPECT_TRUE(run_fit(dir.str("run"), std::nullopt, "auto") == reference);
}

TEST(Checkpoint, IntervalRuleAndKeep) {
    TempDir dir("interval");
    // every = 0 and a tiny interval: a checkpoint after every generation; keep = 100 keeps them all.
    run_fit(dir.str(), 4, "", doc(kCell, {"checkpoint.every=0", "checkpoint.interval=1e-9", "checkpoint.keep=100"}));
    EXPECT_EQ(fit::list_checkpoints(dir.str()).size(), 5u);
    // No rule at all: only the last generation.
    TempDir dir2("norule");
    run_fit(dir2.str(), 4, "", doc(kCell, {"checkpoint.every=0", "checkpoint.interval=0"}));
    const auto files = fit::list_checkpoints(dir2.str());
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(fs::path(files[0]).filename(), "ckpt-000005.h5");
}

TEST(StopSignals, RecordsTheFirstSignalAndRestoresHandlers) {
    struct sigaction before {};
    sigaction(SIGUSR1, nullptr, &before);
    {
        fit::StopSignals s;
        EXPECT_EQ(fit::StopSignals::caught(), 0);
        std::raise(SIGUSR1);
        std::raise(SIGTERM);  // a second signal changes nothing
        EXPECT_EQ(fit::StopSignals::caught(), SIGUSR1);
        EXPECT_EQ(fit::signal_name(fit::StopSignals::caught()), "SIGUSR1");
    }
    struct sigaction after {};
    sigaction(SIGUSR1, nullptr, &after);
    EXPECT_EQ(after.sa_handler, before.sa_handler);
}

TEST(StopSignals, AfterTheRunSignalsAreIgnoredToTheEnd) {
    struct sigaction before[3]{};
    const int sigs[3] = {SIGTERM, SIGINT, SIGUSR1};
    for (int i = 0; i < 3; ++i) sigaction(sigs[i], nullptr, &before[i]);
    {
        fit::StopSignals s;
        s.finished();
        for (int sig : sigs) std::raise(sig);  // would end this process if not ignored
        EXPECT_EQ(fit::StopSignals::caught(), 0);
    }
    for (int sig : sigs) {
        struct sigaction now {};
        sigaction(sig, nullptr, &now);
        EXPECT_EQ(now.sa_handler, SIG_IGN) << fit::signal_name(sig);
    }
    std::raise(SIGTERM);  // still ignored after the destructor
    for (int i = 0; i < 3; ++i) sigaction(sigs[i], &before[i], nullptr);
}

TEST(Checkpoint, DamagedNewerFileNeverPushesTheNewOnesOut) {
    TempDir dir("future");
    const std::string d = dir.str();
    const auto cfg = doc(kCell, {"checkpoint.keep=1"});
    run_fit(d, 3, "", cfg);
    { std::ofstream(fit::checkpoint_path(d, 99)) << "garbage"; }
    const auto reference = run_fit(dir.str("ref"), std::nullopt, "", cfg);
    EXPECT_TRUE(run_fit(d, std::nullopt, "auto", cfg) == reference);
    const auto files = fit::list_checkpoints(d);
    ASSERT_EQ(files.size(), 2u);  // the garbage one, left alone, and the final one
    EXPECT_EQ(fs::path(files[1]).filename(), "ckpt-000010.h5");
    EXPECT_EQ(fit::newest_valid_checkpoint(d, {})->state.generation, 10);
}
