// Text that goes into one-line messages: a value read from outside (a token of a data
// file, a config key, a --set override) may hold control bytes or be megabytes long.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace snnfit {

// `s` with control characters (and DEL) as \xNN, cut after `max` characters with "...".
// Printable text, including UTF-8, is kept as it is.
std::string printable(std::string_view s, std::size_t max = 80);

// Whether `s` holds a control character (a byte below 0x20, or DEL).
bool has_control_character(std::string_view s);

}  // namespace snnfit
