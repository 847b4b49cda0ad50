// The island-model optimizer: K islands, each running its own algorithm with its own
// random stream, evaluated together in one batch per generation, with migration,
// termination, a structured log, and a state that checkpoints and restores exactly.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "common/rng.hpp"
#include "opt/evaluator.hpp"
#include "opt/island_algorithm.hpp"
#include "opt/island_groups.hpp"
#include "opt/settings.hpp"
#include "opt/state.hpp"

namespace snnfit::opt {

// Evaluation seed of a candidate, the one place the seed policy is applied: under
// SeedPolicy::common shared by every candidate of the run (s.common_seed, or one derived
// from the run seed), else derived from its identity (run seed, island, generation, index).
std::uint64_t evaluation_seed(const Settings& s, std::uint64_t run_seed, std::int64_t island, std::int64_t generation,
                              std::int64_t index);

class Optimizer {
public:
    // Throws snnfit::ParameterError when the settings or the bounds are inconsistent.
    Optimizer(Settings settings, Bounds bounds, std::size_t n_objectives, std::uint64_t run_seed);
    ~Optimizer();
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    // Runs one generation of all islands (generation 0 is the initial population), every
    // island's candidates going to the evaluator in one evaluate() call, then migration
    // and the termination check. Returns whether the run goes on; a finished optimizer
    // does nothing and returns false. So `while (opt.step(ev)) {}` runs to the end.
    // With island groups (set_groups), each process asks/tells and evaluates only its own
    // islands, and step() is collective: the groups exchange what the global bookkeeping
    // (ids, best, counters, log, termination) needs, and the emigrants at a migration, so
    // every process ends the generation with the same global state.
    bool step(Evaluator& evaluator);
    // step() until finished, calling observer (if any) after every generation.
    void run(Evaluator& evaluator, const std::function<void(const GenerationLog&)>& observer = {});

    bool finished() const { return termination_.reason != TerminationReason::none; }
    TerminationReason termination_reason() const { return termination_.reason; }
    std::int64_t generation() const { return generation_; }  // the next generation to run
    std::int64_t evaluations() const { return evaluations_; }
    const BestSoFar& best() const { return best_; }
    const std::vector<GenerationLog>& history() const { return history_; }
    const std::vector<Individual>& population(std::size_t island) const;
    std::size_t islands() const { return islands_.size(); }
    const Settings& settings() const { return settings_; }
    const Bounds& bounds() const { return bounds_; }

    // Runs only the islands `groups` assigns to this process (island k: group k mod G).
    // Throws snnfit::ParameterError when there are fewer islands than groups. `groups`
    // must outlive the optimizer; nullptr: the local default, every island here.
    // asynchronous: the groups exchange only at synchronisation points (see
    // synchronised()) instead of every generation, when the termination limits allow it:
    // only a generation limit (no target, stagnation, evaluation or wall-time limit, which
    // need every generation's global figures as it ends). Synchronisation points: migration
    // generations, the generation limit, every kMaxUnsynchronised-th completed generation,
    // and every sync_every-th (0: none) for the caller (a fit checkpoints there).
    // Results are the same either way.
    void set_groups(IslandGroups* groups, bool asynchronous = false, std::int64_t sync_every = 0);
    static constexpr std::int64_t kMaxUnsynchronised = 10;
    // Whether the last step() ended with every process holding the global state: counters,
    // best, history and termination up to date. Always true without asynchronous groups;
    // between synchronisation points history() lags behind generation().
    bool synchronised() const { return pending_.empty(); }
    // Collective with groups: every process (only group 0 with leader_only, before it
    // writes state() to a checkpoint) receives the current state of every island.
    // Nothing to do with one group.
    void share_islands(bool leader_only = false);

