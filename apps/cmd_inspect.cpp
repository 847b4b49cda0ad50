// snnfit inspect FILE [--json]: what a checkpoint or a result holds — generation,
// evaluations, the best overall and of each island, and the layout of the file.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "fit/checkpoint.hpp"
#include "io/json.hpp"

namespace snnfit::app {

namespace {

using io::json_array;
using io::json_number;
using io::json_numbers;
using io::json_string;
using io::json_strings;

void print_json(const fit::FileSummary& s) {
    std::string o = "{\n";
    o += fmt::format("  \"file\": {},\n  \"kind\": {},\n  \"format_version\": {},\n  \"snnfit_version\": {},\n",
                     json_string(s.path), json_string(s.kind), s.format_version, json_string(s.snnfit_version));
    o += fmt::format("  \"created\": {},\n  \"run_seed\": {},\n  \"generations\": {},\n  \"evaluations\": {},\n",
                     json_string(s.created), s.run_seed, s.generations, s.evaluations);
    o += fmt::format("  \"wall_time_used\": {},\n  \"termination\": {},\n",
                     s.wall_time_used < 0 ? "null" : json_number(s.wall_time_used), json_string(s.termination));
    o += fmt::format("  \"parameters\": {},\n  \"losses\": {},\n", json_strings(s.parameter_names),
                     json_strings(s.loss_labels));
    o += fmt::format(
        "  \"best\": {{\"valid\": {}, \"fitness\": {}, \"island\": {}, \"generation\": {}, \"parameters\": {}, "
        "\"objectives\": {}}},\n",
        s.best_valid ? "true" : "false", json_number(s.best_fitness), s.best_island, s.best_generation,
        json_numbers(s.best_parameters), json_numbers(s.best_objectives));
    o += "  \"islands\": [";
    for (std::size_t k = 0; k < s.islands.size(); ++k) {
        const auto& is = s.islands[k];
        o += fmt::format("{}\n    {{\"island\": {}, \"size\": {}, \"best_fitness\": {}", k ? "," : "", k,
                         is.size ? std::to_string(is.size) : "null", json_number(is.best_fitness));
        if (is.best_id >= 0)
            o += fmt::format(", \"best_id\": {}, \"best_parameters\": {}, \"best_objectives\": {}", is.best_id,
                             json_numbers(is.best_parameters), json_numbers(is.best_objectives));
        o += "}";
    }
    o += "\n  ],\n  \"layout\": [";
    for (std::size_t i = 0; i < s.layout.size(); ++i) {
        const auto& e = s.layout[i];
        o +=
            fmt::format("{}\n    {{\"path\": {}, \"type\": {}", i ? "," : "", json_string(e.path), json_string(e.type));
        if (e.type != "group")
            o += ", \"shape\": " + json_array(e.shape, [](std::uint64_t d) { return std::to_string(d); });
        o += "}";
    }
    o += "\n  ]\n}\n";
    std::fputs(o.c_str(), stdout);
}

std::string assignments(const std::vector<std::string>& names, const std::vector<double>& values) {
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i)
        out += fmt::format("{}{} = {:.6g}", i ? ", " : "", i < names.size() ? names[i] : "?", values[i]);
    return out;
}

void print_text(const fit::FileSummary& s) {
    fmt::print("{}: snnfit {} (format {}, written by snnfit {} at {})\n", s.path, s.kind, s.format_version,
               s.snnfit_version, s.created);
    fmt::print("run seed {}; {} generations, {} evaluations", s.run_seed, s.generations, s.evaluations);
    if (s.wall_time_used >= 0) fmt::print("; wall time used {:.1f} s", s.wall_time_used);
    fmt::print("; termination: {}\n", s.termination.empty() ? "none" : s.termination);
    if (s.best_valid) {
        fmt::print("best: fitness {:.6g} (island {}, generation {}): {}\n", s.best_fitness, s.best_island,
                   s.best_generation, assignments(s.parameter_names, s.best_parameters));
        fmt::print("      objectives: {}\n", assignments(s.loss_labels, s.best_objectives));
    } else {
        fmt::print("best: none (no valid evaluation yet)\n");
    }
    fmt::print("islands ({}):\n", s.islands.size());
    for (std::size_t k = 0; k < s.islands.size(); ++k) {
        const auto& is = s.islands[k];
        if (is.size > 0)
            fmt::print("  {:>3}: {} individuals, best fitness {:.6g} (id {}): {}\n", k, is.size, is.best_fitness,
                       is.best_id, assignments(s.parameter_names, is.best_parameters));
        else
            fmt::print("  {:>3}: best fitness {:.6g} in the last generation\n", k, is.best_fitness);
    }
    fmt::print("layout:\n");
    for (const auto& e : s.layout) {
        std::string shape;
        for (std::size_t i = 0; i < e.shape.size(); ++i) shape += (i ? " x " : "") + std::to_string(e.shape[i]);
        if (e.type == "group")
            fmt::print("  {}/\n", e.path);
        else
            fmt::print("  {:<36} {:<8} {}\n", e.path, e.type, shape.empty() ? "scalar" : shape);
    }
}

}  // namespace

Command add_inspect_command(CLI::App& app) {
    struct Options {
        std::string file;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    auto* sub = app.add_subcommand("inspect", "summarise a checkpoint or a result file");
    sub->add_option("file", o->file, "checkpoint or result HDF5 file")->required();
    sub->add_flag("--json", o->json, "the same summary as JSON");
    return [o] {
        const auto s = fit::summarize_file(o->file);
        if (o->json)
            print_json(s);
        else
            print_text(s);
        return exit_ok;
    };
}

}  // namespace snnfit::app
