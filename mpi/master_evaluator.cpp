#include "master_evaluator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include <fmt/format.h>
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/status.hpp>

#include "common/error.hpp"
#include "messages.hpp"

namespace snnfit::mpi {

namespace {
// A chunk should carry about this much work, so the per-message cost (tens of µs)
// stays small against it, while several chunks per worker per batch keep the load
// balanced when evaluation times vary.
constexpr double kChunkSeconds = 0.02;
constexpr std::size_t kChunksPerWorker = 4;
// Beyond ~1000 candidates a message costs more per candidate, not less (bench/mpi:
// 0.4 µs per candidate at 256-1024, 0.8-1.9 µs at 16 384; see docs/scaling-model.md).
constexpr std::size_t kMaxChunk = 1024;

// Waits for a message without holding a core: polls for kSpin (short round trips stay
// as fast as a blocking receive, which in Open MPI spins), then sleeps between polls,
// the pause doubling up to kMaxPause (Linux adds its ~50 us timer slack). A rank that
// waits for a chunk, or for the master's GA between generations, then leaves its core to
// the ranks or threads that compute (more ranks than cores, or a master beside a threaded
// worker on one node). Measured on 3 ranks / 2 cores (bench/mpi ONLY=efficiency, network
// fit): a spinning wait gave 0.76 generation-loop efficiency; pauses up to 1 ms 0.71
// (the reply latency idles workers), up to 250 us 0.86, up to 40-100 us 0.89-0.91.
constexpr auto kSpin = std::chrono::microseconds(50);
constexpr auto kMaxPause = std::chrono::microseconds(40);

boost::mpi::status wait_for(const boost::mpi::communicator& comm, int source, int tag) {
    const auto t0 = std::chrono::steady_clock::now();
    auto pause = std::chrono::microseconds(10);
    for (;;) {
        if (auto st = comm.iprobe(source, tag)) return *st;
        if (std::chrono::steady_clock::now() - t0 < kSpin) continue;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, kMaxPause);
    }
}
}  // namespace

MasterEvaluator::MasterEvaluator(boost::mpi::communicator world) : world_(std::move(world)) {}

MasterEvaluator::~MasterEvaluator() {
    try {
        stop();
    } catch (...) {  // never throw from a destructor; MPI_Finalize will still run
    }
}

void MasterEvaluator::stop() {
    if (stopped_) return;
    stopped_ = true;
    for (int r = 1; r < world_.size(); ++r) world_.send(r, tag_stop);
}

std::size_t MasterEvaluator::chunk_size(std::size_t remaining) const {
    const auto n_workers = static_cast<std::size_t>(std::max(1, workers()));
    // Balance: at least kChunksPerWorker chunks per worker in a batch ...
    const std::size_t balanced = std::max<std::size_t>(1, remaining / (n_workers * kChunksPerWorker));
    if (seconds_per_eval_ <= 0.0)
        return std::min<std::size_t>(balanced, 1);  // unknown cost: start with single evaluations
    // ... but no chunk smaller than kChunkSeconds of work when evaluations are cheap.
    const auto by_cost = static_cast<std::size_t>(std::ceil(kChunkSeconds / seconds_per_eval_));
    return std::max<std::size_t>(1, std::min({balanced, by_cost, kMaxChunk}));
}

std::vector<opt::EvalResult> MasterEvaluator::evaluate(const std::vector<opt::Candidate>& batch) {
    if (stopped_) throw InternalError("MasterEvaluator used after stop()");
    std::vector<opt::EvalResult> results(batch.size());
    std::size_t next = 0, outstanding = 0;
    auto send_chunk = [&](int rank) {
        Request req;
        req.first = static_cast<std::int64_t>(next);
        const std::size_t n = chunk_size(batch.size() - next);
        const std::size_t end = std::min(batch.size(), next + n);
        req.candidates.assign(batch.begin() + static_cast<std::ptrdiff_t>(next),
                              batch.begin() + static_cast<std::ptrdiff_t>(end));
        next = end;
        world_.send(rank, tag_request, req);
        ++messages_;
        ++outstanding;
    };
    for (int r = 1; r < world_.size() && next < batch.size(); ++r) send_chunk(r);
    while (outstanding > 0) {
        Reply rep;
        const auto from = wait_for(world_, boost::mpi::any_source, tag_reply);
        const auto st = world_.recv(from.source(), tag_reply, rep);
        --outstanding;
        for (std::size_t i = 0; i < rep.results.size(); ++i)
            results[static_cast<std::size_t>(rep.first) + i] = std::move(rep.results[i]);
        if (!rep.results.empty()) {
            // Exponential average of the per-evaluation cost, as the workers measured it.
            const double per = rep.seconds / static_cast<double>(rep.results.size());
            seconds_per_eval_ = seconds_per_eval_ <= 0.0 ? per : 0.7 * seconds_per_eval_ + 0.3 * per;
        }
        if (next < batch.size()) send_chunk(st.source());
    }
    return results;
}

void worker_loop(boost::mpi::communicator world, const opt::Objective& f, int threads) {
    // Failures carry the rank in MPI_COMM_WORLD (not in `world`, which may be an island
    // group's communicator), so a message in the master's log says where it happened.
    const int rank = boost::mpi::communicator().rank();
    opt::Objective tagged = [&f, rank](std::span<const double> x, std::uint64_t seed) {
        try {
            return f(x, seed);
        } catch (const std::exception& e) {
            return opt::EvalResult::failed(fmt::format("rank {}: {}", rank, e.what()));
        }
    };
    opt::ThreadEvaluator evaluator(tagged, threads);
    for (;;) {
        const auto st = wait_for(world, 0, boost::mpi::any_tag);
        if (st.tag() == tag_stop) {
            world.recv(0, tag_stop);
            return;
        }
        Request req;
        world.recv(0, tag_request, req);
        const auto t0 = std::chrono::steady_clock::now();
        Reply rep;
        rep.first = req.first;
        rep.results = evaluator.evaluate(req.candidates);
        rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        world.send(0, tag_reply, rep);
    }
}

}  // namespace snnfit::mpi
