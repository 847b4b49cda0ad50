// snnfit report RESULT.h5 --out DIR: figures of a fit (or of a `snnfit simulate` output:
// raster, rates and voltage traces, drawn by the script alone). The C++ side validates the fit
// (DIR/validate.txt, DIR/validate.json) and replays the optimization for the population
// of every generation (DIR/populations.csv); scripts/report.py draws the figures with
// Debian's python3-matplotlib and python3-h5py and writes DIR/index.html.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <sys/wait.h>

#include "commands.hpp"
#include "common/error.hpp"
#include "fit/output.hpp"
#include "fit/validate.hpp"
#include "io/h5_layout.hpp"
#include "io/hdf5.hpp"

namespace snnfit::app {

namespace fs = std::filesystem;

namespace {

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// $SNNFIT_REPORT_SCRIPT; then PREFIX/share/snnfit/report.py beside an installed binary;
// then scripts/report.py in a folder above the executable (a build tree inside the
// source tree); then the source tree this binary was compiled from.
std::string find_script() {
    if (const char* e = std::getenv("SNNFIT_REPORT_SCRIPT")) return e;
    std::vector<fs::path> candidates;
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        candidates.push_back(exe.parent_path() / ".." / "share" / "snnfit" / "report.py");
        for (auto d = exe.parent_path(); d.has_relative_path(); d = d.parent_path())
            candidates.push_back(d / "scripts" / "report.py");
    }
    candidates.push_back(fs::path(__FILE__).parent_path().parent_path() / "scripts" / "report.py");
    for (const auto& c : candidates)
        if (fs::is_regular_file(c, ec)) return fs::weakly_canonical(c, ec).string();
    throw InputError(
        "cannot find scripts/report.py (looked above the snnfit executable and in the source tree; set "
        "SNNFIT_REPORT_SCRIPT=PATH)");
}

int run_shell(const std::string& cmd) {
    std::fflush(stdout);
    std::fflush(stderr);
    const int rc = std::system(cmd.c_str());
    return rc == -1 ? -1 : (WIFEXITED(rc) ? WEXITSTATUS(rc) : 128);
}

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream out(p);
    out << text;
    out.close();
    if (!out) throw InputError(fmt::format("cannot write {}", p.string()));
}

}  // namespace

Command add_report_command(CLI::App& app) {
    auto* cmd =
        app.add_subcommand("report", "figures of a fit, or of a simulation, and an index.html (python3-matplotlib)");
    struct Opts {
        std::string file, out;
        std::size_t seeds = 3;
        int threads = 0;
        std::string replay = "auto";
        fit::ValidationOptions v;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("RESULT", o->file, "result.h5 of `snnfit run`, or the output of `snnfit simulate`")->required();
    cmd->add_option("--out", o->out, "folder for the figures and index.html")->required();
    cmd->add_option("--seeds", o->seeds, "seeds of the validation (see snnfit validate)")->capture_default_str();
    cmd->add_option("--alpha", o->v.alpha, "validation: family-wise significance level")->capture_default_str();
    cmd->add_option("--margin", o->v.margin, "validation: equivalence margin of the mean rate, Hz (0 = none)")
        ->capture_default_str();
    cmd->add_flag("--calibrate", o->v.calibrate, "validation: decide against the spread between seeds");
    cmd->add_option("--threads", o->threads, "threads (0 = one per core)")->capture_default_str();
    cmd->add_option("--replay", o->replay,
                    "replay the optimization for the population plots: yes, no, or auto (when the fit took <= 300 s)")
        ->check(CLI::IsMember({"auto", "yes", "no"}))
        ->capture_default_str();
    return [o]() {
        const std::string python = std::getenv("SNNFIT_PYTHON") ? std::getenv("SNNFIT_PYTHON") : "/usr/bin/python3";
        // Check the inputs and the plotting stack before any long computation.
        const std::string kind = [&] {
            auto f = io::h5::File::open_read(o->file);
            return io::check_header(f.root());
        }();
        const auto script = find_script();
        if (run_shell(shell_quote(python) + " -c 'import matplotlib, h5py, numpy' >/dev/null 2>&1") != 0)
            throw InputError(
                fmt::format("report needs {} with matplotlib, h5py and numpy (Debian: python3-matplotlib python3-h5py; "
                            "scripts/setup.sh installs them)",
                            python));
        std::error_code ec;
        fs::create_directories(o->out, ec);
        if (ec || !fs::is_directory(o->out)) throw InputError(fmt::format("cannot create folder {}", o->out));
        const fs::path dir(o->out);
        const auto draw = [&] {
            const int rc = run_shell(shell_quote(python) + " " + shell_quote(script) + " " + shell_quote(o->file) +
                                     " " + shell_quote(o->out));
            if (rc != 0) throw InputError(fmt::format("{} failed (exit status {})", script, rc));
            fmt::print("wrote {}\n", (dir / "index.html").string());
            return static_cast<int>(exit_ok);
        };
        if (kind == "simulation") return draw();  // nothing to validate or replay

        try {
            const auto rep = fit::validate_result(o->file, o->seeds, o->v, o->threads);
            write_file(dir / "validate.txt", fit::validation_table(rep));
            write_file(dir / "validate.json", fit::validation_json(rep));
            fmt::print("validation: {}\n", rep.verdict());
        } catch (const InputError& e) {  // e.g. a rate-only fit has no target trains
            fs::remove(dir / "validate.json", ec);
            write_file(dir / "validate.txt", std::string("not validated: ") + e.what() + "\n");
            fmt::print(stderr, "snnfit: warning: not validated: {}\n", e.what());
        }

        bool replay = o->replay == "yes";
        if (o->replay == "auto") {
            auto f = io::h5::File::open_read(o->file);
            const auto elapsed = f.root().open_group("history").read_doubles("elapsed");
            replay = !elapsed.empty() && elapsed.back() <= 300.0;
        }
        fs::remove(dir / "populations.csv", ec);
        if (replay) {
            const auto h = fit::replay_populations(o->file, o->threads);
            if (!h.history_matches)
                fmt::print(stderr, "snnfit: warning: the replayed optimization differs from the stored history\n");
            std::string csv = "generation,island,fitness";
            for (const auto& n : h.names) csv += "," + n;
            csv += "\n";
            for (const auto& r : h.rows) {
                csv += fmt::format("{},{},{}", r.generation, r.island, r.fitness);
                for (const double v : r.values) csv += fmt::format(",{}", v);
                csv += "\n";
            }
            write_file(dir / "populations.csv", csv);
        }

        // The best parameters simulated again with voltages, for the voltage figure (a built-in
        // problem simulates nothing).
        fs::remove(dir / "best_simulation.h5", ec);
        try {
            const auto best = fit::simulate_best(o->file, 8);
            if (best && !best->result.voltage.empty())
                fit::write_simulation((dir / "best_simulation.h5").string(), best->result, best->config, best->seed);
        } catch (const Error& e) {
            fmt::print(stderr, "snnfit: warning: no voltage figure: {}\n", e.what());
        }
        return draw();
    };
}

}  // namespace snnfit::app
