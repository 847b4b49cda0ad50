// pagmo2's sga with the same operators and budget as bench_ga_overhead: tournament of 3,
// SBX (eta 15, probability 0.9), polynomial mutation (eta 20, probability 1/d per gene).
// Prints "pagmo<TAB>microseconds per evaluation<TAB>evaluations<TAB>best".
//   bench_ga_pagmo POPULATION GENERATIONS DIM REPS
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include <pagmo/algorithms/sga.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>

namespace {
struct sphere {
    unsigned dim = 10;
    pagmo::vector_double fitness(const pagmo::vector_double& x) const {
        double s = 0.0;
        for (double v : x) s += v * v;
        return {s};
    }
    std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
        return {pagmo::vector_double(dim, -5.0), pagmo::vector_double(dim, 5.0)};
    }
};
}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s POPULATION GENERATIONS DIM REPS\n", argv[0]);
        return 2;
    }
    const auto pop = static_cast<unsigned>(std::atol(argv[1]));
    const auto gens = static_cast<unsigned>(std::atol(argv[2]));
    const auto dim = static_cast<unsigned>(std::atol(argv[3]));
    const int reps = std::atoi(argv[4]);
    double best_us = 1e300, best_f = 0.0;
    unsigned long long evals = 0;
    for (int r = 0; r < reps; ++r) {
        pagmo::problem prob{sphere{dim}};
        pagmo::algorithm algo{pagmo::sga(gens, 0.9, 15.0, 1.0 / dim, 20.0, 3u, "sbx", "polynomial", "tournament",
                                         static_cast<unsigned>(r + 1))};
        const auto t0 = std::chrono::steady_clock::now();
        pagmo::population p{prob, pop, static_cast<unsigned>(r + 1)};
        p = algo.evolve(p);
        const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        evals = p.get_problem().get_fevals();
        const double us = 1e6 * sec / static_cast<double>(evals);
        if (us < best_us) best_us = us, best_f = p.champion_f()[0];
    }
    std::printf("pagmo\t%.6g\t%llu\t%.3g\n", best_us, evals, best_f);
}
