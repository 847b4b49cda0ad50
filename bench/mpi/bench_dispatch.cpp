// The master's side of MPI evaluation, measured on a trivial objective (the sum of a
// 4-vector, like the single-cell fit's genome), so only dispatch is timed:
//
//   mpirun -n N bench_dispatch throughput BATCH REPS
//       mpi::MasterEvaluator + mpi::worker_loop (1 thread per worker) exactly as `snnfit
//       run` uses them; one untimed batch first (the master learns the evaluation cost),
//       then REPS batches of BATCH candidates. Prints (rank 0)
//       "ranks workers batch evals_per_s(best) evals_per_s(median) messages_per_batch".
//   mpirun -n 2 bench_dispatch pingpong REPS
//       The cost of one chunk of k candidates, k = 1 ... 16384, two ways. "rtt": a
//       Request of k candidates to the worker and its Reply back, through the same
//       messages and Boost.MPI calls the master uses (minimum and median over REPS round
//       trips). "master": the master's own CPU work for that chunk in-process -- pack the
//       Request, unpack the Reply (Boost.MPI packed archives, what send/recv do) -- the
//       minimum over REPS. Prints "k rtt_min_us rtt_median_us master_pack_unpack_us".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/mpi/packed_iarchive.hpp>
#include <boost/mpi/packed_oarchive.hpp>

#include "master_evaluator.hpp"
#include "messages.hpp"

namespace bm = boost::mpi;
using snnfit::opt::Candidate;
using snnfit::opt::EvalResult;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

EvalResult trivial(std::span<const double> x, std::uint64_t /*seed*/) {
    double s = 0.0;
    for (double v : x) s += v;
    return EvalResult::ok({s});
}

std::vector<Candidate> make_batch(std::size_t n) {
    std::vector<Candidate> b(n);
    for (std::size_t i = 0; i < n; ++i) {
        b[i].x = {0.01 * static_cast<double>(i), 0.2, -65.0, 8.0};
        b[i].seed = 12345 + i;
        b[i].id = static_cast<std::int64_t>(i);
        b[i].index = static_cast<std::int32_t>(i % 40);
    }
    return b;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int throughput(bm::communicator& world, std::size_t batch_size, int reps) {
    if (world.rank() != 0) {
        snnfit::mpi::worker_loop(world, trivial, 1);
        return 0;
    }
    snnfit::mpi::MasterEvaluator master(world);
    const auto batch = make_batch(batch_size);
    master.evaluate(batch);  // untimed: the master learns the per-evaluation cost
    std::vector<double> rates;
    const std::int64_t m0 = master.messages();
    for (int r = 0; r < reps; ++r) {
        const double t0 = now();
        const auto res = master.evaluate(batch);
        rates.push_back(static_cast<double>(res.size()) / (now() - t0));
        if (res.back().objectives.at(0) != batch.back().x[0] + 0.2 - 65.0 + 8.0) {
            std::fprintf(stderr, "bench_dispatch: wrong result\n");
            return 1;
        }
    }
    const double per_batch = static_cast<double>(master.messages() - m0) / reps;
    std::printf("%d\t%d\t%zu\t%.6g\t%.6g\t%.1f\n", world.size(), master.workers(), batch_size,
                *std::max_element(rates.begin(), rates.end()), median(rates), per_batch);
    return 0;
}

int pingpong(bm::communicator& world, int reps) {
    using snnfit::mpi::Reply;
    using snnfit::mpi::Request;
    const std::vector<std::size_t> ks = {1, 4, 16, 64, 256, 1024, 4096, 16384};
    if (world.rank() == 1) {
        for (std::size_t k : ks) {
            (void)k;
            for (int r = 0; r < reps; ++r) {
                Request req;
                world.recv(0, snnfit::mpi::tag_request, req);
                Reply rep;
                rep.first = req.first;
                for (const auto& c : req.candidates) rep.results.push_back(trivial(c.x, c.seed));
                world.send(0, snnfit::mpi::tag_reply, rep);
            }
        }
        return 0;
    }
    if (world.rank() != 0) return 0;
    for (std::size_t k : ks) {
        Request req;
        req.candidates = make_batch(k);
        std::vector<double> rtt;
        for (int r = 0; r < reps; ++r) {
            const double t0 = now();
            world.send(1, snnfit::mpi::tag_request, req);
            Reply rep;
            world.recv(1, snnfit::mpi::tag_reply, rep);
            rtt.push_back(now() - t0);
        }
        // The master's own work for one chunk, without the wire: pack the Request, unpack a Reply.
        Reply reply;
        for (const auto& c : req.candidates) reply.results.push_back(trivial(c.x, c.seed));
        bm::packed_oarchive::buffer_type reply_buf;
        {
            bm::packed_oarchive oa(world, reply_buf);
            oa << reply;
        }
        double best = 1e30;
        for (int r = 0; r < reps; ++r) {
            const double t0 = now();
            bm::packed_oarchive::buffer_type buf;
            {
                bm::packed_oarchive oa(world, buf);
                oa << req;
            }
            bm::packed_oarchive::buffer_type in = reply_buf;  // copy: recv fills a fresh buffer too
            bm::packed_iarchive ia(world, in);
            Reply back;
            ia >> back;
            best = std::min(best, now() - t0);
        }
        std::printf("%zu\t%.4g\t%.4g\t%.4g\n", k, 1e6 * *std::min_element(rtt.begin(), rtt.end()),
                    1e6 * median(rtt), 1e6 * best);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    bm::environment env(argc, argv, bm::threading::funneled);
    bm::communicator world;
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "throughput" && argc == 4 && world.size() >= 2)
        return throughput(world, std::strtoull(argv[2], nullptr, 10), std::atoi(argv[3]));
    if (mode == "pingpong" && argc == 3 && world.size() == 2) return pingpong(world, std::atoi(argv[2]));
    if (world.rank() == 0)
        std::fprintf(stderr,
                     "usage: mpirun -n N bench_dispatch throughput BATCH REPS | mpirun -n 2 bench_dispatch pingpong "
                     "REPS\n");
    return 2;
}
