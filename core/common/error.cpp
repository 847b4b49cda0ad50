#include "common/error.hpp"

#include <fmt/format.h>

#include "common/text.hpp"

namespace snnfit {

namespace {
std::string config_message(const std::string& file, int line, const std::string& key,
                           const std::string& what) {
    // A key from a hostile file may be a megabyte long or hold control bytes.
    std::string where = file.empty() ? std::string("config") : printable(file, 300);
    if (line > 0) where += fmt::format(":{}", line);
    if (key.empty()) return fmt::format("{}: {}", where, what);
    return fmt::format("{}: {}: {}", where, printable(key), what);
}
}  // namespace

ConfigError::ConfigError(std::string file, int line, std::string key, const std::string& what)
    : Error(config_message(file, line, key, what)),
      file_(std::move(file)),
      line_(line),
      key_(std::move(key)) {}

}  // namespace snnfit
