// Command-line checks shared by the subcommands.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>

#include "commands.hpp"

namespace snnfit::app {

CLI::Validator non_negative() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            if (!text.empty() && text[0] == '-') return "must be >= 0, got " + text;
            std::uint64_t v = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec == std::errc::result_out_of_range ||
                (ec == std::errc() && end == text.data() + text.size() &&
                 v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())))
                return "must be at most 9223372036854775807 (2^63 - 1), got " + text;
            return "";  // the option's own conversion rejects what is not a number
        },
        "INT>=0", "non-negative");
}

std::string closest_subcommand(const std::string& word, const std::vector<std::string>& names) {
    std::string best;
    std::size_t best_distance = 3;  // more edits than this is no longer a typo
    for (const auto& name : names) {
        // Levenshtein distance, one row at a time.
        std::vector<std::size_t> row(name.size() + 1);
        for (std::size_t j = 0; j <= name.size(); ++j) row[j] = j;
        for (std::size_t i = 1; i <= word.size(); ++i) {
            std::size_t diagonal = row[0];
            row[0] = i;
            for (std::size_t j = 1; j <= name.size(); ++j) {
                const std::size_t up = row[j];
                row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (word[i - 1] == name[j - 1] ? 0 : 1)});
                diagonal = up;
            }
        }
        if (row[name.size()] < best_distance) {
            best_distance = row[name.size()];
            best = name;
        }
    }
    return best;
}

}  // namespace snnfit::app
