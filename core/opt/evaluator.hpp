// Evaluation of candidate batches: the seam between the generation loop and where the
// fitness is computed (this process, a thread pool, or MPI workers in mpi/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "common/parallel.hpp"
#include "opt/candidate.hpp"

namespace snnfit::opt {

// A pure function of (x, seed): thread-safe, no global state, no files. It may throw;
// evaluators turn the exception into a failed result carrying what().
using Objective = std::function<EvalResult(std::span<const double> x, std::uint64_t seed)>;

// Batch in, results out in the same order. The generation loop cannot tell which
// implementation it talks to, so results must not depend on how work is split.
class Evaluator {
public:
    virtual ~Evaluator() = default;
    virtual std::vector<EvalResult> evaluate(const std::vector<Candidate>& batch) = 0;
};

// Calls f(x, seed) once per candidate, exceptions becoming failed results.
EvalResult evaluate_one(const Objective& f, const Candidate& c);

class SerialEvaluator : public Evaluator {
public:
    explicit SerialEvaluator(Objective f);
    std::vector<EvalResult> evaluate(const std::vector<Candidate>& batch) override;

private:
    Objective f_;
};

// The candidates of a batch on a team of threads (the calling thread is one of them),
// handed out one at a time: dynamic scheduling, because evaluation times of different
// candidates differ by orders of magnitude.
class ThreadEvaluator : public Evaluator {
public:
    // threads <= 0 means one per core.
    ThreadEvaluator(Objective f, int threads);

    std::vector<EvalResult> evaluate(const std::vector<Candidate>& batch) override;
    int threads() const { return team_.threads(); }

private:
    Objective f_;
    ThreadTeam team_;
};

}  // namespace snnfit::opt
