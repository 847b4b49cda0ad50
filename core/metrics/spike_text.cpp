#include "metrics/spike_text.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/core.h>

#include "common/error.hpp"

namespace snnfit::metrics {

namespace {
// A token as it can appear in a one-line message: printable ASCII, others as \xNN,
// cut after 40 characters.
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
}  // namespace

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
                                             name, lineno, printable(token)));
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
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw InputError(fmt::format("{}: is a directory, not a spike-train file", path));
    std::ifstream f(path);
    if (!f) throw InputError(fmt::format("{}: cannot open spike-train file", path));
    return read_spike_text(f, path);
}

}  // namespace snnfit::metrics
