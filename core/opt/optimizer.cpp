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

// Mean, population standard deviation (ddof 0, as DEAP's numpy statistics) and sum of
// squared deviations of the fitness of a population's valid members.
struct Moments {
    std::int64_t n = 0;
    double mean = std::numeric_limits<double>::quiet_NaN();
    double std = std::numeric_limits<double>::quiet_NaN();
    double m2 = 0.0;
};

Moments moments(const std::vector<Individual>& pop) {
    Moments m;
    double sum = 0.0;
    for (const Individual& ind : pop)
        if (ind.status == EvalStatus::ok) sum += ind.fitness, ++m.n;
    if (m.n == 0) return m;
    m.mean = sum / static_cast<double>(m.n);
    for (const Individual& ind : pop)
        if (ind.status == EvalStatus::ok) m.m2 += (ind.fitness - m.mean) * (ind.fitness - m.mean);
    m.std = std::sqrt(m.m2 / static_cast<double>(m.n));
    return m;
}

// Two populations' moments as one (Chan, Golub and LeVeque's pairwise update). The
// islands are combined in island order, so the result does not depend on which process
// holds which island, and the groups exchange three numbers per island, not every fitness.
Moments combine(const Moments& a, const Moments& b) {
    if (b.n == 0) return a;
    if (a.n == 0) return b;
    Moments m;
    m.n = a.n + b.n;
    const double na = static_cast<double>(a.n), nb = static_cast<double>(b.n), n = static_cast<double>(m.n);
    const double delta = b.mean - a.mean;
    m.mean = a.mean + delta * nb / n;
    m.m2 = a.m2 + b.m2 + delta * delta * na * nb / n;
    m.std = std::sqrt(m.m2 / n);
    return m;
}
}  // namespace

