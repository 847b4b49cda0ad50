// Island groups: the optimizer's islands split among several processes (the sub-masters
// of an MPI run, mpi/island_groups), each running the ask/tell of its own islands, and
// what they exchange so that every global decision equals the one-process run's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include "opt/island_algorithm.hpp"
#include "opt/state.hpp"

namespace snnfit::opt {

// One island's share of an exchange; which fields are filled depends on the exchange.
struct IslandReport {
    std::int32_t island = 0;
    std::int64_t generation = 0;  // asynchronous groups report several generations at once
    // After evaluation: batch size, invalid count, the first failure messages (index in
    // the batch and "status: message"; the id is only known once every batch size is),
    // and the first valid minimum of the batch (best_index -1: none was valid).
    std::int64_t evaluated = 0;
    std::int64_t invalid = 0;
    std::vector<std::int32_t> message_index;
    std::vector<std::string> message_text;
    std::int32_t best_index = -1;
    Individual best;
    // After tell and migration: the island's log line, and its valid members' count and
    // sum of squared deviations from their mean (the global mean and std combine these
    // island by island, in island order, whatever the groups).
    IslandLog log;
    std::int64_t valid = 0;
    double m2 = 0.0;
    // Migration: the population's size, then (once every group has drawn the same plan
    // from the sizes) the island's emigrants.
    std::int64_t population = 0;
    std::vector<Individual> emigrants;
    // Checkpoints: the island's complete state.
    IslandState state;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& island& generation& evaluated& invalid& message_index& message_text& best_index& best& log& valid& m2&
            population& emigrants& state;
    }
    bool operator==(const IslandReport&) const = default;
};

// What one group sends in an exchange: its islands' reports, group 0's clock, and the
// values of a caller's own exchange (IslandGroups::from_leader).
struct GroupMessage {
    std::vector<IslandReport> islands;
    double wall_time_used = 0.0;  // seconds, termination by wall time and the log's elapsed
    std::vector<std::int64_t> values;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& islands& wall_time_used& values;
    }
    bool operator==(const GroupMessage&) const = default;
};

// This process's place among the groups; island k belongs to group k mod groups().
class IslandGroups {
public:
    virtual ~IslandGroups() = default;
    virtual int group() const = 0;
    virtual int groups() const = 0;
    // Collective: every group's message, in group order, on every group.
    virtual std::vector<GroupMessage> allgather(const GroupMessage& mine) = 0;
    // Collective: every group's message, in group order, on group 0; nothing elsewhere.
    virtual std::vector<GroupMessage> gather(const GroupMessage& mine) = 0;

    bool owns(std::size_t island) const {
        return static_cast<int>(island % static_cast<std::size_t>(groups())) == group();
    }
    bool leader() const { return group() == 0; }
    // Collective: group 0's values on every group, so that a decision only group 0 can
    // take (it has the clock, the signal handler, the files) is taken alike everywhere.
    std::vector<std::int64_t> from_leader(std::vector<std::int64_t> mine) {
        if (groups() == 1) return mine;
        GroupMessage m;
        m.values = std::move(mine);
        return allgather(m).front().values;
    }
};

// One process holding every island: the default of the optimizer and of a fit run
// (arbor's local_context), so that the code paths are those of the groups, with one.
class LocalGroups final : public IslandGroups {
public:
    int group() const override { return 0; }
    int groups() const override { return 1; }
    std::vector<GroupMessage> allgather(const GroupMessage& mine) override { return {mine}; }
    std::vector<GroupMessage> gather(const GroupMessage& mine) override { return {mine}; }
};

}  // namespace snnfit::opt
