// The MPI master/worker evaluator under mpirun: results equal the serial evaluator's,
// in candidate order, whatever the batch size and rank count; worker exceptions come
// back as failed results naming the rank. Every rank exits with the same status.
#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

#include "master_evaluator.hpp"

using namespace snnfit;

namespace {

opt::EvalResult objective(std::span<const double> x, std::uint64_t seed) {
    if (x[0] < 0) throw std::runtime_error("negative input");
    if (x[0] > 1000) return opt::EvalResult::invalid("too large");
    return opt::EvalResult::ok({std::sin(x[0]) + static_cast<double>(seed % 97), x[0] * x[0]});
}

std::vector<opt::Candidate> batch_of(std::size_t n, double first = 0.0) {
    std::vector<opt::Candidate> b(n);
    for (std::size_t i = 0; i < n; ++i) {
        b[i].x = {first + static_cast<double>(i) * 0.37};
        b[i].seed = 1000 + i;
        b[i].id = static_cast<std::int64_t>(i);
    }
    return b;
}

// Rank 0 runs `master`; the others serve it until it stops them.
template <class F>
void as_master(F&& master) {
    boost::mpi::communicator world;
    if (world.rank() == 0) {
        mpi::MasterEvaluator ev(world);
        master(ev);
        ev.stop();
    } else {
        mpi::worker_loop(world, objective, 1);
    }
}

}  // namespace

TEST(MasterEvaluator, ResultsEqualTheSerialEvaluatorInOrder) {
    as_master([](mpi::MasterEvaluator& ev) {
        opt::SerialEvaluator serial(objective);
        for (std::size_t n : {0u, 1u, 2u, 5u, 64u, 1000u}) {
            const auto b = batch_of(n);
            EXPECT_EQ(ev.evaluate(b), serial.evaluate(b)) << "batch of " << n;
        }
    });
}

TEST(MasterEvaluator, WorkerExceptionsAreFailedResultsNamingTheRank) {
    as_master([](mpi::MasterEvaluator& ev) {
        auto b = batch_of(6);
        b[2].x = {-1.0};
        b[4].x = {2000.0};
        const auto r = ev.evaluate(b);
        ASSERT_EQ(r.size(), 6u);
        EXPECT_EQ(r[2].status, opt::EvalStatus::failed);
        EXPECT_EQ(r[2].message.rfind("rank ", 0), 0u) << r[2].message;
        EXPECT_NE(r[2].message.find("negative input"), std::string::npos);
        EXPECT_EQ(r[4].status, opt::EvalStatus::invalid);
        EXPECT_EQ(r[4].message, "too large");
        EXPECT_EQ(r[0].status, opt::EvalStatus::ok);
    });
}

TEST(MasterEvaluator, CheapEvaluationsAreBatched) {
    as_master([](mpi::MasterEvaluator& ev) {
        (void)ev.evaluate(batch_of(2000));  // measures the cost per evaluation
        const auto before = ev.messages();
        (void)ev.evaluate(batch_of(20000));
        // Far fewer messages than candidates once the cost is known to be tiny.
        EXPECT_LT(ev.messages() - before, 200) << "chunk size " << ev.chunk_size(20000);
    });
}

int main(int argc, char** argv) {
    boost::mpi::environment env(argc, argv);
    boost::mpi::communicator world;
    ::testing::InitGoogleTest(&argc, argv);
    // Only rank 0 prints; every rank returns the worst status of all ranks.
    if (world.rank() != 0) {
        auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
        delete listeners.Release(listeners.default_result_printer());
    }
    const int local = RUN_ALL_TESTS();
    int global = 0;
    boost::mpi::all_reduce(world, local, global, boost::mpi::maximum<int>());
    return global;
}
