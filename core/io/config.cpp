#include "io/config.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "common/error.hpp"
#include "common/text.hpp"

namespace snnfit::io {

void config_warning(const std::string& message) {
    static std::mutex mutex;
    static std::set<std::string> said;
    const std::lock_guard lock(mutex);
    if (said.insert(message).second) std::fprintf(stderr, "snnfit: warning: %s\n", message.c_str());
}

namespace {

constexpr int kMaxNesting = 64;
constexpr std::size_t kMaxConfigBytes = std::size_t{16} << 20;

std::string trim_blanks(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// toml11's syntax errors span several lines ("[error] toml::parse_xxx: what\n --> file
// \n 3 | text\n   | ^-- hint"). Fold one into "file:3: TOML syntax error: what (hint)".
ConfigError fold_syntax_error(const std::string& file, const std::string& message) {
    std::istringstream in(message);
    std::string first;
    std::getline(in, first);
    first = trim_blanks(first);
    if (first.rfind("[error]", 0) == 0) first = trim_blanks(first.substr(7));
    if (first.rfind("toml::", 0) == 0) {
        const auto colon = first.find(": ");
        if (colon != std::string::npos) first = first.substr(colon + 2);
    }
    int line = 0;
    std::string hint, l;
    while (std::getline(in, l)) {
        const auto bar = l.find('|');
        const std::string number = bar == std::string::npos ? "" : trim_blanks(l.substr(0, bar));
        const bool numbered = !number.empty() && number.find_first_not_of("0123456789") == std::string::npos;
        if (numbered) {
            if (line == 0) line = std::stoi(number);
        } else if (hint.empty()) {
            auto k = l.find('^');
            if (k == std::string::npos) continue;
            while (k < l.size() && (l[k] == '^' || l[k] == '-')) ++k;
            hint = trim_blanks(l.substr(k));
        }
    }
    std::string what = "TOML syntax error: " + first;
    if (!hint.empty() && hint != first) what += " (" + hint + ")";
    return ConfigError(file, line, "", what);
}

// toml11 parses nested arrays and inline tables by recursion: depth 10 000 overflows
// the stack. Count the nesting first, skipping strings and comments; a table header
// [a] or [[a]] counts too, which a limit this far above any real config can afford.
// `lines`: name the line (a file), or not (a --set value).
void check_nesting(const std::string& text, const std::string& name, bool lines = true) {
    int depth = 0, line = 1;
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
        } else if (c == '#') {
            while (i + 1 < n && text[i + 1] != '\n') ++i;
        } else if (c == '"' || c == '\'') {
            const bool multi = i + 2 < n && text[i + 1] == c && text[i + 2] == c;
            const bool escapes = c == '"';
            i += multi ? 3 : 1;
            for (; i < n; ++i) {
                if (escapes && text[i] == '\\') {
                    ++i;
                    if (i < n && text[i] == '\n') ++line;
                    continue;
                }
                if (text[i] == '\n') {
                    ++line;
                    if (!multi) break;  // an unterminated string: the parser reports it
                }
                if (text[i] == c && (!multi || (i + 2 < n && text[i + 1] == c && text[i + 2] == c))) {
                    if (multi) i += 2;
                    break;
                }
            }
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxNesting)
                throw ConfigError(name, lines ? line : 0, "",
                                  fmt::format("arrays and inline tables nested deeper than {} levels", kMaxNesting));
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
}

// TOML is UTF-8, and toml11 3.7's error path for a bad sequence inside a literal string
// reads past the end of its buffer (found by tests/fuzz/fuzz_config): refuse it first.
void check_utf8(const std::string& text, const std::string& name, bool lines = true) {
    int line = 1;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned c = p[i];
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (std::size_t k = 1; ok && k < len; ++k) ok = (p[i + k] & 0xc0) == 0x80;
        if (ok && len > 1) {
            // No overlong forms, no surrogates, nothing above U+10FFFF.
            std::uint32_t cp = c & (0xff >> (len + 1));
            for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (p[i + k] & 0x3f);
            static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
            ok = cp >= kMin[len] && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
        }
        if (!ok)
            throw ConfigError(name, lines ? line : 0, "",
                              fmt::format("not valid UTF-8 (byte 0x{:02x}); TOML files are UTF-8", c));
        if (c == '\n') ++line;
        i += len;
    }
}

std::string read_file_text(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw ConfigError(path, 0, "", "is a directory, not a config file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path, 0, "", "cannot open the config file (missing or unreadable)");
    // Read at most one byte past the limit: /dev/zero or a data file given by mistake is
    // refused at once instead of filling memory first.
    std::string text(kMaxConfigBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) throw ConfigError(path, 0, "", "cannot read the config file");
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes)
        throw ConfigError(
            path, 0, "",
            fmt::format("larger than {} MiB: not a config file (configs are a few kB)", kMaxConfigBytes >> 20));
    return text;
}

toml::value parse_text(const std::string& text, const std::string& name) {
    check_utf8(text, name);
    check_nesting(text, name);
    std::istringstream in(text);
    try {
        return toml::parse(in, name);
    } catch (const toml::syntax_error& e) {
        throw fold_syntax_error(name, e.what());
    } catch (const std::exception& e) {
        throw fold_syntax_error(name, e.what());
    }
}

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i) out += i + 1 == words.size() ? " or " : ", ";
        out += words[i];
    }
    return out;
}

}  // namespace

