// The list of neuron models snnfit knows, their runtime descriptions (for config
// checking and `snnfit simulate --list-models`), and dispatch from a model's name to
// its type. Adding a model = its header + one entry in NeuronModels.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "common/error.hpp"
#include "model/adex.hpp"
#include "model/hodgkin_huxley.hpp"
#include "model/izhikevich2003.hpp"
#include "model/izhikevich2007.hpp"
#include "model/lif.hpp"

namespace snnfit::model {

using NeuronModels = std::tuple<Izhikevich2003, Izhikevich2007, AdEx, Lif, HodgkinHuxley>;

struct ParamInfo {
    std::string name, unit, doc;
    double default_value;
};

struct ModelInfo {
    std::string name, description, integrator;
    std::vector<ParamInfo> params;
    std::vector<Preset> presets;
    bool has_param(std::string_view p) const;
    const Preset* find_preset(std::string_view p) const;
    std::string param_names() const;   // "a, b, c" for messages
    std::string preset_names() const;
};

const std::vector<ModelInfo>& model_catalog();
const ModelInfo* find_model(std::string_view name);
std::string model_names();  // "izhikevich2003, adex, ..." for messages

template <class M>
struct ModelTag {
    using type = M;
};

// Calls f(ModelTag<M>{}) for the model named `name`; throws ParameterError if unknown.
template <class F>
decltype(auto) visit_model(std::string_view name, F&& f) {
    using R = decltype(f(ModelTag<std::tuple_element_t<0, NeuronModels>>{}));
    if constexpr (std::is_void_v<R>) {
        bool found = false;
        std::apply([&](auto... m) { ((found = found || (decltype(m)::name == name ? (f(ModelTag<decltype(m)>{}), true) : false)), ...); },
                   NeuronModels{});
        if (!found) throw ParameterError("unknown neuron model '" + std::string(name) + "' (known: " + model_names() + ")");
    } else {
        R result{};
        bool found = false;
        std::apply([&](auto... m) { ((found = found || (decltype(m)::name == name ? (result = f(ModelTag<decltype(m)>{}), true) : false)), ...); },
                   NeuronModels{});
        if (!found) throw ParameterError("unknown neuron model '" + std::string(name) + "' (known: " + model_names() + ")");
        return result;
    }
}

// Builds Params from defaults, then a preset, then explicit values (in that order of
// precedence, last wins), and validates the result. Names must exist (checked).
template <class M>
typename M::Params make_params(const std::string& preset, const std::map<std::string, double>& values) {
    typename M::Params p{};
    auto set = [&](const std::string& key, double x) {
        for (const auto& f : M::fields())
            if (f.name == key) {
                p.*(f.member) = x;
                return;
            }
        throw ParameterError(std::string(M::name) + ": unknown parameter '" + key + "'");
    };
    if (!preset.empty()) {
        const Preset* found = nullptr;
        for (const auto& pr : M::presets())
            if (pr.name == preset) found = &pr;
        if (!found) throw ParameterError(std::string(M::name) + ": unknown preset '" + preset + "'");
        for (const auto& [k, x] : found->values) set(k, x);
    }
    for (const auto& [k, x] : values) set(k, x);
    M::validate(p);
    return p;
}

}  // namespace snnfit::model
