#include "io/spike_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "common/error.hpp"
#include "io/h5_layout.hpp"

namespace snnfit::io {

namespace {

bool parse_double(const std::string& token, double& out) {
    if (token.empty()) return false;
    errno = 0;
    char* end = nullptr;
    out = std::strtod(token.c_str(), &end);
    return errno == 0 && end == token.c_str() + token.size() && std::isfinite(out);
}

// A token as it can appear in a one-line message: printable ASCII, others as \xNN,
// cut after 40 characters (a binary file must not spill control bytes on the terminal).
std::string printable(const std::string& token) {
    std::string out;
    for (std::size_t i = 0; i < token.size() && i < 40; ++i) {
        const auto c = static_cast<unsigned char>(token[i]);
        if (c >= 0x20 && c < 0x7f)
            out += static_cast<char>(c);
        else
            out += fmt::format("\\x{:02x}", c);
    }
    if (token.size() > 40) out += "...";
    return out;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

}  // namespace

std::ifstream open_input_file(const std::string& path, const std::string& what) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw InputError(path + ": is a directory, not " + what);
    std::ifstream in(path);
    if (!in) throw InputError(path + ": cannot open the file (missing or unreadable)");
    return in;
}

SpikeText read_spike_text(std::istream& in, const std::string& name, double scale) {
    SpikeText out;
    std::string line;
    std::vector<double> train;
    int lineno = 0;
    auto blank = [](char ch) { return ch == ' ' || ch == '\t' || ch == ',' || ch == '\v' || ch == '\f'; };
    while (std::getline(in, line)) {
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        train.clear();
        const char* p = line.c_str();
        const char* end = p + line.size();
        while (p < end) {
            while (p < end && blank(*p)) ++p;
            if (p >= end) break;
            const char* tok = p;
            while (p < end && !blank(*p)) ++p;
            const std::string token(tok, p);
            char* stop = nullptr;
            errno = 0;
            const double v = std::strtod(token.c_str(), &stop);
            if (stop != token.c_str() + token.size())
                throw InputError(fmt::format("{}:{}: '{}' is not a number (expected spike times separated by blanks)",
                                             name, lineno, printable(token)));
            if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
                throw InputError(
                    fmt::format("{}:{}: '{}' is out of range for a double", name, lineno, printable(token)));
            train.push_back(v * scale);
        }
        out.raster.push_train(train);
        out.lines.push_back(lineno);
    }
    if (in.bad()) throw InputError(fmt::format("{}: read error", name));
    return out;
}

SpikeText read_spike_text_file(const std::string& path, double scale) {
    auto in = open_input_file(path, "a spike-train file");
    return read_spike_text(in, path, scale);
}

SpikeRaster read_spike_csv(const std::string& path, std::int64_t neurons, double scale) {
    auto in = open_input_file(path, "a spike-train file");
    std::map<std::int64_t, std::vector<double>> trains;
    std::string line;
    int lineno = 0;
    std::int64_t max_neuron = -1;
    bool first = true;  // the first line with content may be a header
    while (std::getline(in, line)) {
        ++lineno;
        const std::string t = trim(line);
        if (t.empty() || t[0] == '#') continue;
        const bool may_be_header = first;
        first = false;
        const auto comma = t.find(',');
        if (comma == std::string::npos)
            throw InputError(fmt::format("{}:{}: expected 'neuron,time', got '{}'", path, lineno, printable(t)));
        const std::string a = trim(t.substr(0, comma)), b = trim(t.substr(comma + 1));
        double n, time;
        if (!parse_double(a, n) || !parse_double(b, time)) {
            // A header names its columns: a first line whose neuron is a number is data.
            double number;
            if (may_be_header && !parse_double(a, number)) continue;
            throw InputError(
                fmt::format("{}:{}: expected 'neuron,time' numbers, got '{}'", path, lineno, printable(t)));
        }
        if (n < 0 || n != std::floor(n) || n > 1e15)
            throw InputError(
                fmt::format("{}:{}: neuron index '{}' is not an integer in [0, 1e15]", path, lineno, printable(a)));
        const auto idx = static_cast<std::int64_t>(n);
        if (neurons > 0 && idx >= neurons)
            throw InputError(fmt::format("{}:{}: neuron {} is out of range (the target has {} neurons)", path, lineno,
                                         idx, neurons));
        trains[idx].push_back(time * scale);
        max_neuron = std::max(max_neuron, idx);
    }
    const std::int64_t size = neurons > 0 ? neurons : max_neuron + 1;
    SpikeRaster r;
    for (std::int64_t i = 0; i < size; ++i) {
        auto it = trains.find(i);
        if (it == trains.end()) {
            r.push_train({});
            continue;
        }
        std::sort(it->second.begin(), it->second.end());
        r.push_train(it->second);
    }
    return r;
}

SpikeRaster read_spike_h5(const std::string& path, const std::string& group) {
    auto file = h5::File::open_read(path);
    auto root = file.root();
    if (group.empty() || group == "/") return read_raster(root);
    return read_raster(root.open_group(group));
}

bool is_hdf5_file(const std::string& path) {
    // Only a regular file is looked into: reading a pipe (<(...)) would consume its start.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return false;
    std::ifstream in(path, std::ios::binary);
    char sig[8] = {};
    in.read(sig, sizeof sig);
    return in.gcount() == 8 && std::string(sig, 8) == std::string("\x89HDF\r\n\x1a\n", 8);
}

SnnfitRaster read_snnfit_raster(const std::string& path, const std::string& population, const std::string& which) {
    auto file = h5::File::open_read(path);
    auto root = file.root();
    const std::string kind = check_header(root);
    SnnfitRaster out;
    if (kind == "simulation") {
        if (which != "best") throw InputError(fmt::format("{}: a simulation has no {} raster", path, which));
        out.group = "spikes";
        out.t_stop = root.attr_double("t_stop");
    } else if (kind == "result" || kind == "checkpoint") {
        if (which != "best" && which != "target")
            throw InputError(fmt::format("--raster {}: expected best or target", which));
        out.group = which == "best" ? "best/spikes" : "target";
    } else {
        throw InputError(fmt::format("{}: a snnfit {} file holds no spike rasters", path, kind));
    }
    if (!root.has(out.group)) throw InputError(fmt::format("{}: no /{} group", path, out.group));
    const auto g = root.open_group(out.group);
    const auto pops = g.members();
    std::string names;
    for (const auto& p : pops) names += (names.empty() ? "" : ", ") + p;
    std::string pop = population;
    if (pop.empty()) {
        if (pops.size() != 1)
            throw InputError(fmt::format("{}: /{} holds {} populations ({}); choose one with --population", path,
                                         out.group, pops.size(), names.empty() ? "none" : names));
        pop = pops.front();
    } else if (!g.has(pop)) {
        throw InputError(fmt::format("{}: no population \"{}\" in /{} (it holds: {})", path, pop, out.group,
                                     names.empty() ? "none" : names));
    }
    out.group += "/" + pop;
    out.raster = read_raster(g.open_group(pop));
    return out;
}

}  // namespace snnfit::io
