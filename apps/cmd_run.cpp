// snnfit run CONFIG [--out DIR] [--resume auto|FILE] [--threads N] [--seed S] [--generations G]
//                   [--group-size R] [--async-groups] [--set KEY=VALUE]...
// SIGTERM, SIGINT and SIGUSR1 stop the run after the current generation with a checkpoint
// and exit status 75 (exit_interrupted): resumable with --resume auto.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "fit/run.hpp"
#include "io/config.hpp"
#include "opt/evaluator.hpp"
#ifdef SNNFIT_WITH_MPI
#include "distributed_run.hpp"
#endif

namespace snnfit::app {

namespace {

struct RunCommandOptions {
    std::string config;
    std::string out = "out";
    std::vector<std::string> overrides;
    int threads = 0;
    std::int64_t seed = -1;
    std::int64_t generations = -1;
    std::string resume;
    int group_size = 0;
    bool async_groups = false;
    bool quiet = false;
};

int run_fit(const RunCommandOptions& o) {
    fit::RunOptions ro;
    ro.out_dir = o.out;
    if (o.seed >= 0) ro.seed = static_cast<std::uint64_t>(o.seed);
    if (o.generations >= 0) ro.generations = o.generations;
    ro.progress = !o.quiet;
    ro.resume = o.resume;
    ro.asynchronous_groups = o.async_groups;
#ifdef SNNFIT_WITH_MPI
    // Under mpirun with several ranks: sub-masters run the islands, the others evaluate.
    if (mpi::launched_with_several_ranks())
        return mpi::run_distributed(o.config, o.overrides, ro, o.threads, o.group_size);
#endif
    fit::StopSignals signals;
    ro.stop_requested = fit::StopSignals::poll();
    const auto doc = io::ConfigDocument::from_file(o.config, o.overrides);
    fit::FitRun run(doc, ro);
    opt::ThreadEvaluator evaluator(run.objective(), o.threads);
    fit::RunSummary summary;
    try {
        summary = run.run(evaluator);
    } catch (const fit::RunError& e) {
        std::fprintf(stderr, "snnfit: error: %s\n", e.what());
        return exit_runtime;
    }
    signals.finished();
    return summary.interrupted_by != 0 ? exit_interrupted : exit_ok;
}

}  // namespace

Command add_run_command(CLI::App& app) {
    auto o = std::make_shared<RunCommandOptions>();
    auto* sub = app.add_subcommand("run", "fit the parameters of a config to its target spike trains");
    sub->add_option("config", o->config, "TOML config file")->required();
    sub->add_option("--out", o->out, "output directory (history.csv, result.h5)")->capture_default_str();
    sub->add_option("--resume", o->resume,
                    "continue from a checkpoint: auto (the newest valid one in DIR/checkpoints, or start "
                    "fresh) or a checkpoint FILE");
    sub->add_option("--threads", o->threads, "evaluation threads (default: one per core)")->check(non_negative());
    sub->add_option("--seed", o->seed, "run seed (replaces [fit] seed)")->check(non_negative());
    sub->add_option("--generations", o->generations, "generation limit (replaces the configured one)")
        ->check(non_negative());
    sub->add_option("--group-size", o->group_size,
                    "under mpirun: ranks per island group, a sub-master running its share of the islands and "
                    "its workers (default 0: one group up to 64 ranks, groups of 64 above; one process is one group)")
        ->check(non_negative());
    sub->add_flag("--async-groups", o->async_groups,
                  "under mpirun with island groups: synchronise the groups only at migrations, checkpoints and "
                  "every 10th generation, when the only limit is a generation count (same results; signals are "
                  "acted on at those points)");
    sub->add_option("--set", o->overrides, "override a config key, KEY=VALUE (repeatable)");
    sub->add_flag("--quiet", o->quiet, "no progress lines");
    return [o] { return run_fit(*o); };
}

}  // namespace snnfit::app
