#include "fit/run.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "common/error.hpp"
#include "fit/output.hpp"
#include "io/h5_layout.hpp"

namespace snnfit::fit {

namespace {
std::string hms(double seconds) {
    const auto s = static_cast<long>(std::llround(std::max(0.0, seconds)));
    return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
}
}  // namespace

FitRun::FitRun(const io::ConfigDocument& doc, RunOptions options) : doc_(doc), options_(std::move(options)) {
    FitSpec spec = parse_fit_config(doc_);
    if (options_.seed) spec.seed = *options_.seed;
    if (options_.generations) spec.optimizer.termination.generations = *options_.generations;
    problem_ = std::make_unique<Problem>(std::move(spec));
    const auto& s = problem_->spec();
    optimizer_ = std::make_unique<opt::Optimizer>(s.optimizer, opt::Bounds{s.space.search_lo(), s.space.search_hi()},
                                                  problem_->objectives(), s.seed);
}

FitRun::~FitRun() = default;

opt::Objective FitRun::objective() const {
    const Problem* p = problem_.get();
    return [p](std::span<const double> x, std::uint64_t seed) { return p->evaluate(x, seed); };
}

void FitRun::print_generation(std::FILE* log, const opt::GenerationLog& g) const {
    const auto& t = problem_->spec().optimizer.termination;
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
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(options_.out_dir, ec);
    if (ec) throw InputError(fmt::format("{}: cannot create the output directory: {}", options_.out_dir, ec.message()));
    const std::string csv_path = (fs::path(options_.out_dir) / "history.csv").string();
    std::ofstream csv(csv_path, std::ios::trunc);
    if (!csv) throw InputError(csv_path + ": cannot write the history file");
    csv << history_csv_header();

    const auto& s = problem_->spec();
    if (options_.progress)
        fmt::print(log, "fitting {} parameters, {} loss terms; {} islands; seed {}\n", s.space.size(), s.losses.size(),
                   s.optimizer.islands.size(), s.seed);
    optimizer_->run(evaluator, [&](const opt::GenerationLog& g) {
        csv << history_csv_line(g);
        csv.flush();
        if (options_.progress) print_generation(log, g);
    });

    RunSummary sum;
    sum.reason = optimizer_->termination_reason();
    sum.generations = optimizer_->generation();
    sum.evaluations = optimizer_->evaluations();
    const auto& best = optimizer_->best();
    sum.best_fitness = best.individual.fitness;
    if (best.valid) sum.best_values = s.space.decode(best.individual.x);
    sum.best_objectives = best.individual.objectives;
    sum.result_path = (fs::path(options_.out_dir) / "result.h5").string();
    write_result(sum.result_path);
    print_summary(log, sum);
    return sum;
}

void FitRun::write_result(const std::string& path) const {
    const auto& best = optimizer_->best();
    sim::SimResult sim;
    if (best.valid)
        sim = problem_->simulate(problem_->space().decode(best.individual.x), problem_->spec().network.simulation.seed);
    auto file = io::h5::File::create_atomic(path);
    auto root = file.root();
    io::write_header(root, "result");
    root.set_attr("run_seed", static_cast<std::int64_t>(problem_->spec().seed));
    root.set_attr("generations", optimizer_->generation());
    root.set_attr("evaluations", optimizer_->evaluations());
    root.set_attr("termination", std::string(opt::to_string(optimizer_->termination_reason())));
    write_config(root, doc_);
    write_parameters(root, *problem_);
    write_losses(root, *problem_);
    write_targets(root, *problem_);
    write_best(root, *problem_, best, sim);
    write_history(root, optimizer_->history());
    file.commit();
}

void FitRun::print_summary(std::FILE* log, const RunSummary& s) const {
    const auto& spec = problem_->spec();
    fmt::print(log, "\nstopped: {} after {} generations, {} evaluations\n", opt::to_string(s.reason), s.generations,
               s.evaluations);
    if (s.best_values.empty()) {
        fmt::print(log, "no valid evaluation: every candidate was invalid or failed (see the messages above)\n");
        return;
    }
    fmt::print(log, "best fitness {:.6g}", s.best_fitness);
    for (std::size_t i = 0; i < spec.losses.size() && i < s.best_objectives.size(); ++i)
        fmt::print(log, "{} {} = {:.6g}", i ? "," : "  (", spec.losses[i].label(), s.best_objectives[i]);
    fmt::print(log, ")\n");
    const bool truth = spec.target.kind == TargetSpec::Kind::simulated;
    fmt::print(log, "{:<28} {:>14} {:>14} {:>9}   bounds\n", "parameter", "fitted", truth ? "true" : "",
               truth ? "error" : "");
    for (std::size_t i = 0; i < spec.space.size(); ++i) {
        const auto& p = spec.space.parameters()[i];
        if (truth) {
            const double t = problem_->config_values()[i];
            const double rel = t != 0 ? (s.best_values[i] - t) / std::fabs(t) : s.best_values[i] - t;
            fmt::print(log, "{:<28} {:>14.6g} {:>14.6g} {:>8.2f}%   [{}, {}]\n", p.name, s.best_values[i], t, 100 * rel,
                       p.lo, p.hi);
        } else {
            fmt::print(log, "{:<28} {:>14.6g}   [{}, {}]\n", p.name, s.best_values[i], p.lo, p.hi);
        }
    }
    fmt::print(log, "wrote {} and {}\n", s.result_path,
               (std::filesystem::path(options_.out_dir) / "history.csv").string());
}

}  // namespace snnfit::fit
