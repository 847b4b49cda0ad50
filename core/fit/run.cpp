#include "fit/run.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "common/error.hpp"
#include "fit/checkpoint.hpp"
#include "fit/output.hpp"
#include "io/h5_layout.hpp"
#include "opt/pareto.hpp"

namespace snnfit::fit {

namespace {
volatile std::sig_atomic_t g_caught = 0;
constexpr int kSignals[3] = {SIGTERM, SIGINT, SIGUSR1};
struct sigaction g_old[3];

extern "C" void on_stop_signal(int sig) {
    if (g_caught == 0) g_caught = sig;
}

std::string hms(double seconds) {
    const auto s = static_cast<long>(std::llround(std::max(0.0, seconds)));
    return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
}
}  // namespace

StopSignals::StopSignals() {
    g_caught = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;  // system calls (MPI, file writes) carry on
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &g_old[i]);
}

StopSignals::~StopSignals() {
    if (finished_) return;  // they stay ignored
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &g_old[i], nullptr);
}

void StopSignals::finished() {
    finished_ = true;
    ignore();
}

int StopSignals::caught() {
    return g_caught;
}

void StopSignals::ignore() {
    struct sigaction sa {};
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    for (int sig : kSignals) sigaction(sig, &sa, nullptr);
}

std::string signal_name(int sig) {
    switch (sig) {
        case SIGTERM:
            return "SIGTERM";
        case SIGINT:
            return "SIGINT";
        case SIGUSR1:
            return "SIGUSR1";
        default:
            return "signal " + std::to_string(sig);
    }
}

FitRun::FitRun(const io::ConfigDocument& doc, RunOptions options)
    : doc_(doc), options_(std::move(options)), groups_(options_.groups ? options_.groups : &local_) {
    config_ = parse_fit_config(doc_);
    if (options_.seed) config_.seed = *options_.seed;
    if (options_.generations) config_.optimizer.termination.generations = *options_.generations;
    problem_ = config_.make_problem();
    if (writer())
        for (const auto& w : problem_->warnings()) fmt::print(stderr, "snnfit: warning: {}\n", w);
    const auto& space = problem_->space();
    optimizer_ = std::make_unique<opt::Optimizer>(config_.optimizer, opt::Bounds{space.search_lo(), space.search_hi()},
                                                  problem_->objectives(), config_.seed);
    // Asynchronous groups also meet where a checkpoint is due by count.
    optimizer_->set_groups(groups_, options_.asynchronous_groups, config_.checkpoint.every);
    if (options_.resume == "auto") {
        auto c = newest_valid_checkpoint(options_.out_dir, [](const std::string& w) {
            fmt::print(stderr, "snnfit: warning: {}\n", w);
            std::fflush(stderr);
        });
        if (c) resume_from(*c);
    } else if (!options_.resume.empty()) {
        resume_from(read_checkpoint(options_.resume));
    }
}

void FitRun::resume_from(const Checkpoint& c) {
    // The stored config, parsed as it was when the run started.
    auto diffs = config_differences(c.config.document(c.path), doc_);
    if (c.run_seed != config_.seed) diffs.push_back(fmt::format("run seed: {} -> {}", c.run_seed, config_.seed));
    // A target read from a file may have changed although the config did not.
    bool same_target = c.target_populations.size() == problem_->targets().size();
    for (std::size_t i = 0; same_target && i < c.target_populations.size(); ++i) {
        const auto it = problem_->targets().find(c.target_populations[i]);
        if (it == problem_->targets().end() || it->second.offsets != c.targets[i].offsets) {
            same_target = false;
            break;
        }
        for (std::size_t j = 0; j < c.targets[i].times.size(); ++j)
            if (std::fabs(it->second.times[j] - c.targets[i].times[j]) > 1e-9 * std::fabs(it->second.times[j])) {
                same_target = false;
                break;
            }
    }
    // (A simulated target follows the config: named only when nothing else explains it.)
    if (!same_target && diffs.empty()) diffs.push_back("the target spike trains differ from the checkpoint's");
    if (!diffs.empty()) {
        std::string list;
        for (const auto& d : diffs) list += (list.empty() ? "" : "; ") + d;
        throw InputError(
            fmt::format("cannot resume from {}: the config differs from the one the run started with "
                        "(only [optimizer.termination] and [checkpoint] may change): {}",
                        c.path, list));
    }
    try {
        optimizer_->restore(c.state);
    } catch (const InputError& e) {
        throw InputError(fmt::format("{}: {}", c.path, e.what()));
    }
    resumed_from_ = c.path;
}

