// snnfit's optimizer overhead per evaluation on a trivial fitness (sphere), run the
// same way as the DEAP and pagmo2 peers: one island, tournament of 3, SBX (eta 15,
// crossover probability 0.9), polynomial mutation (eta 20, 1/d per gene), serial
// evaluation. Prints "snnfit<TAB>microseconds per evaluation<TAB>evaluations<TAB>best".
//   bench_ga_overhead POPULATION GENERATIONS DIM REPS
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "opt/optimizer.hpp"
#include "opt/test_problems.hpp"

using namespace snnfit::opt;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s POPULATION GENERATIONS DIM REPS\n", argv[0]);
        return 2;
    }
    const auto pop = static_cast<std::size_t>(std::atol(argv[1]));
    const auto gens = std::atol(argv[2]);
    const auto dim = static_cast<std::size_t>(std::atol(argv[3]));
    const int reps = std::atoi(argv[4]);
    Settings s;
    s.islands[0].population = pop;
    s.termination.generations = gens;
    double best_us = 1e300, best_f = 0.0;
    std::int64_t evals = 0;
    for (int r = 0; r < reps; ++r) {
        Optimizer opt(s, test_problems::box(dim, -5.0, 5.0), 1, static_cast<std::uint64_t>(r + 1));
        SerialEvaluator ev(test_problems::objective(test_problems::sphere));
        const auto t0 = std::chrono::steady_clock::now();
        opt.run(ev);
        const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        evals = opt.evaluations();
        const double us = 1e6 * sec / static_cast<double>(evals);
        if (us < best_us) best_us = us, best_f = opt.best().individual.fitness;
    }
    std::printf("snnfit\t%.6g\t%lld\t%.3g\n", best_us, static_cast<long long>(evals), best_f);
}
