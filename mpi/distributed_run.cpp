#include "distributed_run.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

#include "common/error.hpp"
#include "master_evaluator.hpp"
#include "messages.hpp"

namespace snnfit::mpi {

namespace {
constexpr int kExitBadInput = 2;      // apps/commands.hpp exit_bad_input
constexpr int kExitRuntime = 3;       // apps/commands.hpp exit_runtime
constexpr int kExitInterrupted = 75;  // apps/commands.hpp exit_interrupted

int env_int(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::atoi(v) : 0;
}
}  // namespace

bool launched_with_several_ranks() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"})
        if (env_int(name) > 1) return true;
    return false;
}

int run_distributed(const std::string& config_path, const std::vector<std::string>& overrides,
                    const fit::RunOptions& options, int threads) {
    // No MPI_Abort on an exception: rank 0 reports errors itself, in one line.
    boost::mpi::environment env(boost::mpi::threading::funneled, false);
    boost::mpi::communicator world;
    ProblemMessage pm;

    if (world.rank() != 0) {
        // mpirun forwards SIGTERM/SIGINT/SIGUSR1 to every rank: a worker keeps serving
        // until the master, having written its checkpoint, sends stop.
        fit::StopSignals::ignore();
        boost::mpi::broadcast(world, pm, 0);
        if (!pm.ok) return kExitBadInput;  // rank 0 has reported the error, once
        WorkerReady ready;
        std::optional<fit::Problem> problem;
        try {
            const auto doc = io::ConfigDocument::from_string(pm.config_text, pm.config_name, pm.overrides);
            problem.emplace(fit::parse_fit_config(doc));
        } catch (const std::exception& e) {
            ready = {false, e.what()};
        }
        world.send(0, tag_ready, ready);
        if (!ready.ok) {
            world.recv(0, tag_stop);
            return kExitBadInput;
        }
        const fit::Problem* p = &*problem;
        worker_loop(
            world, [p](std::span<const double> x, std::uint64_t seed) { return p->evaluate(x, seed); }, pm.threads);
        return 0;
    }

    // Rank 0: a bad config (or a checkpoint that does not fit it) is found here, before
    // any worker starts work.
    fit::StopSignals signals;
    fit::RunOptions ro = options;
    ro.stop_requested = fit::StopSignals::poll();
    std::optional<io::ConfigDocument> doc;
    std::optional<fit::FitRun> run;
    try {
        doc.emplace(io::ConfigDocument::from_file(config_path, overrides));
        run.emplace(*doc, ro);
    } catch (const Error& e) {
        boost::mpi::broadcast(world, pm, 0);  // ok = false: workers exit quietly
        std::fprintf(stderr, "snnfit: error: %s\n", e.what());
        return kExitBadInput;
    }
    pm.ok = true;
    pm.config_text = doc->text();
    pm.config_name = doc->file();
    pm.overrides = doc->overrides();
    pm.threads = threads;
    boost::mpi::broadcast(world, pm, 0);
    MasterEvaluator evaluator(world);  // its destructor stops the workers on every path out
    std::string not_ready;
    for (int r = 1; r < world.size(); ++r) {
        WorkerReady ready;
        world.recv(r, tag_ready, ready);
        if (!ready.ok && not_ready.empty())
            not_ready = fmt::format("rank {} could not build the problem: {}", r, ready.message);
    }
    if (!not_ready.empty()) {
        std::fprintf(stderr, "snnfit: error: %s\n", not_ready.c_str());
        return kExitBadInput;
    }
    if (options.progress)
        std::printf("MPI: %d ranks (1 master, %d workers, %d threads each)\n", world.size(), world.size() - 1, threads);
    fit::RunSummary summary;
    try {
        summary = run->run(evaluator);
    } catch (const fit::RunError& e) {
        std::fprintf(stderr, "snnfit: error: %s\n", e.what());
        return kExitRuntime;
    } catch (const Error& e) {
        std::fprintf(stderr, "snnfit: error: %s\n", e.what());
        return kExitBadInput;
    }
    evaluator.stop();
    return summary.interrupted_by != 0 ? kExitInterrupted : 0;
}

}  // namespace snnfit::mpi
