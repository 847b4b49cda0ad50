#include "metrics/victor_purpura.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/core.h>

#include "common/error.hpp"

namespace snnfit::metrics {

namespace detail {
double victor_purpura_unchecked(std::span<const double> a, std::span<const double> b, double q) {
    if (a.size() < b.size()) std::swap(a, b);  // the row runs over the shorter train
    const std::size_t n = a.size(), m = b.size();
    if (m == 0) return static_cast<double>(n);
    // One DP row G[i][0..m]; reused across calls so the hot path does not allocate.
    thread_local std::vector<double> row;
    if (row.size() < m + 1) row.resize(m + 1);
    for (std::size_t j = 0; j <= m; ++j) row[j] = static_cast<double>(j);
    for (std::size_t i = 1; i <= n; ++i) {
        double diag = row[0];  // G[i-1][j-1]
        row[0] = static_cast<double>(i);
        for (std::size_t j = 1; j <= m; ++j) {
            const double dt = std::fabs(a[i - 1] - b[j - 1]);
            // A shift never costs more than delete + insert; this also keeps inf * 0 out.
            const double shift = dt == 0.0 ? 0.0 : std::fmin(2.0, q * dt);
            const double g = std::min({row[j] + 1.0, row[j - 1] + 1.0, diag + shift});
            diag = row[j];
            row[j] = g;
        }
    }
    return row[m];
}
}  // namespace detail

double victor_purpura_distance(std::span<const double> a, std::span<const double> b, double q, const Window& w) {
    if (!(q >= 0.0)) throw InputError(fmt::format("Victor-Purpura cost q = {} must be >= 0", q));
    check_window(w);
    check_train(a, w, "first spike train");
    check_train(b, w, "second spike train");
    return detail::victor_purpura_unchecked(a, b, q);
}

}  // namespace snnfit::metrics
