// snnfit simulate CONFIG --out FILE.h5 [--set KEY=VALUE]... [--seed S] | --list-models
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "common/error.hpp"
#include "fit/problem.hpp"
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

void write_result(const std::string& path, const sim::SimResult& res, const io::ConfigDocument& doc,
                  std::uint64_t seed) {
    auto file = io::h5::File::create_atomic(path);
    auto root = file.root();
    io::write_header(root, "simulation");
    root.set_attr("seed", static_cast<std::int64_t>(seed));
    root.set_attr("dt", res.dt);
    root.set_attr("t_stop", res.t_stop);
    root.set_attr("status", std::string(res.status == sim::SimResult::Status::ok ? "ok" : "invalid"));
    root.set_attr("message", res.message);
    root.write_string("config", doc.text());
    std::string overrides;
    for (const auto& o : doc.overrides()) overrides += o + "\n";
    root.set_dataset_attr("config", "overrides", overrides);
    auto spikes = root.create_group("spikes");
    for (std::size_t p = 0; p < res.populations.size(); ++p) {
        auto g = spikes.create_group(res.populations[p]);
        io::write_raster(g, res.spikes[p]);
        if (!res.spike_neurons[p].empty()) g.write("neurons", res.spike_neurons[p]);  // selected neurons
    }
    if (!res.voltage.empty()) {
        auto volt = root.create_group("voltage");
        for (const auto& tr : res.voltage) {
            auto g = volt.create_group(tr.population);
            g.write_matrix("v", tr.v, tr.neurons.size(), tr.samples);
            g.set_dataset_attr("v", "units", "mV");
            g.write("neurons", tr.neurons);
            g.set_attr("dt", res.dt);
            g.set_attr("t_start", 0.0);
        }
    }
    file.commit();
}

int run_simulate(const SimulateOptions& o) {
    if (o.list_models) {
        print_models();
        return exit_ok;
    }
    if (o.config.empty()) throw Error("simulate: a CONFIG file is required (or --list-models)");
    if (o.out.empty()) throw Error("simulate: --out FILE.h5 is required");
    const auto doc = io::ConfigDocument::from_file(o.config, o.overrides);
    // A fit's config simulates too (its network at the config's values); its [fit] and
    // [optimizer] sections are checked as strictly as `snnfit run` would.
    const auto root = doc.root();
    model::NetworkSpec spec;
    if (root.has("fit")) {
        spec = fit::parse_fit_config(doc).network;
    } else {
        spec = io::parse_network(root);
        root.finish();
    }
    const std::uint64_t seed = o.seed >= 0 ? static_cast<std::uint64_t>(o.seed) : spec.simulation.seed;
    const auto res = sim::simulate(spec, seed);
    write_result(o.out, res, doc, seed);
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