bool Range::contains(double x) const {
    if (lo_open ? !(x > lo) : !(x >= lo)) return false;
    if (hi_open ? !(x < hi) : !(x <= hi)) return false;
    return true;
}

std::string Range::describe() const {
    const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
    if (has_lo && has_hi)
        return fmt::format("a number in {}{}, {}{}", lo_open ? "(" : "[", lo, hi, hi_open ? ")" : "]");
    if (has_lo) return fmt::format("a number {} {}", lo_open ? ">" : ">=", lo);
    if (has_hi) return fmt::format("a number {} {}", hi_open ? "<" : "<=", hi);
    return "a finite number";
}

std::string describe_value(const toml::value& v) {
    switch (v.type()) {
        case toml::value_t::boolean:
            return fmt::format("boolean {}", v.as_boolean());
        case toml::value_t::integer:
            return fmt::format("integer {}", v.as_integer());
        case toml::value_t::floating:
            return fmt::format("float {}", v.as_floating());
        case toml::value_t::string:
            return fmt::format("string \"{}\"", printable(v.as_string().str));
        case toml::value_t::array:
            return "an array";
        case toml::value_t::table:
            return "a table";
        case toml::value_t::empty:
            return "nothing";
        default:
            return "a date/time";
    }
}

// ---------------------------------------------------------------- ConfigDocument

ConfigDocument ConfigDocument::from_file(const std::string& path, const std::vector<std::string>& overrides) {
    return from_string(read_file_text(path), path, overrides);
}

ConfigDocument ConfigDocument::from_string(const std::string& text, const std::string& name,
                                           const std::vector<std::string>& overrides) {
    ConfigDocument doc;
    doc.file_ = name;
    doc.text_ = text;
    doc.overrides_ = overrides;
    doc.root_ = std::make_shared<toml::value>(parse_text(text, name));
    for (const auto& o : overrides) apply_override(*doc.root_, o);
    return doc;
}

ConfigTable ConfigDocument::root() const {
    return ConfigTable(root_.get(), file_, "");
}

// ---------------------------------------------------------------- overrides

