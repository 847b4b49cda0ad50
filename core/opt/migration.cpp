#include "opt/migration.hpp"

#include <algorithm>
#include <numeric>

#include "opt/pareto.hpp"

namespace snnfit::opt {

namespace {
// k distinct indices of [0, n), by a partial Fisher-Yates shuffle.
std::vector<std::size_t> sample_distinct(Rng& rng, std::size_t n, std::size_t k) {
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    k = std::min(k, n);
    for (std::size_t i = 0; i < k; ++i) std::swap(idx[i], idx[i + rng.below(n - i)]);
    idx.resize(k);
    return idx;
}

bool better(const Individual& a, const Individual& b) {
    return a.fitness < b.fitness;
}
}  // namespace

std::vector<std::vector<std::size_t>> migration_targets(Topology t, std::size_t islands, Rng& rng) {
    std::vector<std::vector<std::size_t>> out(islands);
    if (islands < 2) return out;
    for (std::size_t i = 0; i < islands; ++i) {
        switch (t) {
            case Topology::none:
                break;
            case Topology::ring:
                out[i].push_back((i + 1) % islands);
                break;
            case Topology::full:
                for (std::size_t j = 0; j < islands; ++j)
                    if (j != i) out[i].push_back(j);
                break;
            case Topology::random: {
                std::size_t j = rng.below(islands - 1);
                out[i].push_back(j >= i ? j + 1 : j);
                break;
            }
        }
    }
    return out;
}

MigrationPlan plan_migration(const std::vector<std::size_t>& sizes, const MigrationSettings& m, Rng& rng) {
    const std::size_t k = sizes.size();
    MigrationPlan plan;
    plan.targets = migration_targets(m.topology, k, rng);
    plan.leaving.resize(k);
    plan.slots.resize(k);
    if (m.policy != MigrationPolicy::random) return plan;
    // Draws in the order one master makes them: every sender's members, then every receiver's slots.
    for (std::size_t i = 0; i < k; ++i) plan.leaving[i] = sample_distinct(rng, sizes[i], m.migrants);
    std::vector<std::size_t> arriving(k, 0);
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t d : plan.targets[i]) arriving[d] += plan.leaving[i].size();
    for (std::size_t d = 0; d < k; ++d)
        if (arriving[d] > 0 && sizes[d] > 0) plan.slots[d] = sample_distinct(rng, sizes[d], arriving[d]);
    return plan;
}

std::vector<Individual> emigrants(const std::vector<Individual>& pop, const MigrationPlan& plan, std::size_t i,
                                  const MigrationSettings& m, bool pareto) {
    std::vector<Individual> out;
    if (m.policy == MigrationPolicy::best_replace_worst) {
        std::vector<std::size_t> order(pop.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        if (pareto)  // NSGA-II islands: by non-domination rank, then crowding
            order = pareto_order(pop);
        else
            std::stable_sort(order.begin(), order.end(),
                             [&](std::size_t a, std::size_t b) { return better(pop[a], pop[b]); });
        for (std::size_t r = 0; r < std::min(m.migrants, pop.size()); ++r) out.push_back(pop[order[r]]);
    } else {
        for (std::size_t j : plan.leaving[i]) out.push_back(pop[j]);
    }
    return out;
}

void immigrate(std::vector<Individual>& pop, const MigrationPlan& plan, std::size_t d,
               const std::vector<std::vector<Individual>>& leaving, const MigrationSettings& m, bool pareto) {
    std::vector<Individual> in;
    for (std::size_t i = 0; i < plan.targets.size(); ++i)
        for (std::size_t t : plan.targets[i])
            if (t == d) in.insert(in.end(), leaving[i].begin(), leaving[i].end());
    if (in.empty() || pop.empty()) return;
    if (m.policy == MigrationPolicy::best_replace_worst && pareto) {
        // Arrivals ranked with the residents; those in the best n replace the residents
        // that are not, in index order.
        const std::size_t n = pop.size();
        std::vector<Individual> all = pop;
        all.insert(all.end(), in.begin(), in.end());
        const auto order = pareto_order(all);
        std::vector<bool> kept(all.size(), false);
        for (std::size_t r = 0; r < n; ++r) kept[order[r]] = true;
        std::size_t slot = 0;  // next member outside the first n, in index order
        for (std::size_t r = 0; r < n; ++r) {
            if (order[r] < n) continue;
            while (kept[slot]) ++slot;
            pop[slot++] = std::move(all[order[r]]);
        }
    } else if (m.policy == MigrationPolicy::best_replace_worst) {
        std::stable_sort(in.begin(), in.end(), better);
        for (auto& ind : in) {
            auto worst = std::max_element(pop.begin(), pop.end(), better);
            if (better(ind, *worst)) *worst = std::move(ind);
        }
    } else {
        const auto& slots = plan.slots[d];
        for (std::size_t r = 0; r < slots.size(); ++r) pop[slots[r]] = std::move(in[r]);
    }
}

void migrate(std::vector<std::vector<Individual>*>& populations, const MigrationSettings& m, Rng& rng,
             const std::vector<bool>& pareto) {
    auto is_pareto = [&](std::size_t k) { return k < pareto.size() && pareto[k]; };
    const std::size_t k = populations.size();
    if (k < 2 || m.topology == Topology::none || m.migrants == 0) return;
    std::vector<std::size_t> sizes;
    for (const auto* pop : populations) sizes.push_back(pop->size());
    const auto plan = plan_migration(sizes, m, rng);
    // Emigrants of every island, chosen before anyone receives.
    std::vector<std::vector<Individual>> leaving(k);
    for (std::size_t i = 0; i < k; ++i) leaving[i] = emigrants(*populations[i], plan, i, m, is_pareto(i));
    for (std::size_t d = 0; d < k; ++d) immigrate(*populations[d], plan, d, leaving, m, is_pareto(d));
}

}  // namespace snnfit::opt
