#include "fit/checkpoint.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "fit/output.hpp"
#include "fit/problem.hpp"
#include "io/h5_layout.hpp"
#include "sim/simulator.hpp"

namespace snnfit::fit {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = "ckpt-";
constexpr const char* kSuffix = ".h5";

// RngState as 13 int64 words (the uint64 bit patterns): key[2], counter[4], buffer[4],
// used, has_normal, and the bits of cached_normal, so that it round-trips exactly.
constexpr std::size_t kRngWords = 13;

std::vector<std::int64_t> rng_words(const RngState& s) {
    std::vector<std::int64_t> w;
    for (auto x : s.key) w.push_back(static_cast<std::int64_t>(x));
    for (auto x : s.counter) w.push_back(static_cast<std::int64_t>(x));
    for (auto x : s.buffer) w.push_back(static_cast<std::int64_t>(x));
    w.push_back(static_cast<std::int64_t>(s.used));
    w.push_back(s.has_normal ? 1 : 0);
    w.push_back(std::bit_cast<std::int64_t>(s.cached_normal));
    return w;
}

RngState rng_from_words(const io::h5::Group& g, const std::string& name) {
    const auto w = g.read_int64s(name);
    if (w.size() != kRngWords)
        g.fail(name, fmt::format("expected {} words of RNG state, found {}", kRngWords, w.size()));
    RngState s;
    std::size_t i = 0;
    for (auto& x : s.key) x = static_cast<std::uint64_t>(w[i++]);
    for (auto& x : s.counter) x = static_cast<std::uint64_t>(w[i++]);
    for (auto& x : s.buffer) x = static_cast<std::uint64_t>(w[i++]);
    if (w[i] < 0 || w[i] > 4) g.fail(name, "bad RNG buffer position");
    s.used = static_cast<std::uint32_t>(w[i++]);
    s.has_normal = w[i++] != 0;
    s.cached_normal = std::bit_cast<double>(w[i]);
    return s;
}

void write_scalar(io::h5::Group& g, const std::string& name, std::int64_t v) {
    g.write(name, std::vector<std::int64_t>{v});
}
void write_scalar(io::h5::Group& g, const std::string& name, double v) {
    g.write(name, std::vector<double>{v});
}

std::int64_t read_int(const io::h5::Group& g, const std::string& name) {
    const auto v = g.read_int64s(name);
    if (v.size() != 1) g.fail(name, fmt::format("expected one value, found {}", v.size()));
    return v[0];
}
double read_double(const io::h5::Group& g, const std::string& name) {
    const auto v = g.read_doubles(name);
    if (v.size() != 1) g.fail(name, fmt::format("expected one value, found {}", v.size()));
    return v[0];
}

std::vector<double> read_matrix_checked(const io::h5::Group& g, const std::string& name, std::size_t rows,
                                        std::size_t cols) {
    std::size_t r = 0, c = 0;
    auto m = g.read_matrix(name, r, c);
    if (r != rows || (c != cols && rows > 0))
        g.fail(name, fmt::format("expected a {}x{} matrix, found {}x{}", rows, cols, r, c));
    return m;
}

// History beyond write_history: the failure messages of each generation.
void write_history_messages(io::h5::Group& root, const std::vector<opt::GenerationLog>& history) {
    auto g = root.open_group("history");
    std::vector<std::string> messages;
    std::vector<std::int64_t> offsets{0};
    for (const auto& h : history) {
        messages.insert(messages.end(), h.messages.begin(), h.messages.end());
        offsets.push_back(static_cast<std::int64_t>(messages.size()));
    }
    g.write_strings("messages", messages);
    g.write("message_offsets", offsets);
}

std::vector<opt::GenerationLog> read_history(const io::h5::Group& root, std::size_t k_islands) {
    const auto g = root.open_group("history");
    const auto generation = g.read_int64s("generation");
    const std::size_t n = generation.size();
    const auto evaluations = g.read_int64s("evaluations");
    const auto invalid = g.read_int64s("invalid");
    const auto best = g.read_doubles("best");
    const auto mean = g.read_doubles("mean");
    const auto sd = g.read_doubles("std");
    const auto eps = g.read_doubles("evals_per_second");
    const auto elapsed = g.read_doubles("elapsed");
    for (const auto* v : {&evaluations, &invalid})
        if (v->size() != n) g.fail("", "history datasets differ in length");
    for (const auto* v : {&best, &mean, &sd, &eps, &elapsed})
        if (v->size() != n) g.fail("", "history datasets differ in length");
    const auto gi = g.open_group("islands");
    const auto ib = read_matrix_checked(gi, "best", n, k_islands);
    const auto im = read_matrix_checked(gi, "mean", n, k_islands);
    const auto is = read_matrix_checked(gi, "std", n, k_islands);
    const auto ie = read_matrix_checked(gi, "evaluations", n, k_islands);
    const auto ii = read_matrix_checked(gi, "invalid", n, k_islands);
    const auto messages = g.read_strings("messages");
    const auto offsets = g.read_int64s("message_offsets");
    if (offsets.size() != n + 1 || offsets.front() != 0 || offsets.back() != static_cast<std::int64_t>(messages.size()))
        g.fail("message_offsets", "inconsistent with the history and the messages");
    std::vector<opt::GenerationLog> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& h = out[i];
        h.generation = generation[i];
        h.evaluations = evaluations[i];
        h.invalid = invalid[i];
        h.best = best[i];
        h.mean = mean[i];
        h.std = sd[i];
        h.evals_per_second = eps[i];
        h.elapsed = elapsed[i];
        if (offsets[i + 1] < offsets[i]) g.fail("message_offsets", "offsets decrease");
        h.messages.assign(messages.begin() + offsets[i], messages.begin() + offsets[i + 1]);
        h.islands.resize(k_islands);
        for (std::size_t j = 0; j < k_islands; ++j) {
            auto& l = h.islands[j];
            l.best = ib[i * k_islands + j];
            l.mean = im[i * k_islands + j];
            l.std = is[i * k_islands + j];
            l.evaluations = static_cast<std::int64_t>(ie[i * k_islands + j]);
            l.invalid = static_cast<std::int64_t>(ii[i * k_islands + j]);
        }
    }
    return out;
}

