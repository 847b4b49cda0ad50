// One fit from start to end: the config becomes a Problem and an Optimizer (restored
// from a checkpoint when resuming), the generations run through an Evaluator (threads
// here, MPI workers in mpi/), progress goes to a log stream, checkpoints go to
// DIR/checkpoints, and DIR/history.csv and DIR/result.h5 are written.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "fit/checkpoint.hpp"
#include "fit/problem.hpp"
#include "io/config.hpp"
#include "opt/evaluator.hpp"
#include "opt/optimizer.hpp"

namespace snnfit::fit {

struct RunOptions {
    std::string out_dir = "out";
    std::optional<std::uint64_t> seed;        // replaces [fit] seed
    std::optional<std::int64_t> generations;  // replaces the generations limit
    bool progress = true;                     // one line per generation
    // "" = start fresh; "auto" = continue from the newest valid checkpoint in out_dir
    // (fresh when there is none); otherwise the checkpoint file to continue from.
    std::string resume;
    // Polled after every generation: a non-zero value (the signal number) asks the run
    // to write the checkpoint of the last completed generation and stop.
    std::function<int()> stop_requested;
    // MPI island groups (mpi/island_groups): this process runs only its groups' islands,
    // and run() is collective; group 0 alone polls stop_requested, prints and writes
    // files. nullptr: one process runs every island. Must outlive the FitRun.
    opt::IslandGroups* groups = nullptr;
    // With groups: synchronise them only at migrations, checkpoints (checkpoint.every),
    // the generation limit and every 10th generation, when the limits allow it
    // (opt::Optimizer::set_groups). Signals and the checkpoint interval are then acted on
    // at those points only.
    bool asynchronous_groups = false;
};

// The run could not go on: a checkpoint or result could not be written (disk full,
// directory gone). Exit status 3, not 2: the input was fine.
class RunError : public Error {
public:
    using Error::Error;
};

// Catches SIGTERM, SIGINT and SIGUSR1 while alive: the handler only records the signal
// (async-signal-safe); the generation loop polls caught(). A second signal changes
// nothing, so a checkpoint being written is finished, never cut short. The previous
// handlers come back on destruction.
class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;
    static int caught();  // the first signal caught, 0 if none
    static std::function<int()> poll() {
        return [] { return caught(); };
    }
    // Ignores the three signals (MPI workers: the master decides when they stop).
    static void ignore();
    // The run is over and its files are written: from now to the end of the process the
    // three signals are ignored (also after destruction), so a stop request that races
    // with the end of a job — SLURM's warning signal, a preemption — cannot turn a
    // finished run into a process killed by a signal.
    void finished();

private:
    bool finished_ = false;
};

// Name of a signal for messages ("SIGTERM").
std::string signal_name(int sig);

struct RunSummary {
    opt::TerminationReason reason = opt::TerminationReason::none;
    std::int64_t generations = 0;
    std::int64_t evaluations = 0;
    double best_fitness = 0.0;
    std::vector<double> best_values;      // parameter values
    std::vector<double> best_objectives;  // one per loss term
    std::string result_path;
    int interrupted_by = 0;       // the signal that stopped the run; 0 = it ran to termination
    std::string checkpoint_path;  // the last checkpoint written
    std::int64_t checkpoints_written = 0;
    double checkpoint_seconds = 0.0;  // wall time spent writing them (best raster included)
    double run_seconds = 0.0;         // wall time of this process's generation loop
};

class FitRun {
public:
    FitRun(const io::ConfigDocument& doc, RunOptions options);
    ~FitRun();

    const Problem& problem() const { return *problem_; }
    // The config as read, with the command line's seed and generation limit applied.
    const FitConfig& config() const { return config_; }
    // The checkpoint this run continues from ("" when it started fresh).
    const std::string& resumed_from() const { return resumed_from_; }
    opt::Optimizer& optimizer() { return *optimizer_; }
    // The objective the evaluators call: Problem::evaluate.
    opt::Objective objective() const;
    // Runs to termination, or until options.stop_requested() asks to stop (then
    // interrupted_by is set and no result is written), printing progress to `log`.
    RunSummary run(opt::Evaluator& evaluator, std::FILE* log = stdout);

private:
    // The steps of run(): history.csv opened (a resumed run's history rewritten), the first
    // lines printed, each generation's lines, the leader's decision, a checkpoint when due
    // or asked for, and the summary with result.h5.
    // What only group 0 decides (it has the signal handler, the clock and the files), and
    // every group then acts on.
    struct Decision {
        int signal = 0;               // the stop signal caught, 0 = none
        bool checkpoint_due = false;  // by [checkpoint] interval (wall clock)
        bool failed = false;          // writing a file failed: every group stops
    };
    std::ofstream open_history();
    void announce(std::FILE* log) const;
    void record_generations(std::size_t logged, std::ofstream& csv, std::FILE* log) const;
    Decision my_decision() const;
    void checkpoint_if_due(const Decision& decision, RunSummary& sum, std::FILE* log);
    void finish(RunSummary& sum, std::FILE* log) const;
    void print_generation(std::FILE* log, const opt::GenerationLog& g) const;
    void write_result(const std::string& path) const;
    void print_summary(std::FILE* log, const RunSummary& s) const;
    void resume_from(const Checkpoint& c);
    // Collective with groups; group 0 writes the file.
    std::string write_checkpoint_now();
    std::string write_checkpoint_file();
    // Whether this process prints and writes files (group 0, or the only process).
    bool writer() const { return groups_->leader(); }
    Decision leader_decides(const Decision& mine) const;

    io::ConfigDocument doc_;
    RunOptions options_;
    opt::LocalGroups local_;
    opt::IslandGroups* groups_;  // options_.groups, or the local default
    FitConfig config_;
    std::unique_ptr<Problem> problem_;
    std::unique_ptr<opt::Optimizer> optimizer_;
    std::string resumed_from_;
    std::chrono::steady_clock::time_point last_checkpoint_;
    std::int64_t best_sim_id_ = -2;  // id of the individual best_sim_ simulates
    sim::SimResult best_sim_;
};

}  // namespace snnfit::fit
