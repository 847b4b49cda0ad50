// Evaluations to reach a tolerance and wall time per evaluation, snnfit's island
// algorithm against pagmo2's, same problem, population and budget, several seeds.
// Rosenbrock 10-D on [-5, 10]^10: best f < 1e-6. ZDT1 30-D: hypervolume of the first
// front w.r.t. (1, 1) within 0.01 of the true 2/3. Both sides advance one generation at
// a time and are checked after each; an unsolved seed counts as the budget (censored).
// Prints per case: "case<TAB>pagmo median evals<TAB>snnfit median evals<TAB>pagmo us/eval
// <TAB>snnfit us/eval<TAB>pagmo solved<TAB>snnfit solved<TAB>seeds".
//   bench_algorithms CASE SEEDS     CASE: de_rand1bin de_best1bin jde cmaes nsga2
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <pagmo/algorithm.hpp>
#include <pagmo/algorithms/cmaes.hpp>
#include <pagmo/algorithms/de.hpp>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/algorithms/sade.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/utils/multi_objective.hpp>

#include "opt/optimizer.hpp"
#include "opt/pareto.hpp"
#include "opt/test_problems.hpp"

namespace tp = snnfit::opt::test_problems;

namespace {
constexpr double kTol = 1e-6, kHvGap = 0.01;

struct Rosenbrock {
    pagmo::vector_double fitness(const pagmo::vector_double& x) const { return {tp::rosenbrock(x)}; }
    std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
        return {pagmo::vector_double(10, -5.0), pagmo::vector_double(10, 10.0)};
    }
};
struct Zdt1 {
    pagmo::vector_double fitness(const pagmo::vector_double& x) const {
        const auto f = tp::zdt(1, x);
        return {f[0], f[1]};
    }
    pagmo::vector_double::size_type get_nobj() const { return 2; }
    std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
        return {pagmo::vector_double(30, 0.0), pagmo::vector_double(30, 1.0)};
    }
};

double hv_of(const std::vector<std::vector<double>>& objectives) {
    std::vector<snnfit::opt::Individual> pop(objectives.size());
    for (std::size_t i = 0; i < pop.size(); ++i) pop[i].objectives = objectives[i], pop[i].id = static_cast<long>(i);
    std::vector<std::array<double, 2>> pts;
    for (const auto& ind : snnfit::opt::pareto_front(pop)) pts.push_back({ind.objectives[0], ind.objectives[1]});
    return snnfit::opt::hypervolume_2d(pts, {1.0, 1.0});
}

struct Outcome {
    long evaluations = 0;  // to reach the tolerance, or the budget
    bool solved = false;
    double us_per_eval = 0.0;
};

struct Case {
    std::string name;
    bool zdt = false;
    unsigned population = 50;
    long budget = 0;
    std::function<pagmo::algorithm(unsigned seed)> pagmo_algo;
    std::function<snnfit::opt::IslandSettings()> ours;
};

bool reached(bool zdt, const pagmo::population& p) {
    if (!zdt) return p.champion_f()[0] < kTol;
    return hv_of(p.get_f()) > 2.0 / 3.0 - kHvGap;
}

Outcome run_pagmo(const Case& c, unsigned seed) {
    const auto t0 = std::chrono::steady_clock::now();
    pagmo::problem prob = c.zdt ? pagmo::problem{Zdt1{}} : pagmo::problem{Rosenbrock{}};
    pagmo::population pop{prob, c.population, seed};
    pagmo::algorithm algo = c.pagmo_algo(seed);
    Outcome o;
    while (!(o.solved = reached(c.zdt, pop)) && static_cast<long>(pop.get_problem().get_fevals()) < c.budget)
        pop = algo.evolve(pop);
    o.evaluations = static_cast<long>(pop.get_problem().get_fevals());
    o.us_per_eval = 1e6 * std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() /
                    static_cast<double>(o.evaluations);
    return o;
}