void apply_override(toml::value& root, const std::string& assignment) {
    const std::string where = "--set " + printable(assignment, 200);
    // A newline would let one override smuggle in whole tables, and the stored overrides
    // (one per line in checkpoints and results) could not be read back.
    if (has_control_character(assignment))
        throw ConfigError(where, 0, "", "control characters (newline, tab, ...) are not allowed in an override");
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw ConfigError(where, 0, "", "expected KEY=VALUE, e.g. --set simulation.dt=0.05");
    const std::string key = assignment.substr(0, eq);
    const std::string text = assignment.substr(eq + 1);
    check_utf8(text, where, false);
    check_nesting(text, where, false);

    // Split "a.b[2].c" into segments a, b, [2], c; a quoted segment ("a.b" or 'a') is one
    // key, as in TOML.
    std::vector<std::string> segments;
    std::string cur;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const char c = key[i];
        if (c == '.') {
            if (!cur.empty()) segments.push_back(cur);
            cur.clear();
        } else if (c == '"' || c == '\'') {
            const auto close = key.find(c, i + 1);
            if (close == std::string::npos) throw ConfigError(where, 0, key, "unclosed quote in the key");
            cur += key.substr(i + 1, close - i - 1);
            i = close;
        } else if (c == '[') {
            if (!cur.empty()) segments.push_back(cur);
            cur.clear();
            const auto close = key.find(']', i);
            if (close == std::string::npos) throw ConfigError(where, 0, key, "unclosed '[' in the key");
            segments.push_back(key.substr(i + 1, close - i - 1));
            i = close;
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) segments.push_back(cur);
    if (segments.empty()) throw ConfigError(where, 0, "", "empty key");

    toml::value value;
    {
        std::istringstream in("v = " + text);
        try {
            value = toml::parse(in, where).as_table().at("v");
        } catch (const std::exception&) {
            // A bare word is a string (--set model=adex): quote it and parse again,
            // so the value still knows it came from this override.
            std::string quoted = "v = \"";
            for (char c : text) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
            std::istringstream in2(quoted + "\"");
            try {
                value = toml::parse(in2, where).as_table().at("v");
            } catch (const std::exception&) {
                throw ConfigError(where, 0, key, "cannot read the value as TOML");
            }
        }
    }

    toml::value* node = &root;
    std::string done;
    for (std::size_t s = 0; s < segments.size(); ++s) {
        const std::string& seg = segments[s];
        const bool last = s + 1 == segments.size();
        if (node->is_array()) {
            auto& arr = node->as_array();
            toml::value* next = nullptr;
            const bool numeric = !seg.empty() && std::all_of(seg.begin(), seg.end(), ::isdigit);
            if (numeric) {
                std::size_t idx = 0;
                const auto [end, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), idx);
                if (ec != std::errc() || end != seg.data() + seg.size()) idx = arr.size();  // too large
                if (idx >= arr.size())
                    throw ConfigError(where, 0, key,
                                      fmt::format("index {} is past the end of '{}' ({} elements)", printable(seg),
                                                  done, arr.size()));
                next = &arr[idx];
            } else {
                for (auto& el : arr)
                    if (el.is_table() && el.contains("name") && el.at("name").is_string() &&
                        el.at("name").as_string().str == seg)
                        next = &el;
                if (!next)
                    throw ConfigError(where, 0, key, fmt::format("no element of '{}' has name = \"{}\"", done, seg));
            }
            if (last) {
                *next = value;
                return;
            }
            node = next;
        } else {
            if (!node->is_table())
                throw ConfigError(where, 0, key, fmt::format("'{}' is {}, not a table", done, describe_value(*node)));
            auto& tab = node->as_table();
            if (last) {
                tab[seg] = value;
                return;
            }
            if (!tab.count(seg)) {
                // A table made here knows it came from this override, so that an error in
                // it (an unknown key) names the override, not line 1 of the config.
                std::istringstream in("v = {}");
                tab[seg] = toml::parse(in, where).as_table().at("v");
            }
            node = &tab[seg];
        }
        done += (done.empty() ? "" : ".") + seg;
    }
}

// ---------------------------------------------------------------- ConfigTable

ConfigTable::ConfigTable(const toml::value* table, std::string file, std::string path)
    : table_(table),
      file_(std::move(file)),
      path_(std::move(path)),
      used_(std::make_shared<std::set<std::string, std::less<>>>()),
      asked_(std::make_shared<std::set<std::string, std::less<>>>()) {
    if (!table_ || !table_->is_table()) throw InternalError("ConfigTable over a non-table value");
}