std::optional<std::int64_t> generation_of(const std::string& name) {
    const std::string prefix = kPrefix, suffix = kSuffix;
    if (name.size() <= prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        return std::nullopt;
    const auto digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (digits.empty() || digits.size() > 15 || !std::all_of(digits.begin(), digits.end(), ::isdigit))
        return std::nullopt;
    return std::stoll(digits);
}

}  // namespace

std::string checkpoint_dir(const std::string& out_dir) {
    return (fs::path(out_dir) / "checkpoints").string();
}

std::string checkpoint_path(const std::string& out_dir, std::int64_t generations) {
    return (fs::path(checkpoint_dir(out_dir)) / fmt::format("{}{:06}{}", kPrefix, generations, kSuffix)).string();
}

void write_checkpoint(const std::string& path, const Problem& problem, const std::vector<double>& weights,
                      const io::ConfigDocument& doc, const opt::OptimizerState& state, const sim::SimResult& best_sim) {
    auto file = io::h5::File::create_atomic(path);
    auto root = file.root();
    io::write_header(root, "checkpoint");
    root.set_attr("run_seed", static_cast<std::int64_t>(state.run_seed));
    root.set_attr("generations", state.generation);
    root.set_attr("evaluations", state.evaluations);
    write_config(root, doc);
    write_parameters(root, problem);
    write_losses(root, problem, weights);
    write_targets(root, problem);
    write_best(root, problem, state.best, best_sim);
    write_history(root, state.history);
    write_history_messages(root, state.history);

    auto st = root.create_group("state");
    write_scalar(st, "format", static_cast<std::int64_t>(state.format));
    write_scalar(st, "run_seed", static_cast<std::int64_t>(state.run_seed));
    write_scalar(st, "dim", static_cast<std::int64_t>(state.dim));
    write_scalar(st, "n_objectives", static_cast<std::int64_t>(state.n_objectives));
    write_scalar(st, "generation", state.generation);
    write_scalar(st, "evaluations", state.evaluations);
    write_scalar(st, "next_id", state.next_id);
    write_scalar(st, "wall_time_used", state.termination.wall_time_used);
    st.set_dataset_attr("wall_time_used", "units", "s");
    write_scalar(st, "stagnation_reference", state.termination.reference);
    write_scalar(st, "has_stagnation_reference", static_cast<std::int64_t>(state.termination.has_reference ? 1 : 0));
    write_scalar(st, "last_improvement", state.termination.last_improvement);
    write_scalar(st, "termination_reason", static_cast<std::int64_t>(state.termination.reason));
    st.set_dataset_attr("termination_reason", "meaning", opt::to_string(state.termination.reason));
    st.write("migration_rng", rng_words(state.migration_rng));
    st.set_dataset_attr("migration_rng", "layout",
                        "uint64 bit patterns: key[2], counter[4], buffer[4], used, has_normal, bits of cached_normal");

    auto islands = root.create_group("islands");
    islands.set_attr("count", static_cast<std::int64_t>(state.islands.size()));
    for (std::size_t k = 0; k < state.islands.size(); ++k) {
        const auto& in = state.islands[k];
        auto g = islands.create_group(std::to_string(k));
        const std::size_t n = in.fitness.size();
        g.write_matrix("population", in.population, n, state.dim);
        g.set_dataset_attr("population", "meaning", "search coordinates (/parameters/transform); values: model units");
        // The same members in model units, for readers (resuming uses the search coordinates).
        std::vector<double> values;
        values.reserve(in.population.size());
        for (std::size_t i = 0; i < n; ++i) {
            const auto row = problem.space().decode(
                std::vector<double>(in.population.begin() + static_cast<std::ptrdiff_t>(i * state.dim),
                                    in.population.begin() + static_cast<std::ptrdiff_t>((i + 1) * state.dim)));
            values.insert(values.end(), row.begin(), row.end());
        }
        g.write_matrix("values", values, n, state.dim);
        g.set_dataset_attr("values", "units", problem.parameter_units());
        g.write_matrix("objectives", in.objectives, n, state.n_objectives);
        g.write("fitness", in.fitness);
        g.write("ids", in.ids);
        g.write("status", std::vector<std::int64_t>(in.status.begin(), in.status.end()));
        g.write("rng", rng_words(in.rng));
        g.write("operator_state", in.operator_state);
    }
    file.commit();
}