FitRun::Decision FitRun::leader_decides(const Decision& mine) const {
    const auto v = groups_->from_leader({mine.signal, mine.checkpoint_due ? 1 : 0, mine.failed ? 1 : 0});
    return {static_cast<int>(v.at(0)), v.at(1) != 0, v.at(2) != 0};
}

std::string FitRun::write_checkpoint_now() {
    namespace fs = std::filesystem;
    optimizer_->share_islands(true);  // collective: group 0 writes every island
    Decision failure;
    std::string message, path;
    if (writer()) {
        try {
            path = write_checkpoint_file();
        } catch (const RunError& e) {
            failure.failed = true;
            message = e.what();
        }
    }
    if (leader_decides(failure).failed)
        throw RunError(message.empty() ? std::string("the checkpoint could not be written (see rank 0)") : message);
    return path;
}

std::string FitRun::write_checkpoint_file() {
    namespace fs = std::filesystem;
    const auto state = optimizer_->state();
    const auto& best = state.best;
    // The best raster is simulated again only when the best changed.
    if (best.valid && best.individual.id != best_sim_id_) {
        best_sim_ = problem_->simulate(problem_->space().decode(best.individual.x), problem_->output_seed());
        best_sim_id_ = best.individual.id;
    }
    std::error_code ec;
    fs::create_directories(checkpoint_dir(options_.out_dir), ec);
    if (ec)
        throw RunError(fmt::format("{}: cannot create the checkpoint directory: {}", checkpoint_dir(options_.out_dir),
                                   ec.message()));
    const auto path = checkpoint_path(options_.out_dir, state.generation);
    try {
        write_checkpoint(path, *problem_, config_.optimizer.weights, doc_, state,
                         best.valid ? best_sim_ : sim::SimResult{});
    } catch (const InputError& e) {
        throw RunError(fmt::format("cannot write the checkpoint: {}", e.what()));
    }
    prune_checkpoints(options_.out_dir, config_.checkpoint.keep, state.generation);
    return path;
}

FitRun::~FitRun() = default;

opt::Objective FitRun::objective() const {
    const Problem* p = problem_.get();
    return [p](std::span<const double> x, std::uint64_t seed) { return p->evaluate(x, seed); };
}

void FitRun::print_generation(std::FILE* log, const opt::GenerationLog& g) const {
    const auto& t = config_.optimizer.termination;
    std::string limit, eta;
    // ETA from the mean time per generation (or evaluation) so far, when a count limit exists.
    if (t.generations) {
        limit = fmt::format("/{}", *t.generations);
        if (g.generation > 0 && g.elapsed > 0)
            eta = "  ETA " + hms(g.elapsed / static_cast<double>(g.generation + 1) *
                                 static_cast<double>(*t.generations - g.generation));
    } else if (t.evaluations && g.evaluations > 0 && g.elapsed > 0) {
        eta = "  ETA " +
              hms(g.elapsed / static_cast<double>(g.evaluations) * static_cast<double>(*t.evaluations - g.evaluations));
    }
    fmt::print(log,
               "gen {:>4}{}  evals {:>7}  best {:<12.6g} mean {:<11.4g} std {:<11.4g} invalid {:<4} {:>8.0f} ev/s{}\n",
               g.generation, limit, g.evaluations, g.best, g.mean, g.std, g.invalid, g.evals_per_second, eta);
    for (const auto& m : g.messages) fmt::print(log, "    invalid/failed: {}\n", m);
    std::fflush(log);
}

RunSummary FitRun::run(opt::Evaluator& evaluator, std::FILE* log) {
    std::ofstream csv = open_history();
    announce(log);
    RunSummary sum;
    const auto loop_start = std::chrono::steady_clock::now();
    last_checkpoint_ = loop_start;
    while (!optimizer_->finished()) {
        const std::size_t logged = optimizer_->history().size();
        optimizer_->step(evaluator);
        record_generations(logged, csv, log);
        // Asynchronous island groups decide nothing between synchronisation points.
        if (!optimizer_->synchronised()) continue;
        const Decision decision = leader_decides(my_decision());
        checkpoint_if_due(decision, sum, log);
        if (decision.signal != 0 && !optimizer_->finished()) {
            sum.interrupted_by = decision.signal;
            break;
        }
    }
    sum.run_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - loop_start).count();
    finish(sum, log);
    return sum;
}

