// snnfit: fit spiking neuron and network models to spike trains.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common/error.hpp"
#include "common/text.hpp"

int main(int argc, char** argv) {
    using namespace snnfit::app;
    CLI::App app{"snnfit: fit spiking neuron and network models to spike-train data"};
    app.set_version_flag("--version", std::string("snnfit ") + SNNFIT_VERSION);
    app.require_subcommand(1);
    // Command-line mistakes get the same one-line form as every other bad input.
    app.failure_message([](const CLI::App*, const CLI::Error& e) {
        return std::string("snnfit: error: ") + e.what() + " (see snnfit --help)\n";
    });

    std::vector<std::pair<CLI::App*, Command>> commands;
    auto add = [&](Command (*make)(CLI::App&)) {
        const auto before = app.get_subcommands({}).size();
        Command c = make(app);
        commands.emplace_back(app.get_subcommands({})[before], std::move(c));
    };
    add(add_run_command);
    add(add_simulate_command);
    add(add_distance_command);
    add(add_inspect_command);
    add(add_validate_command);
    add(add_report_command);

    // A mistyped subcommand: CLI11 would say only that the argument was not expected.
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word.empty() || word[0] == '-') continue;
        std::vector<std::string> names;
        for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
        if (std::find(names.begin(), names.end(), word) != names.end()) break;
        const auto near = closest_subcommand(word, names);
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        std::fprintf(stderr, "snnfit: error: unknown subcommand '%s'; %s\n", snnfit::printable(word).c_str(),
                     near.empty() ? ("expected one of " + list).c_str() : ("did you mean '" + near + "'?").c_str());
        return exit_bad_input;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_bad_input;
    }
    try {
        for (auto& [sub, run] : commands)
            if (sub->parsed()) return run();
        return exit_bad_input;
    } catch (const snnfit::Error& e) {
        std::fprintf(stderr, "snnfit: error: %s\n", e.what());
        return exit_bad_input;
    } catch (const std::bad_alloc&) {
        // What the memory budget (common/memory) did not foresee: the run cannot go on.
        std::fprintf(stderr, "snnfit: error: out of memory (the configured sizes need more than this machine has)\n");
        return exit_runtime;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "snnfit: internal error: %s\n", e.what());
        return exit_internal;
    }
}