namespace {
Checkpoint read_checkpoint_unchecked(const std::string& path) {
    auto file = io::h5::File::open_read(path);
    const auto root = file.root();
    if (!root.has_attr("format_version") || !root.has_attr("kind"))
        throw InputError(path + ": not an snnfit file (no format_version/kind attributes on /)");
    const auto version = root.attr_int("format_version");
    if (version > io::kFormatVersion)
        throw FormatVersionError(
            fmt::format("{}: format_version {} is newer than this snnfit reads ({}); upgrade snnfit", path, version,
                        io::kFormatVersion));
    const auto kind = root.attr_string("kind");
    if (kind != "checkpoint") throw InputError(fmt::format("{}: not a checkpoint (kind \"{}\")", path, kind));

    Checkpoint c;
    c.path = path;
    c.config = read_config(root);

    auto& s = c.state;
    const auto st = root.open_group("state");
    s.format = static_cast<std::int32_t>(read_int(st, "format"));
    s.run_seed = static_cast<std::uint64_t>(read_int(st, "run_seed"));
    c.run_seed = s.run_seed;
    const auto dim = read_int(st, "dim"), n_obj = read_int(st, "n_objectives");
    if (dim < 1 || n_obj < 1) st.fail("dim", "bad dimensions");
    s.dim = static_cast<std::uint64_t>(dim);
    s.n_objectives = static_cast<std::uint64_t>(n_obj);
    s.generation = read_int(st, "generation");
    s.evaluations = read_int(st, "evaluations");
    s.next_id = read_int(st, "next_id");
    s.termination.wall_time_used = read_double(st, "wall_time_used");
    s.termination.reference = read_double(st, "stagnation_reference");
    s.termination.has_reference = read_int(st, "has_stagnation_reference") != 0;
    s.termination.last_improvement = read_int(st, "last_improvement");
    const auto reason = read_int(st, "termination_reason");
    if (reason < 0 || reason > static_cast<std::int64_t>(opt::TerminationReason::wall_time))
        st.fail("termination_reason", "unknown value");
    s.termination.reason = static_cast<opt::TerminationReason>(reason);
    s.migration_rng = rng_from_words(st, "migration_rng");

    const auto islands = root.open_group("islands");
    const auto count = islands.attr_int("count");
    if (count < 1) islands.fail("", "no islands");
    for (std::int64_t k = 0; k < count; ++k) {
        const auto g = islands.open_group(std::to_string(k));
        opt::IslandState in;
        in.fitness = g.read_doubles("fitness");
        const std::size_t n = in.fitness.size();
        in.population = read_matrix_checked(g, "population", n, s.dim);
        in.objectives = read_matrix_checked(g, "objectives", n, s.n_objectives);
        in.ids = g.read_int64s("ids");
        const auto status = g.read_int64s("status");
        if (in.ids.size() != n || status.size() != n) g.fail("", "ids/status/fitness differ in length");
        in.status.assign(status.begin(), status.end());
        in.rng = rng_from_words(g, "rng");
        in.operator_state = g.read_doubles("operator_state");
        s.islands.push_back(std::move(in));
    }

    const auto best = root.open_group("best");
    s.best.valid = best.attr_int("valid") != 0;
    s.best.individual.fitness = best.attr_double("fitness");
    s.best.island = static_cast<std::int32_t>(best.attr_int("island"));
    s.best.generation = best.attr_int("generation");
    s.best.individual.id = best.attr_int("id");
    s.best.individual.x = best.read_doubles("search");
    s.best.individual.objectives = best.read_doubles("objectives");
    s.best.individual.status = static_cast<opt::EvalStatus>(read_int(best, "status"));
    if (s.best.valid && (s.best.individual.x.size() != s.dim || s.best.individual.objectives.size() != s.n_objectives))
        best.fail("", "best parameters or objectives have the wrong length");

    s.history = read_history(root, s.islands.size());

    if (root.has("target")) {
        const auto t = root.open_group("target");
        for (const auto& pop : t.members()) {
            c.target_populations.push_back(pop);
            c.targets.push_back(io::read_raster(t.open_group(pop)));
        }
    }
    return c;
}
}  // namespace