std::ofstream FitRun::open_history() {
    namespace fs = std::filesystem;
    std::ofstream csv;
    std::string cannot_write;
    if (writer()) {
        std::error_code ec;
        fs::create_directories(options_.out_dir, ec);
        const std::string csv_path = (fs::path(options_.out_dir) / "history.csv").string();
        if (ec) {
            cannot_write = fmt::format("{}: cannot create the output directory: {}", options_.out_dir, ec.message());
        } else {
            csv.open(csv_path, std::ios::trunc);
            if (!csv) cannot_write = csv_path + ": cannot write the history file";
        }
        if (cannot_write.empty()) {
            // A resumed run rewrites the history it continues, so its file equals an uninterrupted run's.
            csv << history_csv_header();
            for (const auto& g : optimizer_->history()) csv << history_csv_line(g);
            csv.flush();
        }
    }
    // With island groups every group learns of it, so that none waits for the others.
    Decision start;
    start.failed = !cannot_write.empty();
    if (leader_decides(start).failed)
        throw InputError(cannot_write.empty() ? std::string("rank 0 cannot write its output") : cannot_write);
    return csv;
}

void FitRun::announce(std::FILE* log) const {
    if (options_.progress) {
        fmt::print(log, "fitting {} parameters, {}; {} islands; seed {}\n", problem_->space().size(),
                   problem_->describe_objectives(), config_.optimizer.islands.size(), config_.seed);
    }
    if (!resumed_from_.empty())  // also when quiet: which file a run continues from matters
        fmt::print(log, "resuming from {}: {} generations, {} evaluations done\n", resumed_from_,
                   optimizer_->generation(), optimizer_->evaluations());
    std::fflush(log);
}

void FitRun::record_generations(std::size_t logged, std::ofstream& csv, std::FILE* log) const {
    // Asynchronous island groups log several generations at once, or none.
    for (std::size_t i = logged; i < optimizer_->history().size(); ++i) {
        const auto& g = optimizer_->history()[i];
        if (writer()) {
            csv << history_csv_line(g);
            csv.flush();
        }
        if (options_.progress) print_generation(log, g);
    }
}

FitRun::Decision FitRun::my_decision() const {
    const auto& ck = config_.checkpoint;
    Decision d;
    d.signal = options_.stop_requested ? options_.stop_requested() : 0;
    d.checkpoint_due =
        ck.interval > 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - last_checkpoint_).count() >= ck.interval;
    return d;
}

void FitRun::checkpoint_if_due(const Decision& decision, RunSummary& sum, std::FILE* log) {
    const auto& ck = config_.checkpoint;
    const std::int64_t done = optimizer_->generation();
    const bool due = (ck.every > 0 && done % ck.every == 0) || decision.checkpoint_due;
    if (decision.signal == 0 && !due && !optimizer_->finished()) return;
    const auto t0 = std::chrono::steady_clock::now();
    sum.checkpoint_path = write_checkpoint_now();
    last_checkpoint_ = std::chrono::steady_clock::now();
    sum.checkpoint_seconds += std::chrono::duration<double>(last_checkpoint_ - t0).count();
    ++sum.checkpoints_written;
    if (options_.progress && !optimizer_->finished() && decision.signal == 0)
        fmt::print(log, "checkpoint {}\n", sum.checkpoint_path);
}

void FitRun::finish(RunSummary& sum, std::FILE* log) const {
    if (sum.checkpoint_path.empty()) sum.checkpoint_path = resumed_from_;  // resumed a finished run
    sum.reason = optimizer_->termination_reason();
    sum.generations = optimizer_->generation();
    sum.evaluations = optimizer_->evaluations();
    const auto& best = optimizer_->best();
    sum.best_fitness = best.individual.fitness;
    if (best.valid) sum.best_values = problem_->space().decode(best.individual.x);
    sum.best_objectives = best.individual.objectives;
    if (!writer()) return;
    if (sum.interrupted_by != 0) {
        fmt::print(log,
                   "\ninterrupted by {} after {} generations, {} evaluations; wrote {}\nresume with --resume auto\n",
                   signal_name(sum.interrupted_by), sum.generations, sum.evaluations, sum.checkpoint_path);
        std::fflush(log);
        return;
    }
    sum.result_path = (std::filesystem::path(options_.out_dir) / "result.h5").string();
    write_result(sum.result_path);
    print_summary(log, sum);
}

