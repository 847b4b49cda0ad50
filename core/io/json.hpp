// JSON written by hand for the machine-readable outputs (inspect --json, validate
// --json): escaped strings, and numbers at full precision with NaN and infinities as
// null (JSON has neither).
#pragma once

#include <string>
#include <vector>

namespace snnfit::io {

std::string json_string(const std::string& s);
std::string json_number(double x);
std::string json_numbers(const std::vector<double>& v);
std::string json_strings(const std::vector<std::string>& v);

// "[item(v[0]), item(v[1]), ...]"
template <class T, class F>
std::string json_array(const std::vector<T>& v, F&& item) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + item(v[i]);
    return out + "]";
}

}  // namespace snnfit::io
