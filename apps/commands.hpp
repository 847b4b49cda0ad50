// The subcommands of `snnfit`. Each lives in its own apps/cmd_*.cpp, registers its
// options on the CLI11 app and returns the callback that runs it; main.cpp maps
// exceptions to exit codes. Keep these thin: parse, build objects from core, run.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace snnfit::app {

// Exit codes (README "Exit status").
enum ExitCode : int {
    exit_ok = 0,
    exit_internal = 1,      // a bug: an unexpected exception
    exit_bad_input = 2,     // bad command line, config, or data file
    exit_runtime = 3,       // the run could not go on (I/O failure, dead worker)
    exit_interrupted = 75,  // interrupted, checkpoint written, resumable (EX_TEMPFAIL)
};

using Command = std::function<int()>;

// A whole number >= 0 that fits an int64 (a count, a seed). CLI11's NonNegativeNumber
// names its range as "0 to 1.79769e+308", and an int64 option clamps what is larger.
CLI::Validator non_negative();

// The subcommand closest to `word` by edit distance, or "" when none is near.
std::string closest_subcommand(const std::string& word, const std::vector<std::string>& names);

Command add_run_command(CLI::App& app);
Command add_simulate_command(CLI::App& app);
Command add_distance_command(CLI::App& app);
Command add_inspect_command(CLI::App& app);
Command add_validate_command(CLI::App& app);
Command add_report_command(CLI::App& app);

}  // namespace snnfit::app
