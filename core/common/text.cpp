#include "common/text.hpp"

#include <fmt/format.h>

namespace snnfit {

namespace {
bool is_control(unsigned char c) {
    return c < 0x20 || c == 0x7f;
}
}  // namespace

std::string printable(std::string_view s, std::size_t max) {
    std::string out;
    for (std::size_t i = 0; i < s.size() && i < max; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (is_control(c))
            out += fmt::format("\\x{:02x}", c);
        else
            out += static_cast<char>(c);
    }
    if (s.size() > max) out += fmt::format("... ({} characters)", s.size());
    return out;
}

bool has_control_character(std::string_view s) {
    for (const char c : s)
        if (is_control(static_cast<unsigned char>(c))) return true;
    return false;
}

}  // namespace snnfit
