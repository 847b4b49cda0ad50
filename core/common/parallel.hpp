// The one way snnfit runs work on several threads (oneTBB underneath): the candidates of
// a batch, the rows of a distance matrix, the seeds of a validation. Results go to slots
// by index, so they never depend on which thread computed what.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace snnfit {

class ThreadTeam {
public:
    // threads <= 0: one per core. More threads than cores are capped at one per core: the
    // work is CPU-bound, and a thread the system cannot create must not end the process.
    explicit ThreadTeam(int threads);
    ~ThreadTeam();
    ThreadTeam(const ThreadTeam&) = delete;
    ThreadTeam& operator=(const ThreadTeam&) = delete;

    int threads() const { return threads_; }
    // f(i) once for every i in [0, n), the calling thread taking part. Indices are handed
    // out one at a time to whichever thread is free (evaluation times differ by orders of
    // magnitude). f must not throw: catch inside and store the error in the slot.
    void for_each(std::size_t n, const std::function<void(std::size_t)>& f);

private:
    struct Impl;
    int threads_;
    std::unique_ptr<Impl> impl_;
};

// The number of threads "0 = one per core" stands for.
int hardware_threads();

}  // namespace snnfit
