// snnfit simulate CONFIG --out FILE.h5 [--set KEY=VALUE]... [--seed S] | --list-models
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "common/error.hpp"
#include "fit/output.hpp"
#include "fit/problem.hpp"
#include "fit/spike_fit.hpp"
#include "io/config.hpp"
#include "io/h5_layout.hpp"
#include "io/network_config.hpp"
#include "model/registry.hpp"
#include "sim/simulator.hpp"

namespace snnfit::app {

namespace {

struct SimulateOptions {
    std::string config;
    std::string out;
    std::vector<std::string> overrides;
    std::int64_t seed = -1;
    bool list_models = false;
};

void print_models() {
    for (const auto& m : model::model_catalog()) {
        fmt::print("{}\n  {}\n  integrator: {}\n  parameters:\n", m.name, m.description, m.integrator);
        for (const auto& p : m.params)
            fmt::print("    {:<10} {:>12g} {:<6} {}\n", p.name, p.default_value, p.unit, p.doc);
        if (!m.presets.empty()) {
            fmt::print("  presets:\n");
            for (const auto& pr : m.presets) fmt::print("    {:<10} {}\n", pr.name, pr.doc);
        }
        fmt::print("\n");
    }
}

int run_simulate(const SimulateOptions& o) {
    if (o.list_models) {
        print_models();
        return exit_ok;
    }
    if (o.config.empty()) throw Error("simulate: a CONFIG file is required (or --list-models)");
    if (o.out.empty()) throw Error("simulate: --out FILE.h5 is required");
    const auto doc = io::ConfigDocument::from_file(o.config, o.overrides);
    const auto spec = fit::simulation_network(doc);
    const std::uint64_t seed = o.seed >= 0 ? static_cast<std::uint64_t>(o.seed) : spec.simulation.seed;
    const auto res = sim::simulate(spec, seed);
    fit::write_simulation(o.out, res, doc, seed);
    for (std::size_t p = 0; p < res.populations.size(); ++p) {
        const auto& r = res.spikes[p];
        const double rate =
            r.size() ? static_cast<double>(r.spike_count()) / static_cast<double>(r.size()) / (res.t_stop / 1000.0)
                     : 0.0;
        fmt::print("{}: {} neurons, {} spikes, mean rate {:.3f} Hz\n", res.populations[p], r.size(), r.spike_count(),
                   rate);
    }
    if (res.status != sim::SimResult::Status::ok) fmt::print(stderr, "snnfit: warning: {}\n", res.message);
    fmt::print("wrote {}\n", o.out);
    return exit_ok;
}

}  // namespace

Command add_simulate_command(CLI::App& app) {
    auto o = std::make_shared<SimulateOptions>();
    auto* sub =
        app.add_subcommand("simulate", "simulate the network of a config and write spikes (and voltages) to HDF5");
    sub->add_option("config", o->config, "TOML config file");
    sub->add_option("--out", o->out, "output HDF5 file");
    sub->add_option("--set", o->overrides, "override a config key, KEY=VALUE (repeatable)");
    sub->add_option("--seed", o->seed, "simulation seed (default: [simulation] seed)")->check(non_negative());
    sub->add_flag("--list-models", o->list_models,
                  "list every neuron model with its parameters, units, defaults and presets");
    return [o] { return run_simulate(*o); };
}

}  // namespace snnfit::app
