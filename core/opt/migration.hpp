// Migration between islands: who sends to whom (topology), which individuals leave and
// whom they replace (policy). Synchronous: emigrants are chosen from every island before
// any island receives, so the island order does not matter.
#pragma once

#include <vector>

#include "common/rng.hpp"
#include "opt/island_algorithm.hpp"
#include "opt/settings.hpp"

namespace snnfit::opt {

// For each island, the islands it sends to. `random` draws one other island per sender.
std::vector<std::vector<std::size_t>> migration_targets(Topology t, std::size_t islands, Rng& rng);

// The random choices of one migration event. They depend only on the islands' sizes, so
// island groups that each hold some of the populations can all draw the same plan and
// exchange only the emigrants.
struct MigrationPlan {
    std::vector<std::vector<std::size_t>> targets;  // per sender
    std::vector<std::vector<std::size_t>> leaving;  // random policy: members each island sends
    std::vector<std::vector<std::size_t>> slots;    // random policy: members the arrivals replace
};
MigrationPlan plan_migration(const std::vector<std::size_t>& sizes, const MigrationSettings& m, Rng& rng);
// The emigrants of island i under the plan (copies, best first for best_replace_worst;
// `pareto`: by rank then crowding, see migrate()).
std::vector<Individual> emigrants(const std::vector<Individual>& population, const MigrationPlan& plan,
                                  std::size_t i, const MigrationSettings& m, bool pareto = false);
// Island d receives: `leaving` holds every island's emigrants.
void immigrate(std::vector<Individual>& population, const MigrationPlan& plan, std::size_t d,
               const std::vector<std::vector<Individual>>& leaving, const MigrationSettings& m,
               bool pareto = false);

// One migration event over all islands' populations: plan, emigrants, immigration.
// best_replace_worst: each island sends copies of its `migrants` best; each arriving
// migrant (best first) replaces the receiver's current worst member if it is better.
// random: each island sends `migrants` distinct random members; they replace distinct
// random members of the receiver.
// pareto[k] (NSGA-II islands) makes best_replace_worst Pareto-aware for island k: its
// emigrants are its first members by rank then crowding distance, and arrivals compete
// with its members by the same order over the union: those of the union's first n
// (n = its population size) replace the members that fall outside them.
void migrate(std::vector<std::vector<Individual>*>& populations, const MigrationSettings& m, Rng& rng,
             const std::vector<bool>& pareto = {});

}  // namespace snnfit::opt