void FitRun::write_result(const std::string& path) const {
    const auto& best = optimizer_->best();
    sim::SimResult sim;
    if (best.valid) sim = problem_->simulate(problem_->space().decode(best.individual.x), problem_->output_seed());
    auto file = io::h5::File::create_atomic(path);
    auto root = file.root();
    io::write_header(root, "result");
    root.set_attr("run_seed", static_cast<std::int64_t>(config_.seed));
    root.set_attr("generations", optimizer_->generation());
    root.set_attr("evaluations", optimizer_->evaluations());
    root.set_attr("termination", std::string(opt::to_string(optimizer_->termination_reason())));
    write_config(root, doc_);
    write_parameters(root, *problem_);
    write_losses(root, *problem_, config_.optimizer.weights);
    write_targets(root, *problem_);
    write_best(root, *problem_, best, sim);
    problem_->write_outputs(root, sim);
    const auto& islands = config_.optimizer.islands;
    if (std::any_of(islands.begin(), islands.end(),
                    [](const auto& s) { return s.algorithm == opt::Algorithm::nsga2; })) {
        // The front over every NSGA-II island's population, each member simulated again.
        std::vector<opt::Individual> members;
        for (std::size_t k = 0; k < islands.size(); ++k)
            if (islands[k].algorithm == opt::Algorithm::nsga2)
                for (const auto& ind : optimizer_->population(k)) members.push_back(ind);
        const auto front = opt::pareto_front(members);
        std::vector<sim::SimResult> sims;
        for (const auto& ind : front)
            sims.push_back(problem_->simulate(problem_->space().decode(ind.x), problem_->output_seed()));
        write_pareto(root, *problem_, front, sims);
    }
    write_history(root, optimizer_->history());
    file.commit();
}

void FitRun::print_summary(std::FILE* log, const RunSummary& s) const {
    const auto& space = problem_->space();
    fmt::print(log, "\nstopped: {} after {} generations, {} evaluations\n", opt::to_string(s.reason), s.generations,
               s.evaluations);
    if (s.best_values.empty()) {
        fmt::print(log, "no valid evaluation: every candidate was invalid or failed (see the messages above)\n");
        return;
    }
    fmt::print(log, "best fitness {:.6g}", s.best_fitness);
    const auto labels = problem_->objective_labels();
    for (std::size_t i = 0; i < labels.size() && i < s.best_objectives.size(); ++i)
        fmt::print(log, "{} {} = {:.6g}", i ? "," : "  (", labels[i], s.best_objectives[i]);
    fmt::print(log, ")\n");
    const auto true_values = problem_->true_values();
    const bool truth = true_values.has_value();
    fmt::print(log, "{:<28} {:>14} {:>14} {:>9}   bounds\n", "parameter", "fitted", truth ? "true" : "",
               truth ? "error" : "");
    for (std::size_t i = 0; i < space.size(); ++i) {
        const auto& p = space.parameters()[i];
        if (truth) {
            const double t = (*true_values)[i];
            const double rel = t != 0 ? (s.best_values[i] - t) / std::fabs(t) : s.best_values[i] - t;
            fmt::print(log, "{:<28} {:>14.6g} {:>14.6g} {:>8.2f}%   [{}, {}]\n", p.name, s.best_values[i], t, 100 * rel,
                       p.lo, p.hi);
        } else {
            fmt::print(log, "{:<28} {:>14.6g}   [{}, {}]\n", p.name, s.best_values[i], p.lo, p.hi);
        }
    }
    fmt::print(log, "wrote {} and {}\n", s.result_path,
               (std::filesystem::path(options_.out_dir) / "history.csv").string());
    if (s.checkpoints_written > 0)
        fmt::print(log, "checkpoints: {} written in {:.3f} s, {:.2f}% of {:.2f} s; the last is {}\n",
                   s.checkpoints_written, s.checkpoint_seconds,
                   s.run_seconds > 0 ? 100.0 * s.checkpoint_seconds / s.run_seconds : 0.0, s.run_seconds,
                   s.checkpoint_path);
}

}  // namespace snnfit::fit
