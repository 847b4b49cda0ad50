// Checkpoint write and read time (median of REPS) for a synthetic state: ISLANDS islands
// x POP individuals x DIM parameters, a history of GENS generations, and target and best
// rasters of NEURONS neurons (20 populations of NEURONS/20, 10 Hz for 1 s).
//   bench_checkpoint DIR [ISLANDS POP DIM NEURONS GENS REPS]
// Prints: write_ms <TAB> read_ms <TAB> file_MB <TAB> path of the last file written.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/rng.hpp"
#include "fit/checkpoint.hpp"
#include "fit/problem.hpp"
#include "io/config.hpp"

using namespace snnfit;

namespace {

std::string config_text(int dim, int neurons) {
    // DIM parameters spread over 20 populations (a, b, c, d of each), a target simulated
    // from the config (1 s) and the best raster simulated the same way.
    std::string s = "[simulation]\ndt = 0.1\nduration = 1000.0\nseed = 1\n";
    const int pops = 20;
    for (int p = 0; p < pops; ++p)
        s += fmt::format("\n[[populations]]\nname = \"P{}\"\nsize = {}\nmodel = \"izhikevich2003\"\npreset = \"RS\"\n",
                         p, neurons / pops);
    s += "\n[[inputs]]\ntype = \"noise\"\ntarget = \"P0\"\nmean = 6.0\nstd = 6.0\n";
    for (int p = 1; p < pops; ++p)
        s += fmt::format("\n[[inputs]]\ntype = \"noise\"\ntarget = \"P{}\"\nmean = 6.0\nstd = 6.0\n", p);
    s += "\n[fit]\npopulation = \"P0\"\n";
    const char* names[] = {"a", "b", "c", "d"};
    const double lo[] = {0.01, 0.1, -75.0, 1.0}, hi[] = {0.1, 0.3, -45.0, 10.0};
    for (int i = 0; i < dim; ++i)
        s += fmt::format(
            "\n[[fit.parameters]]\nname = \"p{}\"\npath = \"populations.P{}.params.{}\"\nlo = {}\nhi = {}\n", i, i / 4,
            names[i % 4], lo[i % 4], hi[i % 4]);
    s += "\n[fit.target]\ntype = \"simulated\"\n";
    return s;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_checkpoint DIR [ISLANDS POP DIM NEURONS GENS REPS]\n");
        return 2;
    }
    const std::string dir = argv[1];
    auto arg = [&](int i, int d) { return argc > i ? std::stoi(argv[i]) : d; };
    const int islands = arg(2, 8), pop = arg(3, 500), dim = arg(4, 20), neurons = arg(5, 10000), gens = arg(6, 200),
              reps = arg(7, 5);
    std::filesystem::create_directories(dir);
    const auto doc = io::ConfigDocument::from_string(config_text(dim, neurons), "bench.toml");
    const auto config = fit::parse_fit_config(doc);
    const auto problem_ptr = config.make_problem();
    const fit::Problem& problem = *problem_ptr;

    opt::OptimizerState s;
    s.run_seed = 1;
    s.dim = static_cast<std::uint64_t>(dim);
    s.n_objectives = 1;
    s.generation = gens;
    s.evaluations = static_cast<std::int64_t>(gens) * islands * pop;
    s.next_id = s.evaluations;
    Rng rng(7, 1);
    const auto lo = problem.space().search_lo(), hi = problem.space().search_hi();
    for (int k = 0; k < islands; ++k) {
        opt::IslandState in;
        for (int i = 0; i < pop; ++i) {
            for (int j = 0; j < dim; ++j) in.population.push_back(rng.uniform(lo[j], hi[j]));
            in.objectives.push_back(rng.uniform());
            in.fitness.push_back(in.objectives.back());
            in.ids.push_back(s.next_id - i);
            in.status.push_back(0);
        }
        in.rng = Rng(1, static_cast<std::uint64_t>(k)).state();
        s.islands.push_back(std::move(in));
    }
    for (int g = 0; g < gens; ++g) {
        opt::GenerationLog l;
        l.generation = g;
        l.evaluations = static_cast<std::int64_t>(g + 1) * islands * pop;
        l.best = l.mean = l.std = rng.uniform();
        l.islands.resize(static_cast<std::size_t>(islands));
        s.history.push_back(l);
    }
    s.best.valid = true;
    s.best.individual.x.assign(s.islands[0].population.begin(), s.islands[0].population.begin() + dim);
    s.best.individual.objectives = {0.1};
    s.best.individual.fitness = 0.1;
    const auto best_sim = problem.simulate(problem.space().decode(s.best.individual.x), 1);
    std::size_t best_spikes = 0, best_neurons = 0;
    for (const auto& r : best_sim.spikes) best_spikes += r.spike_count(), best_neurons += r.size();

    std::vector<double> w, r;
    std::string path;
    for (int i = 0; i < reps; ++i) {
        path = fit::checkpoint_path(dir, i + 1);
        std::filesystem::create_directories(fit::checkpoint_dir(dir));
        auto t0 = std::chrono::steady_clock::now();
        fit::write_checkpoint(path, problem, config.optimizer.weights, doc, s, best_sim);
        w.push_back(ms_since(t0));
        t0 = std::chrono::steady_clock::now();
        const auto c = fit::read_checkpoint(path);
        r.push_back(ms_since(t0));
        if (!(c.state == s)) {
            std::fprintf(stderr, "round trip differs\n");
            return 1;
        }
    }
    std::sort(w.begin(), w.end());
    std::sort(r.begin(), r.end());
    const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    fmt::print("{:.3f}\t{:.3f}\t{:.2f}\t{}\n", w[w.size() / 2], r[r.size() / 2], mb, path);
    fmt::print(stderr, "{} islands x {} x {}, best raster {} neurons / {} spikes, target {} neurons\n", islands, pop,
               dim, best_neurons, best_spikes, problem.targets().begin()->second.size());
    return 0;
}