std::uint64_t evaluation_seed(const Settings& s, std::uint64_t run_seed, std::int64_t island, std::int64_t generation,
                              std::int64_t index) {
    const auto tag = static_cast<std::uint64_t>(StreamTag::evaluation);
    if (s.seed_policy == SeedPolicy::common) return s.common_seed ? *s.common_seed : stream_id({run_seed, tag});
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

void Optimizer::set_groups(IslandGroups* groups, bool asynchronous, std::int64_t sync_every) {
    if (groups == nullptr) groups = &local_;
    if (islands_.size() < static_cast<std::size_t>(groups->groups()))
        throw ParameterError("optimizer.islands: " + std::to_string(islands_.size()) + " islands for " +
                             std::to_string(groups->groups()) +
                             " island groups; every group needs at least one island (more islands, or a larger "
                             "--group-size)");
    groups_ = groups;
    asynchronous_ = asynchronous;
    sync_every_ = sync_every;
}

bool Optimizer::asynchronous() const {
    const auto& t = settings_.termination;
    return asynchronous_ && groups_->groups() > 1 && !t.target && !t.stagnation_generations && !t.evaluations &&
           !t.wall_time;
}

bool Optimizer::synchronisation_point(std::int64_t g) const {
    const auto& t = settings_.termination;
    const std::int64_t done = g + 1;
    return migration_due(g) || (t.generations && g >= *t.generations) || (sync_every_ > 0 && done % sync_every_ == 0) ||
           done % kMaxUnsynchronised == 0;
}

namespace {
// Every island's report of one exchange, by island index.
std::vector<IslandReport*> by_island(std::vector<IslandReport*> reports, std::size_t k_islands) {
    std::vector<IslandReport*> out(k_islands, nullptr);
    for (auto* rep : reports) {
        const auto k = static_cast<std::size_t>(rep->island);
        if (k >= k_islands || out[k] != nullptr) throw InternalError("island groups: bad report");
        out[k] = rep;
    }
    for (const auto* rep : out)
        if (rep == nullptr) throw InternalError("island groups: an island's report is missing");
    return out;
}

std::vector<IslandReport*> all_reports(std::vector<GroupMessage>& msgs) {
    std::vector<IslandReport*> out;
    for (auto& msg : msgs)
        for (auto& rep : msg.islands) out.push_back(&rep);
    return out;
}

// Provisional id of candidate i of island k in the slot-th unsynchronised generation
// (asynchronous groups): below -1, so that it is never a real id nor the "no id" -1.
constexpr std::int64_t kIndexBits = 31;
std::int64_t provisional_id(std::size_t slot, std::size_t k, std::size_t k_islands, std::size_t i) {
    return -2 - ((static_cast<std::int64_t>(slot * k_islands + k) << kIndexBits) + static_cast<std::int64_t>(i));
}
}  // namespace

void Optimizer::account_evaluations(std::int64_t g, const std::vector<IslandReport*>& reports,
                                    const std::vector<std::int64_t>& first_id, GenerationLog& log) {
    // The first strict improvement in island order, as one process scanning every candidate finds it.
    for (std::size_t k = 0; k < reports.size(); ++k) {
        const IslandReport& rep = *reports[k];
        log.islands[k].evaluations = rep.evaluated;
        log.islands[k].invalid = rep.invalid;
        log.invalid += rep.invalid;
        for (std::size_t m = 0; m < rep.message_index.size() && log.messages.size() < settings_.max_messages; ++m)
            log.messages.push_back("candidate " + std::to_string(first_id[k] + rep.message_index[m]) + " (island " +
                                   std::to_string(k) + "): " + rep.message_text[m]);
        if (rep.best_index >= 0 && (!best_.valid || rep.best.fitness < best_.individual.fitness)) {
            best_.valid = true;
            best_.individual = rep.best;
            best_.individual.id = first_id[k] + rep.best_index;
            best_.island = static_cast<std::int32_t>(k);
            best_.generation = g;
        }
    }
}

void Optimizer::account_generation(std::int64_t g, const std::vector<IslandReport*>& stats, double wall,
                                   GenerationLog log, std::int64_t batch, double seconds) {
    Moments mo;
    for (std::size_t k = 0; k < stats.size(); ++k) {
        auto& il = log.islands[k];
        il.best = stats[k]->log.best;
        il.mean = stats[k]->log.mean;
        il.std = stats[k]->log.std;
        mo = combine(mo, {stats[k]->valid, il.mean, il.std, stats[k]->m2});
    }
    log.mean = mo.mean;
    log.std = mo.std;
    log.best =
        best_.valid ? best_.individual.fitness : fitness_of(std::vector<double>(n_objectives_, settings_.penalty));
    log.evaluations = evaluations_;

    // Stagnation bookkeeping: an improvement counts only when larger than the tolerance.
    if (best_.valid &&
        (!termination_.has_reference ||
         best_.individual.fitness < termination_.reference - settings_.termination.stagnation_tolerance)) {
        termination_.has_reference = true;
        termination_.reference = best_.individual.fitness;
        termination_.last_improvement = g;
    }
    check_termination(g, wall);
    log.evals_per_second = seconds > 0.0 ? static_cast<double>(batch) / seconds : 0.0;
    log.elapsed = wall;
    history_.push_back(std::move(log));
}

void Optimizer::synchronise() {
    const std::size_t k_islands = islands_.size();
    GroupMessage mine;
    for (auto& msg : pending_)
        for (auto& rep : msg.islands) mine.islands.push_back(std::move(rep));
    mine.wall_time_used = wall_time_used();
    auto msgs = exchange(mine);
    const std::int64_t g0 = generation_ - static_cast<std::int64_t>(pending_.size());
    std::vector<std::vector<IslandReport*>> per_generation(pending_.size());
    for (auto* rep : all_reports(msgs)) {
        const std::int64_t slot = rep->generation - g0;
        if (slot < 0 || slot >= static_cast<std::int64_t>(pending_.size()))
            throw InternalError("island groups: a report of an unexpected generation");
        per_generation[static_cast<std::size_t>(slot)].push_back(rep);
    }
    const double wall = msgs.front().wall_time_used;
    std::vector<std::vector<std::int64_t>> first_ids;
    for (std::size_t slot = 0; slot < pending_.size(); ++slot) {
        const std::int64_t g = g0 + static_cast<std::int64_t>(slot);
        const auto reports = by_island(per_generation[slot], k_islands);
        std::vector<std::int64_t> first_id(k_islands);
        std::int64_t total = 0;
        for (std::size_t k = 0; k < k_islands; ++k) {
            first_id[k] = next_id_ + total;
            total += reports[k]->evaluated;
        }
        GenerationLog log;
        log.generation = g;
        log.islands.resize(k_islands);
        account_evaluations(g, reports, first_id, log);
        next_id_ += total;
        evaluations_ += total;
        account_generation(g, reports, wall, std::move(log), total, pending_seconds_[slot]);
        if (finished()) throw InternalError("asynchronous island groups stopped between synchronisation points");
        first_ids.push_back(std::move(first_id));
    }
    // The populations' provisional ids become the global ones.
    for (std::size_t k = 0; k < k_islands; ++k) {
        if (!owns(k)) continue;
        for (auto& ind : islands_[k].algorithm->population()) {
            if (ind.id >= -1) continue;
            const std::int64_t v = -2 - ind.id;
            const std::int64_t i = v & ((std::int64_t{1} << kIndexBits) - 1);
            const auto t = static_cast<std::size_t>(v >> kIndexBits);
            const std::size_t slot = t / k_islands, island = t % k_islands;
            if (slot >= first_ids.size() || island != k) throw InternalError("island groups: bad provisional id");
            ind.id = first_ids[slot][island] + i;
        }
    }
    pending_.clear();
    pending_seconds_.clear();
}

// The step of one process runs the ask/tell of its own islands; everything global is
// computed from the islands' reports in island order, on every process alike, with the
// same arithmetic in the same order as when one process holds every island.
bool Optimizer::step(Evaluator& evaluator) {
    if (finished()) return false;
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    const std::int64_t g = generation_;
    const bool sync = !asynchronous() || synchronisation_point(g);
    if (sync && !pending_.empty()) synchronise();
    const auto t1 = clock::now();

    Asked asked = ask_islands(g, sync);
    std::vector<EvalResult> results = evaluate_batch(evaluator, asked.batch);
    std::vector<std::vector<Individual>> evaluated;
    GroupMessage reports = score(asked, results, evaluated);
    GenerationLog log;
    log.generation = g;
    log.islands.resize(islands_.size());
    if (sync) record_evaluations(g, asked, reports, log);
    for (std::size_t j = 0; j < asked.islands.size(); ++j)
        islands_[asked.islands[j]].algorithm->tell(std::move(evaluated[j]), islands_[asked.islands[j]].rng);
    if (migration_due(g)) migrate_islands(asked.islands);
    generation_ = g + 1;

    if (!sync) {  // the statistics wait with the reports for the next synchronisation
        for (std::size_t j = 0; j < asked.islands.size(); ++j) island_statistics(asked.islands[j], reports.islands[j]);
        pending_.push_back(std::move(reports));
        pending_seconds_.push_back(std::chrono::duration<double>(clock::now() - t1).count());
        return true;
    }
    GroupMessage stats;
    for (const std::size_t k : asked.islands) island_statistics(k, stats.islands.emplace_back());
    stats.wall_time_used = wall_time_used();
    auto all = exchange(stats);
    // Wall time as group 0 measured it, so that every group takes the same decision.
    const double wall = all.front().wall_time_used;
    const double seconds = std::chrono::duration<double>(clock::now() - t0).count();
    account_generation(g, by_island(all_reports(all), islands_.size()), wall, std::move(log), asked.total, seconds);
    return !finished();
}

Optimizer::Asked Optimizer::ask_islands(std::int64_t g, bool sync) {
    const std::size_t k_islands = islands_.size();
    Asked a;
    a.generation = g;
    for (std::size_t k = 0; k < k_islands; ++k)
        if (owns(k)) a.islands.push_back(k);
    std::vector<std::vector<std::vector<double>>> xs(a.islands.size());
    GroupMessage sizes;
    for (std::size_t j = 0; j < a.islands.size(); ++j) {
        const std::size_t k = a.islands[j];
        xs[j] = islands_[k].algorithm->ask(islands_[k].rng);
        IslandReport& rep = sizes.islands.emplace_back();
        rep.island = static_cast<std::int32_t>(k);
        rep.evaluated = static_cast<std::int64_t>(xs[j].size());
    }
    // Candidate ids count through the islands in order: they need every island's batch
    // size. Between synchronisation points they are provisional, replaced in synchronise().
    a.first_id.assign(k_islands, 0);
    if (sync) {
        auto sizes_msgs = exchange(sizes);
        const auto sized = by_island(all_reports(sizes_msgs), k_islands);
        for (std::size_t k = 0; k < k_islands; ++k) {
            a.first_id[k] = next_id_ + a.total;
            a.total += sized[k]->evaluated;
        }
    }
    a.offset.assign(a.islands.size() + 1, 0);
    for (std::size_t j = 0; j < a.islands.size(); ++j) {
        const std::size_t k = a.islands[j];
        a.offset[j + 1] = a.offset[j] + xs[j].size();
        for (std::size_t i = 0; i < xs[j].size(); ++i) {
            Candidate c;
            c.x = std::move(xs[j][i]);
            c.id =
                sync ? a.first_id[k] + static_cast<std::int64_t>(i) : provisional_id(pending_.size(), k, k_islands, i);
            c.island = static_cast<std::int32_t>(k);
            c.generation = g;
            c.index = static_cast<std::int32_t>(i);
            c.seed = evaluation_seed(settings_, run_seed_, c.island, g, c.index);
            a.batch.push_back(std::move(c));
        }
    }
    return a;
}

std::vector<EvalResult> Optimizer::evaluate_batch(Evaluator& evaluator, const std::vector<Candidate>& batch) const {
    std::vector<EvalResult> results = evaluator.evaluate(batch);
    if (results.size() != batch.size())
        throw InternalError("evaluator returned " + std::to_string(results.size()) + " results for " +
                            std::to_string(batch.size()) + " candidates");
    // A result that breaks the contract counts as invalid, not as a value.
    for (EvalResult& r : results) {
        if (r.status != EvalStatus::ok) continue;
        if (r.objectives.size() != n_objectives_)
            r = EvalResult::invalid("objective vector has " + std::to_string(r.objectives.size()) +
                                    " entries, expected " + std::to_string(n_objectives_));
        else if (!std::all_of(r.objectives.begin(), r.objectives.end(), [](double v) { return std::isfinite(v); }))
            r = EvalResult::invalid("non-finite objective");
    }
    return results;
}

GroupMessage Optimizer::score(Asked& asked, std::vector<EvalResult>& results,
                              std::vector<std::vector<Individual>>& evaluated) const {
    const std::vector<double> penalised(n_objectives_, settings_.penalty);
    GroupMessage msg;
    evaluated.assign(asked.islands.size(), {});
    for (std::size_t j = 0; j < asked.islands.size(); ++j) {
        IslandReport& rep = msg.islands.emplace_back();
        rep.island = static_cast<std::int32_t>(asked.islands[j]);
        rep.generation = asked.generation;
        rep.evaluated = static_cast<std::int64_t>(asked.offset[j + 1] - asked.offset[j]);
        evaluated[j].reserve(asked.offset[j + 1] - asked.offset[j]);
        for (std::size_t i = asked.offset[j]; i < asked.offset[j + 1]; ++i) {
            EvalResult& r = results[i];
            Individual ind;
            ind.x = std::move(asked.batch[i].x);
            ind.id = asked.batch[i].id;
            ind.status = r.status;
            const auto index = static_cast<std::int32_t>(i - asked.offset[j]);
            if (r.status == EvalStatus::ok) {
                ind.objectives = std::move(r.objectives);
            } else {
                ind.objectives = penalised;
                ++rep.invalid;
                if (rep.message_index.size() < settings_.max_messages) {
                    rep.message_index.push_back(index);
                    rep.message_text.push_back(std::string(to_string(r.status)) + ": " + r.message);
                }
            }
            ind.fitness = fitness_of(ind.objectives);
            if (ind.status == EvalStatus::ok && (rep.best_index < 0 || ind.fitness < rep.best.fitness)) {
                rep.best_index = index;
                rep.best = ind;
            }
            evaluated[j].push_back(std::move(ind));
        }
    }
    return msg;
}

void Optimizer::record_evaluations(std::int64_t g, const Asked& asked, const GroupMessage& reports,
                                   GenerationLog& log) {
    auto msgs = exchange(reports);
    account_evaluations(g, by_island(all_reports(msgs), islands_.size()), asked.first_id, log);
    next_id_ += asked.total;
    evaluations_ += asked.total;
}

bool Optimizer::migration_due(std::int64_t g) const {
    const auto& m = settings_.migration;
    return g > 0 && islands_.size() > 1 && m.topology != Topology::none &&
           g % static_cast<std::int64_t>(m.interval) == 0;
}

void Optimizer::island_statistics(std::size_t k, IslandReport& rep) const {
    const auto& pop = islands_[k].algorithm->population();
    rep.island = static_cast<std::int32_t>(k);
    rep.log.best = std::numeric_limits<double>::quiet_NaN();
    for (const auto& ind : pop)
        if (!(ind.fitness >= rep.log.best)) rep.log.best = ind.fitness;
    const auto mo = moments(pop);
    rep.log.mean = mo.mean;
    rep.log.std = mo.std;
    rep.valid = mo.n;
    rep.m2 = mo.m2;
}

void Optimizer::check_termination(std::int64_t g, std::optional<double> wall_time) {
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
    else if (wall_time && t.wall_time && *wall_time >= *t.wall_time)
        r = TerminationReason::wall_time;
}

void Optimizer::run(Evaluator& evaluator, const std::function<void(const GenerationLog&)>& observer) {
    while (!finished()) {
        const std::size_t logged = history_.size();
        step(evaluator);  // asynchronous groups log several generations at once, or none
        if (observer)
            for (std::size_t i = logged; i < history_.size(); ++i) observer(history_[i]);
    }
}

IslandState Optimizer::island_state(std::size_t k) const {
    const auto& is = islands_[k];
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
    return out;
}

Optimizer::Island Optimizer::island_from_state(std::size_t k, const IslandState& in) const {
    auto bad = [k](const std::string& what) {
        throw InputError("cannot restore the optimizer state: island " + std::to_string(k) + " " + what);
    };
    const std::size_t d = bounds_.dim(), m = n_objectives_;
    const std::size_t n = in.fitness.size();
    if (in.population.size() != n * d || in.objectives.size() != n * m || in.ids.size() != n || in.status.size() != n)
        bad("has inconsistent array sizes");
    Island is{make_island_algorithm(settings_.islands[k], bounds_), Rng(in.rng)};
    auto& pop = is.algorithm->population();
    for (std::size_t i = 0; i < n; ++i) {
        if (in.status[i] < 0 || in.status[i] > 2) bad("has a bad status value");
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
    return is;
}

// One migration event. With island groups every process draws the same plan from the
// populations' sizes and receives only the emigrants of the islands it does not hold.
void Optimizer::migrate_islands(const std::vector<std::size_t>& mine) {
    const auto& m = settings_.migration;
    // NSGA-II islands migrate Pareto-aware (rank, then crowding).
    auto pareto = [&](std::size_t k) { return settings_.islands[k].algorithm == Algorithm::nsga2; };
    if (m.migrants == 0) return;  // no draws
    const std::size_t k_islands = islands_.size();
    GroupMessage sizes;
    for (const std::size_t k : mine) {
        IslandReport& rep = sizes.islands.emplace_back();
        rep.island = static_cast<std::int32_t>(k);
        rep.population = static_cast<std::int64_t>(islands_[k].algorithm->population().size());
    }
    auto sizes_msgs = exchange(sizes);
    std::vector<std::size_t> size(k_islands);
    for (const auto* rep : by_island(all_reports(sizes_msgs), k_islands))
        size[static_cast<std::size_t>(rep->island)] = static_cast<std::size_t>(rep->population);
    const auto plan = plan_migration(size, m, migration_rng_);
    GroupMessage leaving_msg;
    for (const std::size_t k : mine) {
        IslandReport& rep = leaving_msg.islands.emplace_back();
        rep.island = static_cast<std::int32_t>(k);
        rep.emigrants = emigrants(islands_[k].algorithm->population(), plan, k, m, pareto(k));
    }
    auto leaving_msgs = exchange(leaving_msg);
    std::vector<std::vector<Individual>> leaving(k_islands);
    for (auto* rep : by_island(all_reports(leaving_msgs), k_islands))
        leaving[static_cast<std::size_t>(rep->island)] = std::move(rep->emigrants);
    for (const std::size_t k : mine) immigrate(islands_[k].algorithm->population(), plan, k, leaving, m, pareto(k));
}

void Optimizer::share_islands(bool leader_only) {
    if (groups_->groups() == 1) return;
    GroupMessage mine;
    for (std::size_t k = 0; k < islands_.size(); ++k)
        if (owns(k)) {
            IslandReport rep;
            rep.island = static_cast<std::int32_t>(k);
            rep.state = island_state(k);
            mine.islands.push_back(std::move(rep));
        }
    for (const auto& msg : leader_only ? groups_->gather(mine) : groups_->allgather(mine))
        for (const auto& rep : msg.islands) {
            const auto k = static_cast<std::size_t>(rep.island);
            if (k >= islands_.size()) throw InternalError("island groups: bad island index");
            if (!owns(k)) islands_[k] = island_from_state(k, rep.state);
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
    for (std::size_t k = 0; k < islands_.size(); ++k) s.islands.push_back(island_state(k));
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
    std::vector<Island> islands;
    for (std::size_t k = 0; k < s.islands.size(); ++k) {
        if (s.islands[k].fitness.empty() != (s.generation == 0))
            bad("island " + std::to_string(k) + " population does not fit generation");
        islands.push_back(island_from_state(k, s.islands[k]));
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
    pending_.clear();
    pending_seconds_.clear();
    if (generation_ > 0) check_termination(generation_ - 1, std::nullopt);
}

}  // namespace snnfit::opt
