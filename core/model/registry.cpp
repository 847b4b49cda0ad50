#include "model/registry.hpp"

namespace snnfit::model {

namespace {
template <class M>
ModelInfo describe() {
    ModelInfo info{std::string(M::name), std::string(M::description), std::string(M::integrator), {}, M::presets()};
    const typename M::Params defaults{};
    for (const auto& f : M::fields())
        info.params.push_back({std::string(f.name), std::string(f.unit), std::string(f.doc), defaults.*(f.member)});
    return info;
}

std::string join_names(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}
}  // namespace

bool ModelInfo::has_param(std::string_view p) const {
    for (const auto& x : params)
        if (x.name == p) return true;
    return false;
}

const Preset* ModelInfo::find_preset(std::string_view p) const {
    for (const auto& x : presets)
        if (x.name == p) return &x;
    return nullptr;
}

std::string ModelInfo::param_names() const {
    std::vector<std::string> v;
    for (const auto& x : params) v.push_back(x.name);
    return join_names(v);
}

std::string ModelInfo::preset_names() const {
    std::vector<std::string> v;
    for (const auto& x : presets) v.push_back(x.name);
    return join_names(v);
}

const std::vector<ModelInfo>& model_catalog() {
    static const std::vector<ModelInfo> catalog =
        std::apply([](auto... m) { return std::vector<ModelInfo>{describe<decltype(m)>()...}; }, NeuronModels{});
    return catalog;
}

const ModelInfo* find_model(std::string_view name) {
    for (const auto& m : model_catalog())
        if (m.name == name) return &m;
    return nullptr;
}

std::string model_names() {
    std::vector<std::string> v;
    for (const auto& m : model_catalog()) v.push_back(m.name);
    return join_names(v);
}

}  // namespace snnfit::model
