#include "opt/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "common/error.hpp"
#include "opt/migration.hpp"

namespace snnfit::opt {

namespace {
// Stream of island k's optimizer randomness, and of migration (an id no island has).
constexpr std::uint64_t kMigrationStream = ~std::uint64_t{0};

std::uint64_t optimizer_stream(std::uint64_t which) {
    return stream_id({static_cast<std::uint64_t>(StreamTag::optimizer), which});
}

struct Moments {
    double mean = std::numeric_limits<double>::quiet_NaN();
    double std = std::numeric_limits<double>::quiet_NaN();
};

// Mean and population standard deviation (ddof 0, as DEAP's numpy statistics) of the
// fitness of the valid members of some populations.
Moments moments(const std::vector<const std::vector<Individual>*>& pops) {
    double sum = 0.0;
    std::size_t n = 0;
    for (const auto* pop : pops)
        for (const Individual& ind : *pop)
            if (ind.status == EvalStatus::ok) sum += ind.fitness, ++n;
    if (n == 0) return {};
    const double mean = sum / static_cast<double>(n);
    double ss = 0.0;
    for (const auto* pop : pops)
        for (const Individual& ind : *pop)
            if (ind.status == EvalStatus::ok) ss += (ind.fitness - mean) * (ind.fitness - mean);
    return {mean, std::sqrt(ss / static_cast<double>(n))};
}
}  // namespace

std::uint64_t evaluation_seed(SeedPolicy p, std::uint64_t run_seed, std::int64_t island, std::int64_t generation,
                              std::int64_t index) {
    const auto tag = static_cast<std::uint64_t>(StreamTag::evaluation);
    if (p == SeedPolicy::common) return stream_id({run_seed, tag});
    return stream_id({run_seed, tag, static_cast<std::uint64_t>(island), static_cast<std::uint64_t>(generation),
                      static_cast<std::uint64_t>(index)});
}

Optimizer::Optimizer(Settings settings, Bounds bounds, std::size_t n_objectives, std::uint64_t run_seed)
    : settings_(std::move(settings)),
      bounds_(std::move(bounds)),
      n_objectives_(n_objectives),
      run_seed_(run_seed),
      migration_rng_(run_seed, optimizer_stream(kMigrationStream)),
      segment_start_(std::chrono::steady_clock::now()) {
    if (n_objectives_ == 0) throw ParameterError("optimizer: the problem must have at least one objective");
    if (bounds_.lo.size() != bounds_.hi.size() || bounds_.lo.empty())
        throw ParameterError("optimizer: bounds need equally many (>= 1) lower and upper values, got " +
                             std::to_string(bounds_.lo.size()) + " and " + std::to_string(bounds_.hi.size()));
    for (std::size_t j = 0; j < bounds_.dim(); ++j)
        if (!std::isfinite(bounds_.lo[j]) || !std::isfinite(bounds_.hi[j]) || bounds_.lo[j] > bounds_.hi[j])
            throw ParameterError("optimizer: bound " + std::to_string(j) + " is [" + std::to_string(bounds_.lo[j]) +
                                 ", " + std::to_string(bounds_.hi[j]) + "]; expected finite lo <= hi");
    const auto problems = find_problems(settings_, n_objectives_);
    if (!problems.empty()) {
        const auto& p = problems.front();
        const std::string where =
            p.island < 0 ? "optimizer." + p.key : "optimizer.island[" + std::to_string(p.island) + "]." + p.key;
        throw ParameterError(where + " " + p.message);
    }
    for (std::size_t k = 0; k < settings_.islands.size(); ++k)
        islands_.push_back({make_island_algorithm(settings_.islands[k], bounds_), Rng(run_seed_, optimizer_stream(k))});
}

Optimizer::~Optimizer() = default;

const std::vector<Individual>& Optimizer::population(std::size_t island) const {
    return islands_.at(island).algorithm->population();
}

double Optimizer::fitness_of(const std::vector<double>& objectives) const {
    if (settings_.weights.empty()) {
        double s = 0.0;
        for (double v : objectives) s += v;
        return s;
    }
    double s = 0.0;
    for (std::size_t i = 0; i < objectives.size(); ++i) s += settings_.weights[i] * objectives[i];
    return s;
}

double Optimizer::wall_time_used() const {
    return termination_.wall_time_used +
           std::chrono::duration<double>(std::chrono::steady_clock::now() - segment_start_).count();
}

bool Optimizer::step(Evaluator& evaluator) {
    if (finished()) return false;
    const auto t0 = std::chrono::steady_clock::now();
    const std::int64_t g = generation_;
    const std::size_t k_islands = islands_.size();

    std::vector<Candidate> batch;
    std::vector<std::size_t> offset(k_islands + 1, 0);
    for (std::size_t k = 0; k < k_islands; ++k) {
        auto xs = islands_[k].algorithm->ask(islands_[k].rng);
        offset[k + 1] = offset[k] + xs.size();
        for (std::size_t i = 0; i < xs.size(); ++i) {
            Candidate c;
            c.x = std::move(xs[i]);
            c.id = next_id_++;
            c.island = static_cast<std::int32_t>(k);
            c.generation = g;
            c.index = static_cast<std::int32_t>(i);
            c.seed = evaluation_seed(settings_.seed_policy, run_seed_, c.island, g, c.index);
            batch.push_back(std::move(c));
        }
    }
    std::vector<EvalResult> results = evaluator.evaluate(batch);
    if (results.size() != batch.size())
        throw InternalError("evaluator returned " + std::to_string(results.size()) + " results for " +
                            std::to_string(batch.size()) + " candidates");

    GenerationLog log;
    log.generation = g;
    log.islands.resize(k_islands);
    const std::vector<double> penalised(n_objectives_, settings_.penalty);
    for (std::size_t k = 0; k < k_islands; ++k) {
        std::vector<Individual> evaluated;
        evaluated.reserve(offset[k + 1] - offset[k]);
        for (std::size_t i = offset[k]; i < offset[k + 1]; ++i) {
            EvalResult& r = results[i];
            if (r.status == EvalStatus::ok) {
                if (r.objectives.size() != n_objectives_) {
                    r = EvalResult::invalid("objective vector has " + std::to_string(r.objectives.size()) +
                                            " entries, expected " + std::to_string(n_objectives_));
                } else if (!std::all_of(r.objectives.begin(), r.objectives.end(),
                                        [](double v) { return std::isfinite(v); })) {
                    r = EvalResult::invalid("non-finite objective");
                }
            }
            Individual ind;
            ind.x = std::move(batch[i].x);
            ind.id = batch[i].id;
            ind.status = r.status;
            if (r.status == EvalStatus::ok) {
                ind.objectives = std::move(r.objectives);
            } else {
                ind.objectives = penalised;
                ++log.invalid;
                ++log.islands[k].invalid;
                if (log.messages.size() < settings_.max_messages)
                    log.messages.push_back("candidate " + std::to_string(ind.id) + " (island " + std::to_string(k) +
                                           "): " + to_string(r.status) + ": " + r.message);
            }
            ind.fitness = fitness_of(ind.objectives);
            if (ind.status == EvalStatus::ok && (!best_.valid || ind.fitness < best_.individual.fitness)) {
                best_.valid = true;
                best_.individual = ind;
                best_.island = static_cast<std::int32_t>(k);
                best_.generation = g;
            }
            evaluated.push_back(std::move(ind));
        }
        log.islands[k].evaluations = static_cast<std::int64_t>(evaluated.size());
        islands_[k].algorithm->tell(std::move(evaluated), islands_[k].rng);
    }
    evaluations_ += static_cast<std::int64_t>(batch.size());

    const auto& m = settings_.migration;
    if (g > 0 && k_islands > 1 && m.topology != Topology::none && g % static_cast<std::int64_t>(m.interval) == 0) {
        std::vector<std::vector<Individual>*> pops;
        std::vector<bool> pareto;
        for (std::size_t k = 0; k < k_islands; ++k) {
            pops.push_back(&islands_[k].algorithm->population());
            pareto.push_back(settings_.islands[k].algorithm == Algorithm::nsga2);
        }
        migrate(pops, m, migration_rng_, pareto);
    }

    std::vector<const std::vector<Individual>*> all;
    for (std::size_t k = 0; k < k_islands; ++k) {
        const auto& pop = islands_[k].algorithm->population();
        auto& il = log.islands[k];
        il.best = std::numeric_limits<double>::quiet_NaN();
        for (const auto& ind : pop)
            if (!(ind.fitness >= il.best)) il.best = ind.fitness;
        const auto mo = moments({&pop});
        il.mean = mo.mean;
        il.std = mo.std;
        all.push_back(&pop);
    }
    const auto mo = moments(all);
    log.mean = mo.mean;
    log.std = mo.std;
    log.best = best_.valid ? best_.individual.fitness : fitness_of(penalised);
    log.evaluations = evaluations_;

    // Stagnation bookkeeping: an improvement counts only when larger than the tolerance.
    if (best_.valid &&
        (!termination_.has_reference ||
         best_.individual.fitness < termination_.reference - settings_.termination.stagnation_tolerance)) {
        termination_.has_reference = true;
        termination_.reference = best_.individual.fitness;
        termination_.last_improvement = g;
    }
    generation_ = g + 1;
    check_termination(g, true);

    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    log.evals_per_second = dt > 0.0 ? static_cast<double>(batch.size()) / dt : 0.0;
    log.elapsed = wall_time_used();
    history_.push_back(std::move(log));
    return !finished();
}

void Optimizer::check_termination(std::int64_t g, bool with_wall_time) {
    const auto& t = settings_.termination;
    auto& r = termination_.reason;
    r = TerminationReason::none;
    if (t.target && best_.valid && best_.individual.fitness <= *t.target)
        r = TerminationReason::target;
    else if (t.generations && g >= *t.generations)
        r = TerminationReason::generations;
    else if (t.evaluations && evaluations_ >= *t.evaluations)
        r = TerminationReason::evaluations;
    else if (t.stagnation_generations && g - termination_.last_improvement >= *t.stagnation_generations)
        r = TerminationReason::stagnation;
    else if (with_wall_time && t.wall_time && wall_time_used() >= *t.wall_time)
        r = TerminationReason::wall_time;
}

void Optimizer::run(Evaluator& evaluator, const std::function<void(const GenerationLog&)>& observer) {
    while (!finished()) {
        step(evaluator);
        if (observer) observer(history_.back());
    }
}

OptimizerState Optimizer::state() const {
    OptimizerState s;
    s.run_seed = run_seed_;
    s.dim = bounds_.dim();
    s.n_objectives = n_objectives_;
    s.generation = generation_;
    s.evaluations = evaluations_;
    s.next_id = next_id_;
    for (const auto& is : islands_) {
        IslandState out;
        for (const auto& ind : is.algorithm->population()) {
            out.population.insert(out.population.end(), ind.x.begin(), ind.x.end());
            out.objectives.insert(out.objectives.end(), ind.objectives.begin(), ind.objectives.end());
            out.fitness.push_back(ind.fitness);
            out.ids.push_back(ind.id);
            out.status.push_back(static_cast<std::int32_t>(ind.status));
        }
        out.rng = is.rng.state();
        out.operator_state = is.algorithm->operator_state();
        s.islands.push_back(std::move(out));
    }
    s.migration_rng = migration_rng_.state();
    s.termination = termination_;
    s.termination.wall_time_used = wall_time_used();
    s.best = best_;
    s.history = history_;
    return s;
}

void Optimizer::restore(const OptimizerState& s) {
    auto bad = [](const std::string& what) { throw InputError("cannot restore the optimizer state: " + what); };
    if (s.format != OptimizerState::kFormat)
        bad("format " + std::to_string(s.format) + ", expected " + std::to_string(OptimizerState::kFormat));
    if (s.dim != bounds_.dim())
        bad("it has " + std::to_string(s.dim) + " parameters, the problem has " + std::to_string(bounds_.dim()));
    if (s.n_objectives != n_objectives_)
        bad("it has " + std::to_string(s.n_objectives) + " objectives, the problem has " +
            std::to_string(n_objectives_));
    if (s.islands.size() != islands_.size())
        bad("it has " + std::to_string(s.islands.size()) + " islands, the settings have " +
            std::to_string(islands_.size()));
    if (s.generation < 0 || s.evaluations < 0 || s.next_id < 0) bad("negative counters");
    const std::size_t d = bounds_.dim(), m = n_objectives_;
    std::vector<Island> islands;
    for (std::size_t k = 0; k < s.islands.size(); ++k) {
        const auto& in = s.islands[k];
        const std::size_t n = in.fitness.size();
        if (in.population.size() != n * d || in.objectives.size() != n * m || in.ids.size() != n ||
            in.status.size() != n)
            bad("island " + std::to_string(k) + " has inconsistent array sizes");
        if ((n == 0) != (s.generation == 0)) bad("island " + std::to_string(k) + " population does not fit generation");
        Island is{make_island_algorithm(settings_.islands[k], bounds_), Rng(in.rng)};
        auto& pop = is.algorithm->population();
        for (std::size_t i = 0; i < n; ++i) {
            if (in.status[i] < 0 || in.status[i] > 2) bad("island " + std::to_string(k) + " has a bad status value");
            Individual ind;
            ind.x.assign(in.population.begin() + static_cast<std::ptrdiff_t>(i * d),
                         in.population.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
            ind.objectives.assign(in.objectives.begin() + static_cast<std::ptrdiff_t>(i * m),
                                  in.objectives.begin() + static_cast<std::ptrdiff_t>((i + 1) * m));
            ind.fitness = in.fitness[i];
            ind.id = in.ids[i];
            ind.status = static_cast<EvalStatus>(in.status[i]);
            pop.push_back(std::move(ind));
        }
        is.algorithm->set_operator_state(in.operator_state);
        islands.push_back(std::move(is));
    }
    islands_ = std::move(islands);
    run_seed_ = s.run_seed;
    migration_rng_ = Rng(s.migration_rng);
    generation_ = s.generation;
    evaluations_ = s.evaluations;
    next_id_ = s.next_id;
    termination_ = s.termination;
    best_ = s.best;
    history_ = s.history;
    segment_start_ = std::chrono::steady_clock::now();
    // Limits come from the current settings: re-check them (not wall time, which restarts).
    termination_.reason = TerminationReason::none;
    if (generation_ > 0) check_termination(generation_ - 1, false);
}

}  // namespace snnfit::opt
