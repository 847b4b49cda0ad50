#include "distributed_run.hpp"

#include <cstdio>
#include <cstdlib>
#include <new>
#include <optional>

#include <fmt/format.h>
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

#include "common/error.hpp"
#include "island_groups.hpp"
#include "master_evaluator.hpp"
#include "messages.hpp"

namespace snnfit::mpi {

namespace {
constexpr int kExitInternal = 1;      // apps/commands.hpp exit_internal
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
                    const fit::RunOptions& options, int threads, int group_size_option) {
    // No MPI_Abort on an exception: rank 0 reports errors itself, in one line.
    boost::mpi::environment env(boost::mpi::threading::funneled, false);
    boost::mpi::communicator world;
    const bool leader = world.rank() == 0;
    // mpirun forwards SIGTERM/SIGINT/SIGUSR1 to every rank: only rank 0 acts on them; the
    // others keep going until rank 0, having written its checkpoint, stops them.
    if (!leader) fit::StopSignals::ignore();
    auto report = [leader](const std::string& message) {
        if (leader) std::fprintf(stderr, "snnfit: error: %s\n", message.c_str());
    };

    // Every rank derives the groups from the same command line: agreeing (or failing)
    // needs no message.
    int ranks_per_group = 0;
    try {
        ranks_per_group = group_size(world.size(), group_size_option);
    } catch (const Error& e) {
        report(e.what());
        return kExitBadInput;
    }
    const int n_groups = group_count(world.size(), ranks_per_group);
    const bool sub_master = world.rank() % ranks_per_group == 0;
    // Group g: world ranks [g R, (g + 1) R), its rank 0 the sub-master.
    const boost::mpi::communicator group = world.split(world.rank() / ranks_per_group, world.rank());
    const boost::mpi::communicator sub_masters = world.split(sub_master ? 0 : 1, world.rank());
    ProblemMessage pm;

    if (!sub_master) {
        boost::mpi::broadcast(world, pm, 0);
        if (!pm.ok) return pm.status;  // rank 0 has reported the error, once
        WorkerReady ready;
        std::unique_ptr<fit::Problem> problem;
        try {
            const auto doc = io::ConfigDocument::from_string(pm.config_text, pm.config_name, pm.overrides);
            problem = fit::parse_fit_config(doc).make_problem();
        } catch (const std::exception& e) {
            ready = {false, e.what()};
        }
        group.send(0, tag_ready, ready);
        if (!ready.ok) {
            group.recv(0, tag_stop);
            return kExitBadInput;
        }
        const fit::Problem* p = problem.get();
        worker_loop(
            group, [p](std::span<const double> x, std::uint64_t seed) { return p->evaluate(x, seed); }, pm.threads);
        return 0;
    }

    // Sub-masters. Rank 0 finds a bad config (or a checkpoint that does not fit it, or
    // too few islands for the groups) before any other rank starts work.
    std::optional<SubMasterGroups> groups;
    if (n_groups > 1) groups.emplace(sub_masters);
    std::optional<fit::StopSignals> signals;
    fit::RunOptions ro = options;
    ro.groups = groups ? &*groups : nullptr;
    if (leader) {
        signals.emplace();
        ro.stop_requested = fit::StopSignals::poll();
    } else {
        ro.stop_requested = {};
        ro.progress = false;
        ro.resume.clear();  // rank 0 sends the state it resumes from
    }
    std::optional<io::ConfigDocument> doc;
    std::optional<fit::FitRun> run;
    if (leader) {
        // Whatever stops rank 0 here is broadcast in place of the problem, so that no rank
        // waits for it: every rank then ends with the same status.
        auto give_up = [&](const std::string& message, int status) {
            pm.ok = false;
            pm.status = status;
            boost::mpi::broadcast(world, pm, 0);
            if (status == kExitInternal)
                std::fprintf(stderr, "snnfit: internal error: %s\n", message.c_str());
            else
                report(message);
            return status;
        };
        try {
            doc.emplace(io::ConfigDocument::from_file(config_path, overrides));
            run.emplace(*doc, ro);
        } catch (const Error& e) {
            return give_up(e.what(), kExitBadInput);
        } catch (const std::bad_alloc&) {
            return give_up("out of memory (the configured sizes need more than this machine has)", kExitRuntime);
        } catch (const std::exception& e) {
            return give_up(e.what(), kExitInternal);  // a bug, or memory the budget did not foresee
        }
        pm.ok = true;
        pm.config_text = doc->text();
        pm.config_name = doc->file();
        pm.overrides = doc->overrides();
        pm.threads = threads;
    }
    boost::mpi::broadcast(world, pm, 0);
    if (!pm.ok) return pm.status;
    WorkerReady mine;  // this sub-master's problem, then its workers'
    if (!leader) {
        try {
            doc.emplace(io::ConfigDocument::from_string(pm.config_text, pm.config_name, pm.overrides));
            run.emplace(*doc, ro);
        } catch (const std::exception& e) {
            mine = {false, fmt::format("rank {} could not build the problem: {}", world.rank(), e.what())};
        }
    }
    MasterEvaluator evaluator(group);  // its destructor stops the group's workers on every path out
    for (int r = 1; r < group.size(); ++r) {
        WorkerReady ready;
        group.recv(r, tag_ready, ready);
        if (!ready.ok && mine.ok)
            mine = {false, fmt::format("rank {} could not build the problem: {}", world.rank() + r, ready.message)};
    }
    std::vector<WorkerReady> all_ready;
    boost::mpi::all_gather(sub_masters, mine, all_ready);
    for (const auto& ready : all_ready)
        if (!ready.ok) {
            report(ready.message);
            return kExitBadInput;
        }
    if (groups) {
        // Rank 0 alone read the checkpoint it resumes from: the other sub-masters take its state.
        bool resumed = leader && !run->resumed_from().empty();
        boost::mpi::broadcast(sub_masters, resumed, 0);
        if (resumed) {
            opt::OptimizerState state;
            if (leader) state = run->optimizer().state();
            boost::mpi::broadcast(sub_masters, state, 0);
            if (!leader) run->optimizer().restore(state);
        }
    }
    if (options.progress && leader) {
        if (n_groups == 1)
            std::printf("MPI: %d ranks (1 master, %d workers, %d threads each)\n", world.size(), world.size() - 1,
                        threads);
        else
            std::printf(
                "MPI: %d ranks in %d island groups of up to %d (a sub-master and its workers, %d threads "
                "each)\n",
                world.size(), n_groups, ranks_per_group, threads);
    }
    // A sub-master without workers evaluates its islands on its own threads.
    std::optional<opt::ThreadEvaluator> own;
    if (group.size() == 1 && n_groups > 1) own.emplace(run->objective(), threads);
    opt::Evaluator& ev = own ? static_cast<opt::Evaluator&>(*own) : evaluator;
    fit::RunSummary summary;
    // The errors every group meets together (a file rank 0 cannot write) end every rank
    // cleanly. Any other error strikes one sub-master while the others wait for it in an
    // exchange: with groups, that sub-master says why and aborts the job, which is what a
    // dying rank would do anyway.
    auto fail = [&](const std::exception& e, int status, bool collective) {
        if (leader || (groups && !collective))
            std::fprintf(stderr, "snnfit: %s: %s%s\n", status == kExitInternal ? "internal error" : "error",
                         leader ? "" : fmt::format("rank {}: ", world.rank()).c_str(), e.what());
        if (groups && !collective) {
            std::fflush(stderr);
            env.abort(status);
        }
        return status;
    };
    try {
        summary = run->run(ev);
    } catch (const fit::RunError& e) {
        return fail(e, kExitRuntime, true);
    } catch (const Error& e) {
        return fail(e, kExitBadInput, dynamic_cast<const InputError*>(&e) != nullptr);
    } catch (const std::exception& e) {
        if (!groups) throw;  // a bug: main() reports it (exit 1); workers are stopped on the way
        return fail(e, kExitInternal, false);
    }
    if (signals) signals->finished();  // a late stop request must not kill rank 0 at exit
    evaluator.stop();
    return summary.interrupted_by != 0 ? kExitInterrupted : 0;
}

}  // namespace snnfit::mpi
