// The optimizer's complete state as plain data — populations, RNG streams, counters,
// termination bookkeeping, best-so-far and history — for checkpoints (HDF5 or
// Boost.Serialization) and for restoring a run that continues bit-identically.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include "common/rng.hpp"
#include "opt/island_algorithm.hpp"

namespace snnfit::opt {

// Boost.Serialization of snnfit::RngState, field by field (no std::array header needed).
template <class Archive>
void serialize_rng(Archive& ar, RngState& s) {
    for (auto& w : s.key) ar& w;
    for (auto& w : s.counter) ar& w;
    for (auto& w : s.buffer) ar& w;
    ar& s.used& s.has_normal& s.cached_normal;
}

enum class TerminationReason : std::int32_t {
    none = 0,  // still running
    generations,
    evaluations,
    target,
    stagnation,
    wall_time,
};
const char* to_string(TerminationReason r) noexcept;

// One island's line of a generation's log.
struct IslandLog {
    double best = 0.0;  // best fitness in the island's population after this generation
    double mean = 0.0;  // over valid members (status ok); NaN when none is valid
    double std = 0.0;
    std::int64_t evaluations = 0;  // in this generation
    std::int64_t invalid = 0;      // invalid or failed, in this generation

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& best& mean& std& evaluations& invalid;
    }
    bool operator==(const IslandLog&) const = default;
};

// The structured per-generation log the observer receives and the history keeps.
// evals_per_second and elapsed are wall-clock figures: the only non-reproducible fields.
struct GenerationLog {
    std::int64_t generation = 0;   // 0 = the initial population
    std::int64_t evaluations = 0;  // cumulative
    double best = 0.0;             // best fitness found so far (penalty if none valid yet)
    double mean = 0.0;             // over the valid members of all islands' populations
    double std = 0.0;
    std::int64_t invalid = 0;  // invalid or failed evaluations in this generation
    double evals_per_second = 0.0;
    double elapsed = 0.0;               // seconds of wall time since the run started
    std::vector<std::string> messages;  // the first few failure messages of this generation
    std::vector<IslandLog> islands;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& generation& evaluations& best& mean& std& invalid& evals_per_second& elapsed& messages& islands;
    }
    bool operator==(const GenerationLog&) const = default;
};

// The best individual found so far, where and when.
struct BestSoFar {
    bool valid = false;  // false until some evaluation was ok
    Individual individual;
    std::int32_t island = 0;
    std::int64_t generation = 0;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& valid& individual& island& generation;
    }
    bool operator==(const BestSoFar&) const = default;
};

// One island, laid out as the checkpoint stores it: row-major matrices.
struct IslandState {
    std::vector<double> population;    // n x dim
    std::vector<double> objectives;    // n x n_objectives
    std::vector<double> fitness;       // n
    std::vector<std::int64_t> ids;     // n
    std::vector<std::int32_t> status;  // n, EvalStatus values
    RngState rng;
    std::vector<double> operator_state;  // algorithm-specific; empty for the GA

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& population& objectives& fitness& ids& status;
        serialize_rng(ar, rng);
        ar& operator_state;
    }
    bool operator==(const IslandState&) const = default;
};

struct TerminationState {
    double reference = 0.0;  // best fitness at the last improvement (stagnation)
    bool has_reference = false;
    std::int64_t last_improvement = 0;  // generation of the last improvement
    double wall_time_used = 0.0;        // seconds, summed over resumed segments
    TerminationReason reason = TerminationReason::none;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& reference& has_reference& last_improvement& wall_time_used& reason;
    }
    bool operator==(const TerminationState&) const = default;
};

struct OptimizerState {
    static constexpr std::int32_t kFormat = 1;
    std::int32_t format = kFormat;
    std::uint64_t run_seed = 0;
    std::uint64_t dim = 0;
    std::uint64_t n_objectives = 0;
    std::int64_t generation = 0;   // the next generation to run (0 before the initial one)
    std::int64_t evaluations = 0;  // done so far
    std::int64_t next_id = 0;      // id of the next candidate
    std::vector<IslandState> islands;
    RngState migration_rng;
    TerminationState termination;
    BestSoFar best;
    std::vector<GenerationLog> history;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& format& run_seed& dim& n_objectives& generation& evaluations& next_id& islands;
        serialize_rng(ar, migration_rng);
        ar& termination& best& history;
    }
    bool operator==(const OptimizerState&) const = default;
};

// Zeroes the wall-clock fields (elapsed, evaluations per second, wall time used), which
// are the only parts of a state that differ between two identical runs.
void clear_timing(OptimizerState& s);

// The log as text: a header and one tab-separated line per generation.
std::string log_header();
std::string log_line(const GenerationLog& g);

}  // namespace snnfit::opt