std::string ConfigTable::relative_to_file(const std::string& file) const {
    std::filesystem::path f = file;
    if (file.empty() || !f.is_relative()) return file;
    return (std::filesystem::path(file_).parent_path() / f).string();
}

std::string ConfigTable::key_path(std::string_view key) const {
    if (path_.empty()) return std::string(key);
    return path_ + "." + std::string(key);
}

int ConfigTable::line() const {
    const auto l = static_cast<int>(table_->location().line());
    return l > 0 && table_->location().file_name() == file_ ? l : 0;
}

int ConfigTable::line(std::string_view key) const {
    if (const auto* v = lookup(key, false)) {
        const auto& loc = v->location();
        if (loc.line() > 0 && loc.file_name() == file_) return static_cast<int>(loc.line());
    }
    return line();
}

const toml::value* ConfigTable::lookup(std::string_view key, bool record) const {
    if (record) asked_->emplace(key);
    const auto& tab = table_->as_table();
    auto it = tab.find(std::string(key));
    return it == tab.end() ? nullptr : &it->second;
}

bool ConfigTable::has(std::string_view key) const {
    return lookup(key) != nullptr;
}

std::vector<std::string> ConfigTable::keys() const {
    std::vector<std::string> out;
    for (const auto& kv : table_->as_table()) out.push_back(kv.first);
    std::sort(out.begin(), out.end());
    return out;
}

void ConfigTable::mark_used(std::string_view key) const {
    asked_->emplace(key);
    used_->emplace(key);
}

void ConfigTable::fail(std::string_view key, const std::string& what) const {
    const toml::value* v = lookup(key, false);
    std::string file = file_;
    int l = line(key);
    // A value that came from --set carries the override as its "file".
    if (v && v->location().file_name() != file_ && !v->location().file_name().empty() &&
        v->location().file_name().rfind("--set", 0) == 0) {
        file = v->location().file_name();
        l = 0;
    }
    throw ConfigError(file, l, key_path(key), what);
}

void ConfigTable::fail(const std::string& what) const {
    throw ConfigError(file_, line(), path_, what);
}

void ConfigTable::type_fail(std::string_view key, const toml::value& v, std::string_view expected) const {
    fail(key, fmt::format("expected {}, got {}", expected, describe_value(v)));
}

const toml::value& ConfigTable::require(std::string_view key, std::string_view expected) const {
    const toml::value* v = lookup(key);
    if (!v) {
        const std::string where = path_.empty() ? "the top level" : "[" + path_ + "]";
        throw ConfigError(file_, line(), key_path(key),
                          fmt::format("missing required key (expected {} in {})", expected, where));
    }
    used_->emplace(key);
    return *v;
}

double ConfigTable::to_number(std::string_view key, const toml::value& v, const Range& range) const {
    double x;
    if (v.is_integer())
        x = static_cast<double>(v.as_integer());
    else if (v.is_floating())
        x = v.as_floating();
    else
        type_fail(key, v, range.describe());
    if (!std::isfinite(x)) fail(key, fmt::format("expected {}, got {}", range.describe(), x));
    if (!range.contains(x)) fail(key, fmt::format("expected {}, got {}", range.describe(), x));
    return x;
}

double ConfigTable::number(std::string_view key, const Range& range) const {
    return to_number(key, require(key, range.describe()), range);
}

double ConfigTable::number_or(std::string_view key, double fallback, const Range& range) const {
    return has(key) ? number(key, range) : fallback;
}

std::optional<double> ConfigTable::find_number(std::string_view key, const Range& range) const {
    if (!has(key)) return std::nullopt;
    return number(key, range);
}

std::int64_t ConfigTable::integer(std::string_view key, const Range& range) const {
    const auto& v = require(key, "an integer");
    if (!v.is_integer()) type_fail(key, v, "an integer");
    const auto i = v.as_integer();
    if (!range.contains(static_cast<double>(i)))
        fail(key, fmt::format("expected an integer {}, got {}", range.describe().substr(9), i));
    return i;
}

