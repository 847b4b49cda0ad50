#include "common/parallel.hpp"

#include <algorithm>
#include <thread>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace snnfit {

int hardware_threads() {
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

struct ThreadTeam::Impl {
    explicit Impl(int threads) : arena(threads) {}
    tbb::task_arena arena;
};

ThreadTeam::ThreadTeam(int threads)
    : threads_(threads > 0 ? std::min(threads, hardware_threads()) : hardware_threads()),
      impl_(std::make_unique<Impl>(threads_)) {}

ThreadTeam::~ThreadTeam() = default;

void ThreadTeam::for_each(std::size_t n, const std::function<void(std::size_t)>& f) {
    if (n == 0) return;
    if (threads_ == 1 || n == 1) {
        for (std::size_t i = 0; i < n; ++i) f(i);
        return;
    }
    impl_->arena.execute([&] {
        // Grain 1 with the simple partitioner: one index per task, taken by any free thread.
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, n, 1),
            [&](const tbb::blocked_range<std::size_t>& r) {
                for (std::size_t i = r.begin(); i != r.end(); ++i) f(i);
            },
            tbb::simple_partitioner());
    });
}

}  // namespace snnfit
