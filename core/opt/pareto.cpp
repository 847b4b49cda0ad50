#include "opt/pareto.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace snnfit::opt {

bool dominates(std::span<const double> a, std::span<const double> b) {
    bool strictly = false;
    for (std::size_t j = 0; j < a.size() && j < b.size(); ++j) {
        if (a[j] > b[j]) return false;
        if (a[j] < b[j]) strictly = true;
    }
    return strictly;
}

std::vector<std::size_t> pareto_ranks(const std::vector<Individual>& pop) {
    const std::size_t n = pop.size();
    std::vector<std::vector<std::size_t>> dominated(n);  // whom i dominates
    std::vector<std::size_t> count(n, 0);                // how many dominate i
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            if (dominates(pop[i].objectives, pop[j].objectives)) {
                dominated[i].push_back(j);
                ++count[j];
            } else if (dominates(pop[j].objectives, pop[i].objectives)) {
                dominated[j].push_back(i);
                ++count[i];
            }
        }
    std::vector<std::size_t> rank(n, 0), front;
    for (std::size_t i = 0; i < n; ++i)
        if (count[i] == 0) front.push_back(i);
    for (std::size_t r = 0; !front.empty(); ++r) {
        std::vector<std::size_t> next;
        for (std::size_t i : front) {
            rank[i] = r;
            for (std::size_t j : dominated[i])
                if (--count[j] == 0) next.push_back(j);
        }
        std::sort(next.begin(), next.end());
        front = std::move(next);
    }
    return rank;
}

std::vector<double> crowding_distances(const std::vector<Individual>& pop, const std::vector<std::size_t>& ranks) {
    const std::size_t n = pop.size();
    std::vector<double> dist(n, 0.0);
    if (n == 0) return dist;
    const std::size_t m = pop.front().objectives.size();
    const std::size_t fronts = *std::max_element(ranks.begin(), ranks.end()) + 1;
    std::vector<std::vector<std::size_t>> members(fronts);
    for (std::size_t i = 0; i < n; ++i) members[ranks[i]].push_back(i);
    constexpr double inf = std::numeric_limits<double>::infinity();
    for (auto& f : members) {
        if (f.size() <= 2) {
            for (std::size_t i : f) dist[i] = inf;
            continue;
        }
        for (std::size_t k = 0; k < m; ++k) {
            std::vector<std::size_t> s = f;
            std::stable_sort(s.begin(), s.end(),
                             [&](std::size_t a, std::size_t b) { return pop[a].objectives[k] < pop[b].objectives[k]; });
            const double lo = pop[s.front()].objectives[k], hi = pop[s.back()].objectives[k];
            dist[s.front()] = dist[s.back()] = inf;
            if (!(hi > lo)) continue;
            for (std::size_t r = 1; r + 1 < s.size(); ++r)
                dist[s[r]] += (pop[s[r + 1]].objectives[k] - pop[s[r - 1]].objectives[k]) / (hi - lo);
        }
    }
    return dist;
}

std::vector<std::size_t> pareto_order(const std::vector<Individual>& pop) {
    const auto rank = pareto_ranks(pop);
    const auto dist = crowding_distances(pop, rank);
    std::vector<std::size_t> order(pop.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (rank[a] != rank[b]) return rank[a] < rank[b];
        return dist[a] > dist[b];
    });
    return order;
}

std::vector<Individual> pareto_front(const std::vector<Individual>& pop) {
    std::vector<Individual> valid;
    for (const auto& ind : pop)
        if (ind.status == EvalStatus::ok &&
            std::none_of(valid.begin(), valid.end(), [&](const Individual& v) { return v.id == ind.id; }))
            valid.push_back(ind);
    const auto rank = pareto_ranks(valid);
    std::vector<Individual> front;
    for (std::size_t i = 0; i < valid.size(); ++i)
        if (rank[i] == 0) front.push_back(std::move(valid[i]));
    std::sort(front.begin(), front.end(), [](const Individual& a, const Individual& b) {
        if (a.objectives != b.objectives) return a.objectives < b.objectives;
        return a.id < b.id;
    });
    return front;
}

double hypervolume_2d(std::vector<std::array<double, 2>> points, std::array<double, 2> reference) {
    std::erase_if(points, [&](const auto& p) { return !(p[0] < reference[0] && p[1] < reference[1]); });
    std::sort(points.begin(), points.end());
    // Sweep along f1: each point adds the strip between it and the next lower f2 so far.
    double hv = 0.0, f2_bound = reference[1];
    for (const auto& p : points) {
        if (p[1] >= f2_bound) continue;  // dominated by a point with smaller f1
        hv += (reference[0] - p[0]) * (f2_bound - p[1]);
        f2_bound = p[1];
    }
    return hv;
}

}  // namespace snnfit::opt
