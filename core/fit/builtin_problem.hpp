// Built-in test problems a config can select with a [problem] table instead of a neuron
// model (sphere, Rosenbrock, Rastrigin, ZDT1-3), so that algorithm settings can be tried
// and tested without simulating anything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "fit/problem.hpp"
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
// A config whose root has a [problem] table, as the problem kind parse_fit_config builds:
// beside it only [optimizer] and [checkpoint] are allowed.
ProblemConfig builtin_problem_config(const io::ConfigTable& root);

// The test function as a fit problem: variables x1 ... xd, objectives f1, f2, ...; no
// simulation, no targets; the seed is not used.
class BuiltinFit final : public Problem {
public:
    explicit BuiltinFit(BuiltinProblem p);
    const BuiltinProblem& function() const { return p_; }
    const ParameterSpace& space() const override { return space_; }
    std::size_t objectives() const override { return p_.objectives(); }
    std::vector<std::string> objective_labels() const override;
    std::vector<std::string> objective_populations() const override;
    std::string describe_objectives() const override;
    opt::EvalResult evaluate(std::span<const double> x, std::uint64_t seed) const override;
    sim::SimResult simulate(const std::vector<double>&, std::uint64_t) const override { return {}; }

private:
    BuiltinProblem p_;
    ParameterSpace space_;
};

}  // namespace snnfit::fit
