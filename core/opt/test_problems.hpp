// Classic test functions for the optimizer's tests and benchmarks (minimum 0 at the
// origin for sphere and Rastrigin, at (1, ..., 1) for Rosenbrock).
#pragma once

#include <cmath>
#include <numbers>
#include <span>
#include <stdexcept>

#include "common/rng.hpp"
#include "opt/evaluator.hpp"
#include "opt/settings.hpp"

namespace snnfit::opt::test_problems {

inline double sphere(std::span<const double> x) {
    double s = 0.0;
    for (double v : x) s += v * v;
    return s;
}

// 10 d + sum (x^2 - 10 cos(2 pi x)); many local minima on the integer grid.
inline double rastrigin(std::span<const double> x) {
    double s = 10.0 * static_cast<double>(x.size());
    for (double v : x) s += v * v - 10.0 * std::cos(2.0 * std::numbers::pi * v);
    return s;
}

inline double rosenbrock(std::span<const double> x) {
    double s = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i) {
        const double a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i];
        s += 100.0 * a * a + b * b;
    }
    return s;
}

// A single-objective Objective from one of the functions above (the seed is unused).
inline Objective objective(double (*f)(std::span<const double>)) {
    return [f](std::span<const double> x, std::uint64_t) { return EvalResult::ok({f(x)}); };
}

inline Bounds box(std::size_t dim, double lo, double hi) {
    return {std::vector<double>(dim, lo), std::vector<double>(dim, hi)};
}

// Two objectives: sphere plus seed-dependent noise, and a seed-dependent uniform; failing
// (throwing) in one corner and invalid in another, so that seeds, penalties and failure
// handling are exercised together.
inline EvalResult noisy_sphere(std::span<const double> x, std::uint64_t seed) {
    if (x[0] > 0.9) throw std::runtime_error("corner");
    if (x[1] > 0.9) return EvalResult::invalid("runaway");
    Rng r(seed, 0);
    return EvalResult::ok({sphere(x) + 0.01 * r.normal(), r.uniform()});
}

}  // namespace snnfit::opt::test_problems
