#include "metrics/spike_text.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include <fmt/core.h>

#include "common/error.hpp"

namespace snnfit::metrics {

TextTrains read_spike_text(std::istream& in, const std::string& name) {
    TextTrains out;
    std::string line;
    std::vector<double> train;
    int lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        train.clear();
        const char* p = line.c_str();
        const char* end = p + line.size();
        while (p < end) {
            while (p < end && (*p == ' ' || *p == '\t' || *p == ',' || *p == '\v' || *p == '\f')) ++p;
            if (p >= end) break;
            const char* tok = p;
            while (p < end && !(*p == ' ' || *p == '\t' || *p == ',' || *p == '\v' || *p == '\f')) ++p;
            const std::string token(tok, p);
            char* stop = nullptr;
            errno = 0;
            const double v = std::strtod(token.c_str(), &stop);
            if (stop != token.c_str() + token.size() || token.empty())
                throw InputError(fmt::format("{}:{}: '{}' is not a number (expected spike times separated by blanks)",
                                             name, lineno, token));
            if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
                throw InputError(fmt::format("{}:{}: '{}' is out of range for a double", name, lineno, token));
            train.push_back(v);
        }
        out.raster.push_train(train);
        out.lines.push_back(lineno);
    }
    if (in.bad()) throw InputError(fmt::format("{}: read error", name));
    return out;
}

TextTrains read_spike_text_file(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw InputError(fmt::format("{}: cannot open spike-train file", path));
    return read_spike_text(f, path);
}

}  // namespace snnfit::metrics
