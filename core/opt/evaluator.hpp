// Evaluation of candidate batches: the seam between the generation loop and where the
// fitness is computed (this process, a thread pool, or MPI workers in mpi/).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

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

// A fixed pool of threads (the calling thread is one of them) that take candidates one at
// a time from a shared counter: dynamic scheduling, because evaluation times of
// different candidates differ by orders of magnitude.
class ThreadEvaluator : public Evaluator {
public:
    // threads <= 0 means std::thread::hardware_concurrency().
    ThreadEvaluator(Objective f, int threads);
    ~ThreadEvaluator() override;
    ThreadEvaluator(const ThreadEvaluator&) = delete;
    ThreadEvaluator& operator=(const ThreadEvaluator&) = delete;

    std::vector<EvalResult> evaluate(const std::vector<Candidate>& batch) override;
    int threads() const { return static_cast<int>(workers_.size()) + 1; }

private:
    void work_loop();
    void drain();

    Objective f_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable start_;
    std::condition_variable done_;
    const std::vector<Candidate>* batch_ = nullptr;
    std::vector<EvalResult>* out_ = nullptr;
    std::atomic<std::size_t> next_{0};  // next candidate to hand out
    std::size_t busy_ = 0;              // workers still inside the current batch
    std::uint64_t epoch_ = 0;           // incremented per batch, so workers see new work
    bool stop_ = false;
};

}  // namespace snnfit::opt
