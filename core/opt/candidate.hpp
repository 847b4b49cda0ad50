// What travels between the optimizer and whoever evaluates: a candidate parameter
// vector with its identity and evaluation seed, and the result that comes back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

namespace snnfit::opt {

// ok: objectives are valid. invalid: the model misbehaved (NaN state, runaway firing,
// parameter out of bounds). failed: the evaluation threw. Both non-ok statuses get the
// penalty fitness and are counted; they never stop a run.
enum class EvalStatus : std::int32_t { ok = 0, invalid = 1, failed = 2 };

const char* to_string(EvalStatus s) noexcept;

// One parameter vector to evaluate. (island, generation, index) is its identity; the
// evaluation seed is derived from it (or shared by all, under common random numbers).
struct Candidate {
    std::vector<double> x;
    std::uint64_t seed = 0;
    std::int64_t id = -1;  // unique within a run, increasing in batch order
    std::int32_t island = 0;
    std::int64_t generation = 0;
    std::int32_t index = 0;  // position within its island's batch

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& x& seed& id& island& generation& index;
    }
    bool operator==(const Candidate&) const = default;
};

struct EvalResult {
    std::vector<double> objectives;
    EvalStatus status = EvalStatus::ok;
    std::string message;  // why it is invalid or failed; empty when ok

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& objectives& status& message;
    }
    bool operator==(const EvalResult&) const = default;

    static EvalResult ok(std::vector<double> objectives) { return {std::move(objectives), EvalStatus::ok, {}}; }
    static EvalResult invalid(std::string why) { return {{}, EvalStatus::invalid, std::move(why)}; }
    static EvalResult failed(std::string why) { return {{}, EvalStatus::failed, std::move(why)}; }
};

}  // namespace snnfit::opt
