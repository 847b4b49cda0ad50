// snnfit distance --metric isi|spike|spike2013|sync|vp|vr [--t-start T0] [--t-end T1] [--matrix] FILE
// Reads PySpike's text format so the two tools can be compared on the same file.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <fmt/core.h>

#include "commands.hpp"
#include "common/error.hpp"
#include "io/spike_files.hpp"
#include "metrics/distance.hpp"

namespace snnfit::app {

namespace {

struct DistanceOptions {
    std::string file;
    std::string metric = "spike";
    std::optional<double> t_start;
    std::optional<double> t_end;
    bool matrix = false;
    double q = 1.0;
    double tau = 10.0;
    std::string vr_norm = "rossum2001";
    double max_tau = 0.0;
    int threads = 1;
    bool clean = false;
    std::string population;
    std::string raster = "best";
};

int run_distance(const DistanceOptions& o) {
    metrics::MetricSpec spec;
    spec.metric = metrics::parse_metric(o.metric);
    spec.q = o.q;
    spec.tau = o.tau;
    spec.max_tau = o.max_tau;
    spec.norm = o.vr_norm == "elephant" ? metrics::VanRossumNorm::elephant : metrics::VanRossumNorm::rossum2001;
    metrics::detail::check_spec(spec);

    // PySpike's text format, or a population of an HDF5 file snnfit wrote.
    io::SpikeText text;
    std::optional<double> t_stop;
    std::string source = o.file;
    if (io::is_hdf5_file(o.file)) {
        auto h = io::read_snnfit_raster(o.file, o.population, o.raster);
        text.raster = std::move(h.raster);
        t_stop = h.t_stop;
        source = o.file + ":/" + h.group;
        for (std::size_t i = 0; i < text.raster.size(); ++i) text.lines.push_back(static_cast<int>(i));
    } else {
        if (!o.population.empty())
            throw InputError(fmt::format("--population: {} is a text file, not an HDF5 file of snnfit", o.file));
        text = io::read_spike_text_file(o.file);
    }
    auto& r = text.raster;
    // Default window: a simulation's [0, t_stop]; otherwise [0, last spike] (earlier when a
    // spike is negative), as PySpike's edges=(0, T) usually are; --t-start / --t-end override either edge.
    metrics::Window guess = metrics::window_of(r);
    if (t_stop) guess.t_end = std::max(guess.t_end, *t_stop);
    const metrics::Window w{o.t_start.value_or(guess.t_start), o.t_end.value_or(guess.t_end)};
    if (!o.t_end && r.spike_count() == 0)
        if (!t_stop) throw InputError(fmt::format("{}: no spikes to infer the window from; give --t-end", o.file));
    metrics::check_window(w);
    if (o.clean) {
        r = metrics::clean_raster(r, w);
    } else {
        for (std::size_t i = 0; i < r.size(); ++i)
            metrics::check_train(
                r.train(i), w,
                source != o.file ? fmt::format("{} train {}", source, i) : fmt::format("{}:{}", o.file, text.lines[i]));
    }
    if (r.size() < 2)
        throw InputError(fmt::format("{}: {} spike train(s); a distance needs at least two", source, r.size()));

    // SYNC is printed as PySpike prints it, a similarity (1 = all spikes coincide);
    // every other metric as a distance.
    const bool similarity = spec.metric == metrics::Metric::sync;
    if (!o.matrix) {
        const double d = similarity ? metrics::population_coincidences(r, w, spec.max_tau, o.threads).sync()
                                    : metrics::population_distance(spec, r, w, o.threads);
        fmt::print("{:.17g}\n", d);
        return exit_ok;
    }
    const auto m = similarity ? metrics::sync_matrix(r, w, spec.max_tau, o.threads)
                              : metrics::distance_matrix(spec, r, w, o.threads);
    const std::size_t n = r.size();
    std::string line;
    for (std::size_t i = 0; i < n; ++i) {
        line.clear();
        for (std::size_t j = 0; j < n; ++j) {
            if (j) line += ',';
            line += fmt::format("{:.17g}", m[i * n + j]);
        }
        line += '\n';
        std::fputs(line.c_str(), stdout);
    }
    return exit_ok;
}

}  // namespace

Command add_distance_command(CLI::App& app) {
    auto o = std::make_shared<DistanceOptions>();
    auto* sub = app.add_subcommand(
        "distance", "spike-train distance of the trains in a PySpike text file or a population of snnfit's HDF5 file");
    sub->add_option("file", o->file,
                    "text file (one spike train per line, times separated by blanks, # comments), or an HDF5 file "
                    "of snnfit simulate or run (times in ms either way)")
        ->required();
    sub->add_option("--population", o->population, "HDF5 input: the population (default: the only one)");
    sub->add_option("--raster", o->raster, "result or checkpoint input: best (default) or target")
        ->check(CLI::IsMember({"best", "target"}));
    sub->add_option("--metric", o->metric, "isi | spike | spike2013 | sync | vp | vr (default spike)")
        ->check(CLI::IsMember({"isi", "spike", "spike2013", "sync", "vp", "vr"}));
    sub->add_option("--t-start", o->t_start, "window start (default 0, or the first spike if negative)");
    sub->add_option("--t-end", o->t_end, "window end (default: the last spike)");
    sub->add_flag("--matrix", o->matrix, "print the pairwise matrix as CSV instead of the multivariate value");
    sub->add_option("--q", o->q, "Victor-Purpura cost per time unit (default 1)");
    sub->add_option("--tau", o->tau, "van Rossum time constant, time unit (default 10)");
    sub->add_option("--vr-norm", o->vr_norm, "van Rossum normalisation: rossum2001 (default) | elephant")
        ->check(CLI::IsMember({"rossum2001", "elephant"}));
    sub->add_option("--max-tau", o->max_tau, "SPIKE-synchronization: cap on the coincidence window (default none)");
    sub->add_option("--threads", o->threads, "threads for --matrix (default 1; 0 = all cores)")->check(non_negative());
    sub->add_flag("--clean", o->clean,
                  "drop non-finite and out-of-window times, sort, merge duplicates (default: report them)");
    return [o] { return run_distance(*o); };
}

}  // namespace snnfit::app