std::int64_t ConfigTable::integer_or(std::string_view key, std::int64_t fallback, const Range& range) const {
    return has(key) ? integer(key, range) : fallback;
}

bool ConfigTable::boolean(std::string_view key) const {
    const auto& v = require(key, "true or false");
    if (!v.is_boolean()) type_fail(key, v, "true or false");
    return v.as_boolean();
}

bool ConfigTable::boolean_or(std::string_view key, bool fallback) const {
    return has(key) ? boolean(key) : fallback;
}

std::string ConfigTable::string(std::string_view key) const {
    const auto& v = require(key, "a string");
    if (!v.is_string()) type_fail(key, v, "a string");
    return v.as_string().str;
}

std::string ConfigTable::string_or(std::string_view key, const std::string& fallback) const {
    return has(key) ? string(key) : fallback;
}

std::string ConfigTable::choice(std::string_view key, const std::vector<std::string>& allowed) const {
    const auto s = string(key);
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
        fail(key, fmt::format("expected {}, got \"{}\"", join(allowed), s));
    return s;
}

std::string ConfigTable::choice_or(std::string_view key, const std::string& fallback,
                                   const std::vector<std::string>& allowed) const {
    return has(key) ? choice(key, allowed) : fallback;
}

std::vector<double> ConfigTable::numbers(std::string_view key, const Range& range) const {
    const auto& v = require(key, "an array of numbers");
    if (!v.is_array()) type_fail(key, v, "an array of numbers");
    std::vector<double> out;
    for (const auto& el : v.as_array()) out.push_back(to_number(key, el, range));
    return out;
}

std::vector<std::int64_t> ConfigTable::integers(std::string_view key, const Range& range) const {
    const auto& v = require(key, "an array of integers");
    if (!v.is_array()) type_fail(key, v, "an array of integers");
    std::vector<std::int64_t> out;
    for (const auto& el : v.as_array()) {
        if (!el.is_integer()) type_fail(key, el, "an array of integers");
        if (!range.contains(static_cast<double>(el.as_integer())))
            fail(key, fmt::format("expected integers {}, got {}", range.describe().substr(9), el.as_integer()));
        out.push_back(el.as_integer());
    }
    return out;
}

std::vector<std::string> ConfigTable::strings(std::string_view key) const {
    const auto& v = require(key, "an array of strings");
    if (!v.is_array()) type_fail(key, v, "an array of strings");
    std::vector<std::string> out;
    for (const auto& el : v.as_array()) {
        if (!el.is_string()) type_fail(key, el, "an array of strings");
        out.push_back(el.as_string().str);
    }
    return out;
}

bool ConfigTable::is_table(std::string_view key) const {
    const auto* v = lookup(key);
    return v && v->is_table();
}
bool ConfigTable::is_number(std::string_view key) const {
    const auto* v = lookup(key);
    return v && (v->is_integer() || v->is_floating());
}
bool ConfigTable::is_string(std::string_view key) const {
    const auto* v = lookup(key);
    return v && v->is_string();
}
bool ConfigTable::is_array(std::string_view key) const {
    const auto* v = lookup(key);
    return v && v->is_array();
}

ConfigTable ConfigTable::table(std::string_view key) const {
    const auto& v = require(key, "a table");
    if (!v.is_table()) type_fail(key, v, "a table");
    return ConfigTable(&v, file_, key_path(key));
}

std::optional<ConfigTable> ConfigTable::find_table(std::string_view key) const {
    if (!has(key)) return std::nullopt;
    return table(key);
}

