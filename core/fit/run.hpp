// One fit from start to end: the config becomes a Problem and an Optimizer, the
// generations run through an Evaluator (threads here, MPI workers in mpi/), progress
// goes to a log stream, and DIR/history.csv and DIR/result.h5 are written.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

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
};

struct RunSummary {
    opt::TerminationReason reason = opt::TerminationReason::none;
    std::int64_t generations = 0;
    std::int64_t evaluations = 0;
    double best_fitness = 0.0;
    std::vector<double> best_values;      // parameter values
    std::vector<double> best_objectives;  // one per loss term
    std::string result_path;
};

class FitRun {
public:
    FitRun(const io::ConfigDocument& doc, RunOptions options);
    ~FitRun();

    const Problem& problem() const { return *problem_; }
    opt::Optimizer& optimizer() { return *optimizer_; }
    // The objective the evaluators call: Problem::evaluate.
    opt::Objective objective() const;
    // Runs to termination, printing progress and a summary to `log`.
    RunSummary run(opt::Evaluator& evaluator, std::FILE* log = stdout);

private:
    void print_generation(std::FILE* log, const opt::GenerationLog& g) const;
    void write_result(const std::string& path) const;
    void print_summary(std::FILE* log, const RunSummary& s) const;

    io::ConfigDocument doc_;
    RunOptions options_;
    std::unique_ptr<Problem> problem_;
    std::unique_ptr<opt::Optimizer> optimizer_;
};

}  // namespace snnfit::fit
