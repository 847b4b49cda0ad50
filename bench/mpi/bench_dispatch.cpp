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
//   mpirun -n N bench_dispatch groups R ISLANDS POP GENS [async]
//       The whole generation loop (opt::Optimizer, GA islands of POP on a 4-vector, ring
//       migration every 5 generations) on the trivial objective, with island groups of R
//       ranks exactly as `snnfit run --group-size R` forms them (mpi/island_groups), GENS
//       generations after an untimed one. Per generation, on world rank 0: the step's wall
//       time, the time inside evaluate() (dispatch to its group's workers), inside the
//       exchanges with the other groups (waiting for them included), and the rest: the
//       sub-master's own serial work (its islands' GA and the bookkeeping). Prints the
//       medians, but the mean of the exchanges (they are concentrated at migrations, and with
//       `async`, as `snnfit run --async-groups`, at synchronisation points only): "ranks
//       groups islands batch gen_ms evaluate_ms serial_ms exchange_ms evals_per_s".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/mpi/packed_iarchive.hpp>
#include <boost/mpi/packed_oarchive.hpp>

#include "island_groups.hpp"
#include "master_evaluator.hpp"
#include "messages.hpp"
#include "opt/optimizer.hpp"

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

double mean(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x;
    return v.empty() ? 0.0 : s / static_cast<double>(v.size());
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

// f(), its wall time added to `seconds`.
template <class F>
auto timed(double& seconds, F&& f) {
    const double t0 = now();
    auto r = f();
    seconds += now() - t0;
    return r;
}

// Times the evaluate() calls of the evaluator it wraps.
class TimedEvaluator : public snnfit::opt::Evaluator {
public:
    explicit TimedEvaluator(snnfit::opt::Evaluator& inner) : inner_(inner) {}
    std::vector<EvalResult> evaluate(const std::vector<Candidate>& batch) override {
        return timed(seconds, [&] { return inner_.evaluate(batch); });
    }
    double seconds = 0.0;

private:
    snnfit::opt::Evaluator& inner_;
};

// Times the exchanges of the island groups it wraps.
class TimedGroups : public snnfit::opt::IslandGroups {
public:
    explicit TimedGroups(snnfit::opt::IslandGroups& inner) : inner_(inner) {}
    int group() const override { return inner_.group(); }
    int groups() const override { return inner_.groups(); }
    std::vector<snnfit::opt::GroupMessage> allgather(const snnfit::opt::GroupMessage& mine) override {
        return timed(seconds, [&] { return inner_.allgather(mine); });
    }
    std::vector<snnfit::opt::GroupMessage> gather(const snnfit::opt::GroupMessage& mine) override {
        return timed(seconds, [&] { return inner_.gather(mine); });
    }
    double seconds = 0.0;

private:
    snnfit::opt::IslandGroups& inner_;
};

int groups(bm::communicator& world, int group_size, std::size_t islands, std::size_t pop, int gens,
           bool asynchronous) {
    namespace opt = snnfit::opt;
    const int r = snnfit::mpi::group_size(world.size(), group_size);
    const int n_groups = snnfit::mpi::group_count(world.size(), r);
    const bool sub_master = world.rank() % r == 0;
    const bm::communicator group = world.split(world.rank() / r, world.rank());
    const bm::communicator subs = world.split(sub_master ? 0 : 1, world.rank());
    if (!sub_master) {
        snnfit::mpi::worker_loop(group, trivial, 1);
        return 0;
    }
    opt::Settings s;
    s.islands.assign(islands, opt::IslandSettings{});
    for (auto& is : s.islands) is.population = pop;
    s.migration.topology = opt::Topology::ring;
    s.migration.interval = 5;
    s.termination.generations = gens;  // generations 0 .. gens
    opt::Optimizer o(s, opt::Bounds{std::vector<double>(4, 0.0), std::vector<double>(4, 1.0)}, 1, 1);
    std::optional<snnfit::mpi::SubMasterGroups> g;
    std::optional<TimedGroups> timed;
    if (n_groups > 1) {
        g.emplace(subs);
        timed.emplace(*g);
        o.set_groups(&*timed, asynchronous);
    }
    snnfit::mpi::MasterEvaluator master(group);
    std::optional<opt::ThreadEvaluator> own;
    if (group.size() == 1) own.emplace(trivial, 1);
    TimedEvaluator ev(own ? static_cast<opt::Evaluator&>(*own) : master);
    std::vector<double> gen, eval, serial, exchange;
    o.step(ev);  // untimed: the initial population, and the master learns the cost
    while (!o.finished()) {
        ev.seconds = 0.0;
        if (timed) timed->seconds = 0.0;
        const double t0 = now();
        o.step(ev);
        const double dt = now() - t0;
        const double ex = timed ? timed->seconds : 0.0;
        gen.push_back(dt);
        eval.push_back(ev.seconds);
        exchange.push_back(ex);
        serial.push_back(dt - ev.seconds - ex);
    }
    master.stop();
    if (world.rank() == 0)
        std::printf("%d\t%d\t%zu\t%zu\t%.4g\t%.4g\t%.4g\t%.4g\t%.6g\n", world.size(), n_groups, islands,
                    islands * pop, 1e3 * median(gen), 1e3 * median(eval), 1e3 * median(serial),
                    1e3 * mean(exchange),
                    static_cast<double>(islands * pop) / median(gen));
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
    if (mode == "groups" && (argc == 6 || (argc == 7 && std::string(argv[6]) == "async")))
        return groups(world, std::atoi(argv[2]), std::strtoull(argv[3], nullptr, 10),
                      std::strtoull(argv[4], nullptr, 10), std::atoi(argv[5]), argc == 7);
    if (world.rank() == 0)
        std::fprintf(stderr,
                     "usage: mpirun -n N bench_dispatch throughput BATCH REPS | mpirun -n 2 bench_dispatch pingpong "
                     "REPS | mpirun -n N bench_dispatch groups R ISLANDS POP GENS [async]\n");
    return 2;
}