std::vector<ConfigTable> ConfigTable::tables(std::string_view key) const {
    std::vector<ConfigTable> out;
    if (!has(key)) return out;
    const auto& v = require(key, "an array of tables");
    if (!v.is_array()) type_fail(key, v, "an array of tables ([[" + key_path(key) + "]])");
    const auto& arr = v.as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        if (!arr[i].is_table()) type_fail(key, arr[i], "an array of tables");
        out.emplace_back(&arr[i], file_, fmt::format("{}[{}]", key_path(key), i));
    }
    return out;
}

const toml::value& ConfigTable::raw(std::string_view key) const {
    return require(key, "a value");
}

void ConfigTable::finish() const {
    std::vector<std::pair<int, std::string>> unknown;
    for (const auto& kv : table_->as_table())
        if (!used_->count(kv.first)) unknown.emplace_back(line(kv.first), kv.first);
    if (unknown.empty()) return;
    std::sort(unknown.begin(), unknown.end());
    const std::vector<std::string> known(asked_->begin(), asked_->end());
    const auto& bad = unknown.front().second;
    std::string what = "unknown key";
    if (!known.empty()) what += " (expected one of: " + join(known) + ")";
    fail(bad, what);
}

namespace {

std::string render(const toml::value& v) {
    switch (v.type()) {
        case toml::value_t::boolean:
            return v.as_boolean() ? "true" : "false";
        case toml::value_t::integer:
            return fmt::format("{}", v.as_integer());
        case toml::value_t::floating:
            return fmt::format("{}", v.as_floating());
        case toml::value_t::string:
            return fmt::format("\"{}\"", v.as_string().str);
        case toml::value_t::array: {
            std::string s = "[";
            for (std::size_t i = 0; i < v.as_array().size(); ++i) s += (i ? ", " : "") + render(v.as_array()[i]);
            return s + "]";
        }
        case toml::value_t::table:
            return "a table";
        case toml::value_t::empty:
            return "(absent)";
        default:
            return "a date/time";
    }
}

void diff_values(const toml::value& a, const toml::value& b, const std::string& path,
                 const std::vector<std::string>& ignored, std::vector<std::string>& out) {
    if (std::find(ignored.begin(), ignored.end(), path) != ignored.end()) return;
    if (a.is_table() && b.is_table()) {
        std::set<std::string> keys;
        for (const auto& kv : a.as_table()) keys.insert(kv.first);
        for (const auto& kv : b.as_table()) keys.insert(kv.first);
        static const toml::value absent;
        for (const auto& k : keys) {
            const auto ia = a.as_table().find(k), ib = b.as_table().find(k);
            diff_values(ia == a.as_table().end() ? absent : ia->second, ib == b.as_table().end() ? absent : ib->second,
                        path.empty() ? k : path + "." + k, ignored, out);
        }
        return;
    }
    if (a.is_array() && b.is_array() && a.as_array().size() == b.as_array().size()) {
        for (std::size_t i = 0; i < a.as_array().size(); ++i)
            diff_values(a.as_array()[i], b.as_array()[i], fmt::format("{}[{}]", path, i), ignored, out);
        return;
    }
    const bool num_a = a.is_integer() || a.is_floating(), num_b = b.is_integer() || b.is_floating();
    if (num_a && num_b) {
        const double x = a.is_integer() ? static_cast<double>(a.as_integer()) : a.as_floating();
        const double y = b.is_integer() ? static_cast<double>(b.as_integer()) : b.as_floating();
        if (x == y || (std::isnan(x) && std::isnan(y))) return;
    } else if (a.type() == b.type() && a == b) {
        return;
    }
    out.push_back(fmt::format("{}: {} -> {}", path, render(a), render(b)));
}

toml::value tree_of(const io::ConfigDocument& doc) {
    const auto root = doc.root();
    toml::table t;
    for (const auto& k : root.keys()) t[k] = root.raw(k);
    return toml::value(t);
}

}  // namespace

std::vector<std::string> differences(const ConfigDocument& a, const ConfigDocument& b,
                                     const std::vector<std::string>& ignored) {
    std::vector<std::string> out;
    diff_values(tree_of(a), tree_of(b), "", ignored, out);
    return out;
}

}  // namespace snnfit::io
