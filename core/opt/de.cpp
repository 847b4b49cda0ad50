#include "opt/de.hpp"

#include <algorithm>
#include <string>

#include "common/error.hpp"
#include "opt/operators.hpp"

namespace snnfit::opt {

namespace {
// jDE's constants (Brest et al. 2006): F is redrawn in [Fl, Fl + Fu] with probability
// tau1, CR in [0, 1] with probability tau2; both start at 0.5 and 0.9.
constexpr double kTau1 = 0.1, kTau2 = 0.1, kFl = 0.1, kFu = 0.9, kF0 = 0.5, kCr0 = 0.9;

// An index of [0, n) that is none of `taken` (n > taken.size()).
std::size_t draw_other(Rng& rng, std::size_t n, std::initializer_list<std::size_t> taken) {
    for (;;) {
        const std::size_t r = rng.below(n);
        if (std::find(taken.begin(), taken.end(), r) == taken.end()) return r;
    }
}
}  // namespace

DifferentialEvolution::DifferentialEvolution(IslandSettings s, Bounds b)
    : PopulationAlgorithm(std::move(s), std::move(b)) {}

std::vector<std::vector<double>> DifferentialEvolution::ask(Rng& rng) {
    const std::size_t n = population_.size(), d = b_.dim();
    if (n == 0) return random_population(rng, s_.population, b_);
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::size_t best = 0;
    for (std::size_t i = 1; i < n; ++i)
        if (population_[i].fitness < population_[best].fitness) best = i;
    const bool jde = s_.de_variant == DeVariant::jde;
    trial_f_.assign(n, s_.de_f);
    trial_cr_.assign(n, s_.de_cr);
    std::vector<std::vector<double>> out(n, std::vector<double>(d));
    for (std::size_t i = 0; i < n; ++i) {
        if (jde) {
            trial_f_[i] = rng.uniform() < kTau1 ? kFl + kFu * rng.uniform() : f_[i];
            trial_cr_[i] = rng.uniform() < kTau2 ? rng.uniform() : cr_[i];
        }
        const double f = trial_f_[i], cr = trial_cr_[i];
        const bool from_best = s_.de_variant == DeVariant::best1bin;
        const std::size_t r1 = draw_other(rng, n, {i, from_best ? best : none});
        const std::size_t r2 = draw_other(rng, n, {i, r1, from_best ? best : none});
        const std::size_t base = from_best ? best : draw_other(rng, n, {i, r1, r2});
        const auto& xb = population_[base].x;
        const auto& x1 = population_[r1].x;
        const auto& x2 = population_[r2].x;
        const auto& target = population_[i].x;
        const std::size_t forced = rng.below(d);  // at least one gene from the mutant
        auto& trial = out[i];
        for (std::size_t j = 0; j < d; ++j)
            trial[j] = (j == forced || rng.uniform() < cr) ? xb[j] + f * (x1[j] - x2[j]) : target[j];
        apply_bounds(trial, b_, s_.bounds);
    }
    return out;
}

void DifferentialEvolution::tell(std::vector<Individual> evaluated, Rng& /*rng*/) {
    if (population_.empty()) {
        population_ = std::move(evaluated);
        if (s_.de_variant == DeVariant::jde) {
            f_.assign(population_.size(), kF0);
            cr_.assign(population_.size(), kCr0);
        }
        return;
    }
    for (std::size_t i = 0; i < population_.size() && i < evaluated.size(); ++i) {
        if (!(evaluated[i].fitness <= population_[i].fitness)) continue;
        population_[i] = std::move(evaluated[i]);
        if (s_.de_variant == DeVariant::jde) {
            f_[i] = trial_f_[i];
            cr_[i] = trial_cr_[i];
        }
    }
}

std::vector<double> DifferentialEvolution::operator_state() const {
    std::vector<double> out = f_;
    out.insert(out.end(), cr_.begin(), cr_.end());
    return out;
}

void DifferentialEvolution::set_operator_state(std::span<const double> state) {
    const std::size_t n = population_.size();
    const std::size_t expected = s_.de_variant == DeVariant::jde ? 2 * n : 0;
    if (state.size() != expected)
        throw InputError("differential evolution: operator state has " + std::to_string(state.size()) +
                         " numbers, expected " + std::to_string(expected));
    f_.assign(state.begin(), state.begin() + static_cast<std::ptrdiff_t>(expected / 2));
    cr_.assign(state.begin() + static_cast<std::ptrdiff_t>(expected / 2), state.end());
}

}  // namespace snnfit::opt
