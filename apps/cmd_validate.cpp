// snnfit validate RESULT.h5 [--seeds K] [--alpha A] [--margin HZ] [--json [FILE]]: the fitted
// network re-simulated under K seeds against the target, measure by measure (core/fit/validate).
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "commands.hpp"
#include "common/error.hpp"
#include "fit/validate.hpp"

namespace snnfit::app {

Command add_validate_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("validate", "compare the fitted network, re-simulated, with the target");
    struct Opts {
        std::string file;
        std::size_t seeds = 1;
        int threads = 0;
        std::string json;
        fit::ValidationOptions v;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("RESULT", o->file, "result.h5 of `snnfit run`")->required();
    cmd->add_option("--seeds", o->seeds, "independent seeds to re-simulate the best parameters under (>= 1)")
        ->capture_default_str();
    cmd->add_option("--alpha", o->v.alpha, "family-wise significance level, split over the deciding tests")
        ->capture_default_str();
    cmd->add_option("--margin", o->v.margin, "equivalence margin of the mean rate, Hz: run TOST (0 = no TOST)")
        ->capture_default_str();
    cmd->add_option("--power-factor", o->v.power_factor, "spectra pass when their total powers are within this factor")
        ->capture_default_str();
    cmd->add_option("--distance-tolerance", o->v.distance_tolerance,
                    "SPIKE-distance / 1 - SYNC to the target may exceed their between-seed values by this")
        ->capture_default_str();
    cmd->add_flag("--calibrate", o->v.calibrate,
                  "decide the distributions against the spread between seeds (needs --seeds >= 3)");
    cmd->add_option("--corr-bin", o->v.corr_bin, "bin of the pairwise correlation coefficients, ms")
        ->capture_default_str();
    cmd->add_option("--threads", o->threads, "simulation threads (0 = one per core)")->capture_default_str();
    cmd->add_option("--json", o->json, "write the results as JSON to FILE (without FILE: to stdout, no table)")
        ->expected(0, 1)
        ->default_str("-");
    return [o, cmd]() {
        const auto rep = fit::validate_result(o->file, o->seeds, o->v, o->threads);
        const bool to_stdout = cmd->count("--json") > 0 && (o->json.empty() || o->json == "-");
        if (to_stdout) {
            fmt::print("{}", fit::validation_json(rep));
            return static_cast<int>(exit_ok);
        }
        fmt::print("validate {}\n{}", o->file, fit::validation_table(rep));
        if (cmd->count("--json") > 0) {
            std::ofstream out(o->json);
            out << fit::validation_json(rep);
            out.close();
            if (!out) throw InputError(fmt::format("cannot write {}", o->json));
        }
        return static_cast<int>(exit_ok);
    };
}

}  // namespace snnfit::app
