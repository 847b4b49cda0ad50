#include "io/sweep_files.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "io/spike_files.hpp"

namespace snnfit::io {

namespace {

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \t\r");
    if (a == std::string::npos) return "";
    return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, sep)) out.push_back(trim(cell));
    if (!line.empty() && line.back() == sep) out.emplace_back();
    return out;
}

double to_number(const std::string& token, const std::string& where) {
    errno = 0;
    char* end = nullptr;
    const double x = std::strtod(token.c_str(), &end);
    if (token.empty() || errno != 0 || end != token.c_str() + token.size() || !std::isfinite(x))
        throw InputError(fmt::format("{}: expected a number, got '{}'", where, token.substr(0, 40)));
    return x;
}

}  // namespace

void check_sweep(const RecordedSweep& s, const std::string& where) {
    for (std::size_t k = 0; k < s.spikes.size(); ++k) {
        if (!std::isfinite(s.spikes[k]) || s.spikes[k] < 0)
            throw InputError(fmt::format("{}: spike {} is not a finite time >= 0", where, k));
        if (k > 0 && !(s.spikes[k] > s.spikes[k - 1]))
            throw InputError(fmt::format("{}: spike times are not strictly increasing at spike {} ({} after {})",
                                         where, k, s.spikes[k], s.spikes[k - 1]));
    }
    auto positive = [&](const std::optional<double>& v, const char* what) {
        if (v && !(*v > 0 && std::isfinite(*v)))
            throw InputError(fmt::format("{}: {} must be a positive number of ms, got {}", where, what, *v));
    };
    positive(s.duration, "duration");
    positive(s.length, "length");
    if (s.delay && !(*s.delay >= 0 && std::isfinite(*s.delay)))
        throw InputError(fmt::format("{}: delay must be >= 0 ms, got {}", where, *s.delay));
}

std::vector<RecordedSweep> read_sweep_csv(const std::string& path) {
    auto in = open_input_file(path, "a sweep file");
    std::string line;
    int lineno = 0;
    std::map<std::string, std::size_t> col;
    std::vector<RecordedSweep> out;
    while (std::getline(in, line)) {
        ++lineno;
        const auto t = trim(line);
        if (t.empty() || t[0] == '#') continue;
        const auto cells = split(t, ',');
        const std::string where = fmt::format("{}:{}", path, lineno);
        if (col.empty()) {
            for (std::size_t i = 0; i < cells.size(); ++i) {
                if (cells[i] != "sweep" && cells[i] != "amplitude" && cells[i] != "delay" && cells[i] != "duration" &&
                    cells[i] != "length" && cells[i] != "spikes")
                    throw InputError(fmt::format("{}: unknown column '{}' (expected sweep, amplitude, delay, "
                                                 "duration, length, spikes)",
                                                 where, cells[i].substr(0, 40)));
                col[cells[i]] = i;
            }
            for (const char* need : {"sweep", "amplitude", "spikes"})
                if (!col.count(need))
                    throw InputError(fmt::format("{}: the header has no '{}' column", where, need));
            continue;
        }
        if (cells.size() != col.size())
            throw InputError(fmt::format("{}: expected {} fields, got {}", where, col.size(), cells.size()));
        RecordedSweep s;
        s.name = cells[col["sweep"]];
        s.amplitude = to_number(cells[col["amplitude"]], where);
        for (auto [key, field] : {std::pair{"delay", &s.delay}, {"duration", &s.duration}, {"length", &s.length}})
            if (col.count(key) && !cells[col[key]].empty()) *field = to_number(cells[col[key]], where);
        std::istringstream spikes(cells[col["spikes"]]);
        for (std::string tok; spikes >> tok;) s.spikes.push_back(to_number(tok, where));
        check_sweep(s, where);
        out.push_back(std::move(s));
    }
    if (out.empty()) throw InputError(path + ": holds no sweep");
    return out;
}

std::vector<RecordedSweep> read_sweep_json(const std::string& path) {
    auto in = open_input_file(path, "a sweep file");
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        // The library's message carries the line and column.
        throw InputError(fmt::format("{}: not valid JSON: {}", path, e.what()));
    }
    const auto& list = doc.is_object() && doc.contains("sweeps") ? doc["sweeps"] : doc;
    if (!list.is_array()) throw InputError(path + ": expected an array of sweeps, or an object with a \"sweeps\" array");
    std::vector<RecordedSweep> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& j = list[i];
        const std::string where = fmt::format("{}: sweeps[{}]", path, i);
        if (!j.is_object()) throw InputError(where + ": expected an object");
        RecordedSweep s;
        for (const auto& [key, value] : j.items()) {
            auto number = [&where, &key = key, &value = value]() {
                if (!value.is_number()) throw InputError(fmt::format("{}.{}: expected a number", where, key));
                return value.get<double>();
            };
            if (key == "sweep" || key == "name")
                s.name = value.is_string() ? value.get<std::string>() : value.dump();
            else if (key == "amplitude")
                s.amplitude = number();
            else if (key == "delay")
                s.delay = number();
            else if (key == "duration")
                s.duration = number();
            else if (key == "length")
                s.length = number();
            else if (key == "spikes") {
                if (!value.is_array()) throw InputError(where + ".spikes: expected an array of times in ms");
                for (const auto& t : value) {
                    if (!t.is_number()) throw InputError(where + ".spikes: expected numbers");
                    s.spikes.push_back(t.get<double>());
                }
            } else {
                throw InputError(fmt::format("{}: unknown key \"{}\" (expected sweep, amplitude, delay, duration, "
                                             "length, spikes)",
                                             where, key));
            }
        }
        if (s.name.empty()) s.name = std::to_string(i);
        if (!s.amplitude) throw InputError(where + ": missing \"amplitude\"");
        if (!j.contains("spikes")) throw InputError(where + ": missing \"spikes\"");
        check_sweep(s, where);
        out.push_back(std::move(s));
    }
    if (out.empty()) throw InputError(path + ": holds no sweep");
    return out;
}

}  // namespace snnfit::io
