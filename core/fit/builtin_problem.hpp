// Built-in test problems a config can select with a [problem] table instead of a neuron
// model (sphere, Rosenbrock, Rastrigin, ZDT1-3), so that algorithm settings can be tried
// and tested without simulating anything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "io/config.hpp"

namespace snnfit::fit {

struct BuiltinProblem {
    enum class Kind { sphere, rosenbrock, rastrigin, zdt1, zdt2, zdt3 };
    Kind kind = Kind::sphere;
    std::size_t dimension = 10;
    double lo = -5.12, hi = 5.12;  // the same bounds for every variable
    std::uint64_t seed = 1;        // [problem] seed: the run seed, as [fit] seed of a neuron fit

    const std::string& name() const;
    std::size_t objectives() const;  // 1, or 2 for ZDT
    std::vector<double> evaluate(std::span<const double> x) const;
};

// [problem]: builtin (required), dimension, lo, hi (not for ZDT, defined on [0, 1]).
// Defaults: dimension 10 (30 for ZDT); bounds [-5.12, 5.12] for sphere and Rastrigin,
// [-5, 10] for Rosenbrock; seed 1. Calls t.finish().
BuiltinProblem parse_builtin_problem(const io::ConfigTable& t);

}  // namespace snnfit::fit
