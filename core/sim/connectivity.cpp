#include "sim/connectivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "common/error.hpp"
#include "common/rng.hpp"
#include "sim/draw.hpp"

namespace snnfit::sim {

std::uint32_t delay_steps(double delay_ms, double dt) {
    const double steps = std::round(delay_ms / dt);
    if (!(steps < model::max_delay_steps))
        throw ParameterError(
            fmt::format("delay {} ms is more than {:g} steps of {} ms", delay_ms, model::max_delay_steps, dt));
    return static_cast<std::uint32_t>(std::max(1.0, steps));
}

namespace {

using Rule = model::ProjectionSpec::Rule;

Rng row_stream(std::uint64_t seed, std::size_t index, std::uint64_t what, std::size_t row) {
    return Rng(seed, stream_id({static_cast<std::uint64_t>(StreamTag::wiring), index, what, row}));
}

// K distinct numbers of [0, m) in increasing order (Floyd's algorithm); `mark` is
// m zeros on entry and on exit.
void choose_distinct(Rng& rng, std::uint64_t m, std::uint64_t k, std::vector<char>& mark,
                     std::vector<std::uint32_t>& out) {
    out.clear();
    for (std::uint64_t j = m - k; j < m; ++j) {
        const auto t = rng.below(j + 1);
        const auto pick = mark[t] ? j : t;
        mark[pick] = 1;
        out.push_back(static_cast<std::uint32_t>(pick));
    }
    for (auto x : out) mark[x] = 0;
    std::sort(out.begin(), out.end());
}

// Partners of row r (a source for probability/out_degree, a target for in_degree)
// among `pool` neurons; `self` is r's own index in the pool when autapses are
// excluded, or -1.
// `k` is the row's number of partners for the degree rules (the in/out-degree, or a
// target's share of a total_number).
void row_partners(const model::ProjectionSpec& spec, Rng& rng, std::size_t pool, std::int64_t self, std::uint64_t k,
                  std::vector<char>& mark, std::vector<std::uint32_t>& out) {
    out.clear();
    const std::uint64_t m = pool - (self >= 0 ? 1 : 0);  // candidates after removing r itself
    auto lift = [&](std::uint64_t x) {
        return static_cast<std::uint32_t>(self >= 0 && x >= static_cast<std::uint64_t>(self) ? x + 1 : x);
    };
    switch (spec.rule) {
        case Rule::probability:
            // One uniform per candidate pair: a small change of p adds or removes
            // few connections instead of redrawing the whole row (smooth for a fit).
            for (std::uint64_t x = 0; x < m; ++x)
                if (rng.uniform() < spec.probability) out.push_back(lift(x));
            break;
        case Rule::in_degree:
        case Rule::out_degree:
        case Rule::total_number: {
            if (spec.allow_multapses) {
                for (std::uint64_t j = 0; j < k; ++j) out.push_back(lift(rng.below(m)));
                std::sort(out.begin(), out.end());
            } else {
                if (k > m)
                    throw ParameterError(
                        fmt::format("projection {}: {} partners wanted, only {} available", spec.name, k, m));
                choose_distinct(rng, m, k, mark, out);
                for (auto& x : out) x = lift(x);
            }
            break;
        }
        case Rule::all_to_all:
            for (std::uint64_t x = 0; x < m; ++x) out.push_back(lift(x));
            break;
        default:
            throw InternalError("row_partners: rule without rows");
    }
}

// total_number: how many of the `total` connections end on each of n_target targets,
// each with `pool` candidate sources. With multapses every connection picks its
// target uniformly, so the counts are multinomial(total; 1/n_target, ...); without, the
// connections are `total` distinct pairs of the pool x n_target candidates, so the
// counts are multivariate hypergeometric. Both are drawn target by target as a chain
// of conditional binomial / hypergeometric draws from one stream; each target then
// draws its sources from its own row stream, exactly as an in_degree row does.
std::vector<std::uint64_t> total_number_counts(const model::ProjectionSpec& spec, Rng& rng, std::size_t pool,
                                               std::size_t n_target) {
    std::vector<std::uint64_t> count(n_target, 0);
    auto left = static_cast<std::uint64_t>(spec.total);
    if (left > 0 && (pool == 0 || n_target == 0))
        throw ParameterError(fmt::format("projection {}: no pair to connect", spec.name));
    const std::uint64_t candidates = static_cast<std::uint64_t>(pool) * n_target;
    if (!spec.allow_multapses && left > candidates)
        throw ParameterError(fmt::format("projection {}: total_number {} exceeds the {} distinct pairs available",
                                         spec.name, left, candidates));
    for (std::size_t t = 0; t < n_target && left > 0; ++t) {
        const std::uint64_t rest = n_target - t;  // targets still to serve, t included
        count[t] = rest == 1              ? left
                   : spec.allow_multapses ? rng.binomial(left, 1.0 / static_cast<double>(rest))
                                          : rng.hypergeometric(left, pool, pool * rest);
        left -= count[t];
    }
    return count;
}

}  // namespace

Connections connect(const model::ProjectionSpec& spec, std::size_t index, std::size_t n_source, std::size_t n_target,
                    double dt, std::uint64_t seed) {
    struct Edge {
        std::uint32_t source, target;
        double weight;
        std::uint32_t delay;
    };
    std::vector<Edge> edges;
    const bool self = spec.source == spec.target;
    const bool no_autapse = self && !spec.allow_autapses;
    auto draw_weight = [&](Rng& rng) {
        const double w = draw(spec.weight, rng) * spec.weight_scale;
        return w;
    };
    auto draw_delay = [&](Rng& rng) {
        if (spec.delay.is_constant()) return delay_steps(spec.delay.a, dt);
        return delay_steps(draw(spec.delay, rng), dt);
    };

    if (spec.rule == Rule::one_to_one) {
        if (n_source != n_target)
            throw ParameterError(fmt::format("projection {}: one_to_one needs equal sizes", spec.name));
        edges.reserve(n_source);
        for (std::size_t i = 0; i < n_source; ++i) {
            Rng r = row_stream(seed, index, 1, i);
            const double w = draw_weight(r);
            edges.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i), w, draw_delay(r)});
        }
    } else if (spec.rule == Rule::list) {
        Rng r = row_stream(seed, index, 1, 0);
        edges.reserve(spec.pre.size());
        for (std::size_t k = 0; k < spec.pre.size(); ++k) {
            const double w = spec.list_weights.empty() ? draw_weight(r) : spec.list_weights[k] * spec.weight_scale;
            const auto d = spec.list_delays.empty() ? draw_delay(r) : delay_steps(spec.list_delays[k], dt);
            edges.push_back({static_cast<std::uint32_t>(spec.pre[k]), static_cast<std::uint32_t>(spec.post[k]), w, d});
        }
    } else {
        const bool by_target = spec.rule == Rule::in_degree || spec.rule == Rule::total_number;
        const std::size_t rows = by_target ? n_target : n_source;
        const std::size_t pool = by_target ? n_source : n_target;
        std::vector<std::uint64_t> count;  // total_number: each target's share
        if (spec.rule == Rule::total_number) {
            Rng counts = row_stream(seed, index, 2, 0);
            count = total_number_counts(spec, counts, pool - (no_autapse ? 1 : 0), n_target);
            edges.reserve(static_cast<std::size_t>(spec.total));
        }
        std::vector<char> mark(pool, 0);
        std::vector<std::uint32_t> partners;
        for (std::size_t r = 0; r < rows; ++r) {
            Rng pick = row_stream(seed, index, 0, r);
            const auto k = count.empty() ? static_cast<std::uint64_t>(spec.degree) : count[r];
            row_partners(spec, pick, pool, no_autapse ? static_cast<std::int64_t>(r) : -1, k, mark, partners);
            Rng values = row_stream(seed, index, 1, r);
            for (auto x : partners) {
                const double w = draw_weight(values);
                const auto d = draw_delay(values);
                if (by_target)
                    edges.push_back({x, static_cast<std::uint32_t>(r), w, d});
                else
                    edges.push_back({static_cast<std::uint32_t>(r), x, w, d});
            }
        }
    }

    // Compressed rows by source (a stable counting sort keeps each row's draw order).
    Connections c;
    c.offsets.assign(n_source + 1, 0);
    for (const auto& e : edges) ++c.offsets[e.source + 1];
    for (std::size_t i = 0; i < n_source; ++i) c.offsets[i + 1] += c.offsets[i];
    c.targets.resize(edges.size());
    c.weights.resize(edges.size());
    std::vector<std::uint32_t> delays(edges.size());
    std::vector<std::uint64_t> fill(c.offsets.begin(), c.offsets.end() - 1);
    std::uint32_t dmin = std::numeric_limits<std::uint32_t>::max(), dmax = 1;
    for (const auto& e : edges) {
        const auto k = fill[e.source]++;
        c.targets[k] = e.target;
        c.weights[k] = e.weight;
        delays[k] = e.delay;
        dmin = std::min(dmin, e.delay);
        dmax = std::max(dmax, e.delay);
    }
    c.contiguous.assign(n_source, 1);
    for (std::size_t i = 0; i < n_source; ++i)
        for (auto q = c.offsets[i] + 1; q < c.offsets[i + 1]; ++q)
            if (c.targets[q] != c.targets[q - 1] + 1) {
                c.contiguous[i] = 0;
                break;
            }
    if (edges.empty() || dmin == dmax) {
        c.delay = edges.empty() ? delay_steps(spec.delay.is_constant() ? spec.delay.a : dt, dt) : dmax;
    } else {
        c.delay = dmax;
        c.delays = std::move(delays);
    }
    return c;
}

}  // namespace snnfit::sim