Outcome run_snnfit(const Case& c, unsigned seed) {
    using namespace snnfit::opt;
    const auto t0 = std::chrono::steady_clock::now();
    Settings s;
    s.islands = {c.ours()};
    s.termination.evaluations = c.budget;
    Outcome o;
    if (c.zdt) {
        Optimizer opt(s, tp::box(30, 0.0, 1.0), 2, seed);
        SerialEvaluator ev([](std::span<const double> x, std::uint64_t) {
            const auto f = tp::zdt(1, x);
            return EvalResult::ok({f[0], f[1]});
        });
        auto hv_ok = [&] {
            std::vector<std::vector<double>> f;
            for (const auto& ind : opt.population(0)) f.push_back(ind.objectives);
            return hv_of(f) > 2.0 / 3.0 - kHvGap;
        };
        while (opt.step(ev) && !(o.solved = hv_ok())) {
        }
        if (!o.solved) o.solved = hv_ok();
        o.evaluations = opt.evaluations();
    } else {
        s.termination.target = kTol * (1.0 - 1e-12);  // strictly below, as pagmo's check
        Optimizer opt(s, tp::box(10, -5.0, 10.0), 1, seed);
        SerialEvaluator ev(tp::objective(tp::rosenbrock));
        opt.run(ev);
        o.solved = opt.best().individual.fitness < kTol;
        o.evaluations = opt.evaluations();
    }
    o.us_per_eval = 1e6 * std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() /
                    static_cast<double>(o.evaluations);
    return o;
}

template <class T>
double median(std::vector<T> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? static_cast<double>(v[n / 2]) : 0.5 * static_cast<double>(v[n / 2 - 1] + v[n / 2]);
}

std::vector<Case> cases() {
    using namespace snnfit::opt;
    auto de_island = [](DeVariant v) {
        return [v] {
            IslandSettings s;
            s.algorithm = Algorithm::de;
            s.de_variant = v;
            s.population = 50;
            return s;
        };
    };
    return {
        {"de_rand1bin", false, 50, 400000,
         [](unsigned seed) { return pagmo::algorithm{pagmo::de(1, 0.8, 0.9, 7, 0.0, 0.0, seed)}; },
         de_island(DeVariant::rand1bin)},
        {"de_best1bin", false, 50, 400000,
         [](unsigned seed) { return pagmo::algorithm{pagmo::de(1, 0.8, 0.9, 6, 0.0, 0.0, seed)}; },
         de_island(DeVariant::best1bin)},
        {"jde", false, 50, 400000,
         [](unsigned seed) { return pagmo::algorithm{pagmo::sade(1, 7, 1, 0.0, 0.0, true, seed)}; },
         de_island(DeVariant::jde)},
        {"cmaes", false, 10, 100000,
         [](unsigned seed) {
             // pagmo's sigma0 is relative to the box width too; bounds forced by clipping.
             return pagmo::algorithm{pagmo::cmaes(1, -1, -1, -1, -1, 0.3, 0.0, 0.0, true, true, seed)};
         },
         [] {
             IslandSettings s;
             s.algorithm = Algorithm::cmaes;
             s.population = 10;
             s.cmaes_sigma0 = 0.3;
             return s;
         }},
        {"nsga2", true, 100, 100000,
         [](unsigned seed) { return pagmo::algorithm{pagmo::nsga2(1, 0.9, 15.0, 1.0 / 30.0, 20.0, seed)}; },
         [] {
             IslandSettings s;
             s.algorithm = Algorithm::nsga2;
             s.population = 100;
             return s;
         }},
    };
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s CASE SEEDS\n", argv[0]);
        return 2;
    }
    const std::string name = argv[1];
    const int seeds = std::atoi(argv[2]);
    for (const auto& c : cases()) {
        if (c.name != name) continue;
        std::vector<long> pe, oe;
        std::vector<double> pt, ot;
        int ps = 0, os = 0;
        for (int k = 1; k <= seeds; ++k) {
            const auto p = run_pagmo(c, static_cast<unsigned>(k));
            const auto o = run_snnfit(c, static_cast<unsigned>(k));
            pe.push_back(p.evaluations), pt.push_back(p.us_per_eval), ps += p.solved;
            oe.push_back(o.evaluations), ot.push_back(o.us_per_eval), os += o.solved;
            std::fprintf(stderr, "%s seed %d: pagmo %ld evals (%s) %.3g us/eval; snnfit %ld evals (%s) %.3g us/eval\n",
                         name.c_str(), k, p.evaluations, p.solved ? "solved" : "not solved", p.us_per_eval,
                         o.evaluations, o.solved ? "solved" : "not solved", o.us_per_eval);
        }
        std::printf("%s\t%.0f\t%.0f\t%.4g\t%.4g\t%d\t%d\t%d\n", name.c_str(), median(pe), median(oe), median(pt),
                    median(ot), ps, os, seeds);
        return 0;
    }
    std::fprintf(stderr, "unknown case %s\n", name.c_str());
    return 2;
}
