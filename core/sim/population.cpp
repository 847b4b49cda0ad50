#include "sim/population.hpp"

#include <fmt/format.h>

#include "common/error.hpp"
#include "model/registry.hpp"
#include "sim/draw.hpp"

namespace snnfit::sim {

namespace {

template <class M>
std::unique_ptr<Population> build(const model::PopulationSpec& spec, double dt, Rng& rng) {
    std::map<std::string, double> constants;
    std::vector<std::pair<double M::Params::*, const model::Distribution*>> varying;
    bool any_scaled = false;
    for (const auto& [name, d] : spec.params) {
        if (d.is_constant()) {
            constants[name] = d.a;
            continue;
        }
        for (const auto& f : M::fields())
            if (f.name == name) varying.emplace_back(f.member, &d);
        any_scaled |= d.kind == model::Distribution::Kind::scaled;
    }
    const typename M::Params base = model::make_params<M>(spec.preset, constants);
    const auto n = static_cast<std::size_t>(spec.size);
    std::vector<typename M::Coeffs> coeffs;
    std::vector<typename M::State> state;
    coeffs.reserve(n);
    state.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        typename M::Params p = base;
        if (!varying.empty()) {
            const double r = any_scaled ? rng.uniform() : 0.0;
            for (const auto& [member, d] : varying) p.*member = draw(*d, rng, r);
            try {
                M::validate(p);
            } catch (const ParameterError& e) {
                throw ParameterError(fmt::format("population {} neuron {}: {}", spec.name, i, e.what()));
            }
        }
        coeffs.push_back(M::prepare(p, dt));
        state.push_back(M::initial_state(p));
    }
    return std::make_unique<PopulationOf<M>>(std::move(coeffs), std::move(state));
}

}  // namespace

std::unique_ptr<Population> make_population(const model::PopulationSpec& spec, double dt, Rng& rng) {
    return model::visit_model(spec.model, [&](auto tag) -> std::unique_ptr<Population> {
        return build<typename decltype(tag)::type>(spec, dt, rng);
    });
}

// Instantiated here in full: clang 14 (the libFuzzer build) emits the vtable of the
// make_unique'd PopulationOf<M> without instantiating its virtual functions.
template class PopulationOf<model::Lif>;
template class PopulationOf<model::AdEx>;
template class PopulationOf<model::HodgkinHuxley>;
template class PopulationOf<model::Izhikevich2003>;
template class PopulationOf<model::Izhikevich2007>;

}  // namespace snnfit::sim
