#include "io/json.hpp"

#include <cmath>

#include <fmt/format.h>

namespace snnfit::io {

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20)
                    out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
                else
                    out += c;
        }
    }
    return out + "\"";
}

std::string json_number(double x) {
    return std::isfinite(x) ? fmt::format("{}", x) : "null";
}

std::string json_numbers(const std::vector<double>& v) {
    return json_array(v, json_number);
}
std::string json_strings(const std::vector<std::string>& v) {
    return json_array(v, json_string);
}

}  // namespace snnfit::io