Checkpoint read_checkpoint(const std::string& path) {
    try {
        return read_checkpoint_unchecked(path);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        // A damaged file can claim absurd sizes: whatever fails, name the file.
        throw InputError(fmt::format("{}: unreadable checkpoint: {}", path, e.what()));
    }
}

std::vector<std::string> list_checkpoints(const std::string& out_dir) {
    std::vector<std::pair<std::int64_t, std::string>> found;
    std::error_code ec;
    const fs::path dir = checkpoint_dir(out_dir);
    if (!fs::is_directory(dir, ec)) return {};
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (auto g = generation_of(e.path().filename().string())) found.emplace_back(*g, e.path().string());
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string> out;
    for (auto& f : found) out.push_back(std::move(f.second));
    return out;
}

void prune_checkpoints(const std::string& out_dir, std::int64_t keep, std::int64_t generations) {
    std::error_code ec;
    std::int64_t kept = 0;
    for (const auto& f : list_checkpoints(out_dir)) {
        const auto g = generation_of(fs::path(f).filename().string());
        if (!g || *g > generations) continue;
        if (++kept > std::max<std::int64_t>(keep, 1)) fs::remove(f, ec);
    }
    for (const auto& e : fs::directory_iterator(checkpoint_dir(out_dir), ec)) {
        const auto name = e.path().filename().string();
        if (name.size() > 4 && name.rfind(kPrefix, 0) == 0 && name.compare(name.size() - 4, 4, ".tmp") == 0)
            fs::remove(e.path(), ec);
    }
}

std::optional<Checkpoint> newest_valid_checkpoint(const std::string& out_dir,
                                                  const std::function<void(const std::string&)>& warn) {
    for (const auto& path : list_checkpoints(out_dir)) {
        try {
            return read_checkpoint(path);
        } catch (const FormatVersionError&) {
            throw;
        } catch (const InputError& e) {
            if (warn) warn(fmt::format("skipping damaged checkpoint: {}", e.what()));
        }
    }
    return std::nullopt;
}

