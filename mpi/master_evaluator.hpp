// The Evaluator of rank 0 in an MPI run: it cuts each batch into chunks and hands
// them to worker ranks on demand (dynamic load balancing), sizing chunks from the
// measured evaluation time, and reassembles results in candidate order.
#pragma once

#include <cstdint>
#include <vector>

#include <boost/mpi/communicator.hpp>

#include "opt/evaluator.hpp"

namespace snnfit::mpi {

class MasterEvaluator : public opt::Evaluator {
public:
    // `world` has rank 0 = this master and ranks 1..n-1 = workers already running
    // worker_loop(). The destructor stops the workers (also on an exception).
    explicit MasterEvaluator(boost::mpi::communicator world);
    ~MasterEvaluator() override;
    MasterEvaluator(const MasterEvaluator&) = delete;
    MasterEvaluator& operator=(const MasterEvaluator&) = delete;

    std::vector<opt::EvalResult> evaluate(const std::vector<opt::Candidate>& batch) override;
    // Tells every worker to leave its loop; idempotent.
    void stop();

    int workers() const { return world_.size() - 1; }
    std::int64_t messages() const { return messages_; }
    // The chunk size the next batch starts from (for tests and the benchmark).
    std::size_t chunk_size(std::size_t remaining) const;

private:
    boost::mpi::communicator world_;
    double seconds_per_eval_ = 0.0;  // running estimate from workers' replies; 0 = unknown
    std::int64_t messages_ = 0;
    bool stopped_ = false;
};

// The loop of every rank > 0: receive chunks, evaluate them with `f` on `threads`
// threads (exceptions become failed results carrying the rank), reply, until stopped.
void worker_loop(boost::mpi::communicator world, const opt::Objective& f, int threads);

}  // namespace snnfit::mpi