    // The complete state, and its restoration: a restored optimizer continues exactly as
    // the one the state was taken from (wall-clock figures aside). Termination limits
    // come from this optimizer's settings, so a finished run can be continued with a
    // larger limit. restore() throws snnfit::InputError if the state does not fit.
    OptimizerState state() const;
    void restore(const OptimizerState& s);

private:
    struct Island {
        std::unique_ptr<IslandAlgorithm> algorithm;
        Rng rng;
    };
    // One generation of this process's islands, asked: the candidates in island order,
    // each island's slice of the batch, and (when synchronised) the global ids.
    struct Asked {
        std::int64_t generation = 0;
        std::vector<std::size_t> islands;  // this process's islands, in order
        std::vector<Candidate> batch;
        std::vector<std::size_t> offset;     // islands[j]'s candidates: batch[offset[j], offset[j + 1])
        std::vector<std::int64_t> first_id;  // by island index
        std::int64_t total = 0;              // candidates of every process
    };
    Asked ask_islands(std::int64_t g, bool sync);
    // The evaluator's results, a result that breaks the contract (objective count, NaN) made invalid.
    std::vector<EvalResult> evaluate_batch(Evaluator& evaluator, const std::vector<Candidate>& batch) const;
    // Penalties and fitness: the evaluated individuals of each island, and each island's
    // report (invalid count, messages, its best).
    GroupMessage score(Asked& asked, std::vector<EvalResult>& results,
                       std::vector<std::vector<Individual>>& evaluated) const;
    // Collective: every island's evaluation report into the log, the best and the counters.
    void record_evaluations(std::int64_t g, const Asked& asked, const GroupMessage& reports, GenerationLog& log);
    bool migration_due(std::int64_t g) const;
    // Island k's population statistics for the log.
    void island_statistics(std::size_t k, IslandReport& rep) const;
    double fitness_of(const std::vector<double>& objectives) const;
    bool owns(std::size_t island) const { return groups_->owns(island); }
    std::vector<GroupMessage> exchange(const GroupMessage& mine) { return groups_->allgather(mine); }
    bool asynchronous() const;
    bool synchronisation_point(std::int64_t g) const;
    // The global bookkeeping of generation g from every island's report (by island index):
    // after evaluation (counts, messages, best), and after tell and migration (the log's
    // statistics, stagnation, termination, history).
    void account_evaluations(std::int64_t g, const std::vector<IslandReport*>& reports,
                             const std::vector<std::int64_t>& first_id, GenerationLog& log);
    void account_generation(std::int64_t g, const std::vector<IslandReport*>& stats, double wall, GenerationLog log,
                            std::int64_t batch, double seconds);
    // Asynchronous groups: the reports of the generations run since the last
    // synchronisation, exchanged and accounted in generation order; the provisional ids
    // of their candidates replaced by the global ones.
    void synchronise();
    // One migration event over all islands; with groups, exchanging only the emigrants.
    void migrate_islands(const std::vector<std::size_t>& mine);
    IslandState island_state(std::size_t k) const;
    // Island k from its stored state; throws snnfit::InputError when the arrays do not fit.
    Island island_from_state(std::size_t k, const IslandState& in) const;
    // Checks the limits after generation g; wall time (seconds used, when given) last, so
    // that the reason is reproducible whenever a deterministic limit is reached at the same time.
    void check_termination(std::int64_t g, std::optional<double> wall_time);
    double wall_time_used() const;

    Settings settings_;
    Bounds bounds_;
    std::size_t n_objectives_;
    std::uint64_t run_seed_;
    std::vector<Island> islands_;
    Rng migration_rng_;
    std::int64_t generation_ = 0;
    std::int64_t evaluations_ = 0;
    std::int64_t next_id_ = 0;
    TerminationState termination_;
    BestSoFar best_;
    std::vector<GenerationLog> history_;
    LocalGroups local_;
    IslandGroups* groups_ = &local_;
    bool asynchronous_ = false;
    std::int64_t sync_every_ = 0;
    // Asynchronous groups: this process's reports of each generation since the last
    // synchronisation (islands tagged with the generation), and each one's step time.
    std::vector<GroupMessage> pending_;
    std::vector<double> pending_seconds_;
    std::chrono::steady_clock::time_point segment_start_;  // wall time of this process's share
};

}  // namespace snnfit::opt