namespace {

void walk(const io::h5::Group& g, const std::string& prefix, std::vector<FileSummary::Object>& out) {
    for (const auto& name : g.members()) {
        const std::string path = prefix + "/" + name;
        io::h5::Handle obj(H5Oopen(g.id(), name.c_str(), H5P_DEFAULT), H5Oclose);
        if (obj.get() < 0) g.fail(name, "cannot open the object");
        const H5I_type_t t = H5Iget_type(obj.get());
        if (t == H5I_GROUP) {
            out.push_back({path, "group", {}});
            walk(g.open_group(name), path, out);
        } else if (t == H5I_DATASET) {
            FileSummary::Object o{path, "", {}};
            io::h5::Handle type(H5Dget_type(obj.get()), H5Tclose);
            const auto size = H5Tget_size(type.get()) * 8;
            switch (H5Tget_class(type.get())) {
                case H5T_FLOAT:
                    o.type = fmt::format("float{}", size);
                    break;
                case H5T_INTEGER:
                    o.type = fmt::format("{}int{}", H5Tget_sign(type.get()) == H5T_SGN_NONE ? "u" : "", size);
                    break;
                case H5T_STRING:
                    o.type = "string";
                    break;
                default:
                    o.type = "other";
            }
            io::h5::Handle space(H5Dget_space(obj.get()), H5Sclose);
            const int rank = H5Sget_simple_extent_ndims(space.get());
            if (rank > 0) {
                std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
                H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
                o.shape.assign(dims.begin(), dims.end());
            }
            out.push_back(std::move(o));
        }
    }
}

FileSummary summarize_unchecked(const std::string& path) {
    FileSummary s;
    s.path = path;
    auto file = io::h5::File::open_read(path);
    const auto root = file.root();
    if (!root.has_attr("format_version") || !root.has_attr("kind"))
        throw InputError(path + ": not an snnfit file (no format_version/kind attributes on /)");
    s.format_version = root.attr_int("format_version");
    if (s.format_version > io::kFormatVersion)
        throw FormatVersionError(
            fmt::format("{}: format_version {} is newer than this snnfit reads ({}); upgrade snnfit", path,
                        s.format_version, io::kFormatVersion));
    s.kind = root.attr_string("kind");
    if (s.kind != "checkpoint" && s.kind != "result")
        throw InputError(fmt::format("{}: an snnfit {} file, not a checkpoint or a result", path, s.kind));
    s.snnfit_version = root.has_attr("snnfit_version") ? root.attr_string("snnfit_version") : "";
    s.created = root.has_attr("created") ? root.attr_string("created") : "";
    s.run_seed = static_cast<std::uint64_t>(root.attr_int("run_seed"));
    s.generations = root.attr_int("generations");
    s.evaluations = root.attr_int("evaluations");
    const auto params = root.open_group("parameters");
    const ParameterSpace space = read_parameters(params);
    s.parameter_names = params.read_strings("names");
    s.loss_labels = root.open_group("losses").read_strings("labels");
    const auto best = root.open_group("best");
    s.best_valid = best.attr_int("valid") != 0;
    s.best_fitness = best.attr_double("fitness");
    s.best_island = best.attr_int("island");
    s.best_generation = best.attr_int("generation");
    s.best_parameters = best.read_doubles("parameters");
    s.best_objectives = best.read_doubles("objectives");
    if (s.kind == "checkpoint") {
        const auto c = read_checkpoint(path);  // checks every dataset
        s.wall_time_used = c.state.termination.wall_time_used;
        s.termination = opt::to_string(c.state.termination.reason);
        for (const auto& in : c.state.islands) {
            FileSummary::Island is;
            is.size = static_cast<std::int64_t>(in.fitness.size());
            std::size_t b = 0;
            for (std::size_t i = 1; i < in.fitness.size(); ++i)
                if (in.fitness[i] < in.fitness[b]) b = i;
            if (!in.fitness.empty()) {
                const auto d = static_cast<std::ptrdiff_t>(c.state.dim);
                const auto m = static_cast<std::ptrdiff_t>(c.state.n_objectives);
                const auto bi = static_cast<std::ptrdiff_t>(b);
                is.best_fitness = in.fitness[b];
                is.best_id = in.ids[b];
                if (c.state.dim != space.size()) params.fail("", "parameter table does not match the population");
                is.best_parameters = space.decode(
                    std::vector<double>(in.population.begin() + bi * d, in.population.begin() + (bi + 1) * d));
                is.best_objectives.assign(in.objectives.begin() + bi * m, in.objectives.begin() + (bi + 1) * m);
            }
            s.islands.push_back(std::move(is));
        }
    } else {
        s.termination = root.has_attr("termination") ? root.attr_string("termination") : "";
        // A result keeps the history only: the islands' best of the last generation.
        std::size_t rows = 0, cols = 0;
        const auto ib = root.open_group("history/islands").read_matrix("best", rows, cols);
        if (rows > 0)
            for (std::size_t k = 0; k < cols; ++k) {
                FileSummary::Island is;
                is.best_fitness = ib[(rows - 1) * cols + k];
                s.islands.push_back(is);
            }
    }
    walk(root, "", s.layout);
    return s;
}

}  // namespace

FileSummary summarize_file(const std::string& path) {
    try {
        return summarize_unchecked(path);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw InputError(fmt::format("{}: unreadable file: {}", path, e.what()));
    }
}

std::vector<std::string> config_differences(const io::ConfigDocument& stored, const io::ConfigDocument& current) {
    return io::differences(stored, current, {"optimizer.termination", "checkpoint"});
}

}  // namespace snnfit::fit
