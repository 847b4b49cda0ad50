// Strict TOML configuration: a document read with toml11, --set overrides applied,
// and table views that know the file, line and key path of every value they hand out.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml.hpp>

namespace snnfit::io {

// Allowed range of a number; the description goes into error messages.
struct Range {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    bool lo_open = false;
    bool hi_open = false;

    static Range any() { return {}; }
    static Range positive() { return {0.0, std::numeric_limits<double>::infinity(), true, false}; }
    static Range nonnegative() { return {0.0, std::numeric_limits<double>::infinity(), false, false}; }
    static Range probability() { return {0.0, 1.0, false, false}; }
    static Range closed(double lo, double hi) { return {lo, hi, false, false}; }
    static Range at_least(double lo) { return {lo, std::numeric_limits<double>::infinity(), false, false}; }
    bool contains(double x) const;
    std::string describe() const;
};

class ConfigTable;

// One parsed config: the text it came from, the overrides applied, the value tree.
class ConfigDocument {
public:
    // Reads FILE; each override is "KEY=VALUE" with KEY a dotted path (see apply_override).
    static ConfigDocument from_file(const std::string& path, const std::vector<std::string>& overrides = {});
    static ConfigDocument from_string(const std::string& text, const std::string& name,
                                      const std::vector<std::string>& overrides = {});

    ConfigTable root() const;
    const std::string& file() const { return file_; }
    const std::string& text() const { return text_; }
    const std::vector<std::string>& overrides() const { return overrides_; }

private:
    std::string file_;
    std::string text_;
    std::vector<std::string> overrides_;
    std::shared_ptr<toml::value> root_;
};

// A config that is valid but probably not what its author meant: one line on stderr,
// "snnfit: warning: MESSAGE", once per message per process.
void config_warning(const std::string& message);

// Sets the value at a dotted KEY path ("simulation.dt", "populations.E.size",
// "populations[0].params.a") from VALUE written in TOML syntax (a bare word counts
// as a string). An element of an array of tables is addressed by index or by the
// value of its `name` key. Throws ConfigError naming the override on a bad path.
void apply_override(toml::value& root, const std::string& assignment);

// Key paths whose values differ between two configs (text + overrides), compared as TOML
// trees (1 and 1.0 are equal); tables or keys at the `ignored` paths are skipped. Each
// entry: "key: old -> new".
std::vector<std::string> differences(const ConfigDocument& a, const ConfigDocument& b,
                                     const std::vector<std::string>& ignored = {});

// A read-only view of one TOML table that records which keys were read, so that
// finish() can reject keys nobody asked for: a typo must never be silently ignored.
class ConfigTable {
public:
    ConfigTable(const toml::value* table, std::string file, std::string path);

    const std::string& file() const { return file_; }
    const std::string& path() const { return path_; }
    std::string key_path(std::string_view key) const;
    // A file named in this config: a relative path is relative to the config file, as a
    // user reading the config expects.
    std::string relative_to_file(const std::string& file) const;
    int line() const;                      // line of the table itself, 0 if unknown
    int line(std::string_view key) const;  // line of the key's value, or of the table
    bool has(std::string_view key) const;
    std::vector<std::string> keys() const;

    // Required and optional scalars. Numbers accept TOML integers and floats and
    // must be finite; integers must be TOML integers.
    double number(std::string_view key, const Range& range = Range::any()) const;
    double number_or(std::string_view key, double fallback, const Range& range = Range::any()) const;
    std::optional<double> find_number(std::string_view key, const Range& range = Range::any()) const;
    std::int64_t integer(std::string_view key, const Range& range = Range::any()) const;
    std::int64_t integer_or(std::string_view key, std::int64_t fallback, const Range& range = Range::any()) const;
    bool boolean(std::string_view key) const;
    bool boolean_or(std::string_view key, bool fallback) const;
    std::string string(std::string_view key) const;
    std::string string_or(std::string_view key, const std::string& fallback) const;
    // A string that must be one of `allowed`.
    std::string choice(std::string_view key, const std::vector<std::string>& allowed) const;
    std::string choice_or(std::string_view key, const std::string& fallback,
                          const std::vector<std::string>& allowed) const;
    std::vector<double> numbers(std::string_view key, const Range& range = Range::any()) const;
    std::vector<std::int64_t> integers(std::string_view key, const Range& range = Range::any()) const;
    std::vector<std::string> strings(std::string_view key) const;

    bool is_table(std::string_view key) const;
    bool is_number(std::string_view key) const;
    bool is_string(std::string_view key) const;
    bool is_array(std::string_view key) const;
    ConfigTable table(std::string_view key) const;
    std::optional<ConfigTable> find_table(std::string_view key) const;
    // An array of tables ([[key]] or key = [{...}, ...]); empty when absent.
    std::vector<ConfigTable> tables(std::string_view key) const;
    // The raw value, marking the key as read (for values of more than one shape).
    const toml::value& raw(std::string_view key) const;

    // Marks a key as read without reading it (handled elsewhere).
    void mark_used(std::string_view key) const;
    // Throws on the first key (in file order) that was never read, listing the keys
    // that the parser asked for: those are the valid ones here.
    void finish() const;
    [[noreturn]] void fail(std::string_view key, const std::string& what) const;
    [[noreturn]] void fail(const std::string& what) const;

private:
    const toml::value& require(std::string_view key, std::string_view expected) const;
    // `record` marks the key as one the parser asked for (see finish()).
    const toml::value* lookup(std::string_view key, bool record = true) const;
    double to_number(std::string_view key, const toml::value& v, const Range& range) const;
    [[noreturn]] void type_fail(std::string_view key, const toml::value& v, std::string_view expected) const;

    const toml::value* table_;
    std::string file_;
    std::string path_;
    std::shared_ptr<std::set<std::string, std::less<>>> used_;   // keys read
    std::shared_ptr<std::set<std::string, std::less<>>> asked_;  // keys any parser looked for
};

// A short description of a TOML value for messages: `string "abc"`, `integer 3`.
std::string describe_value(const toml::value& v);

}  // namespace snnfit::io
