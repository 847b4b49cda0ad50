// Island groups without MPI: G optimizers in G threads, each running the islands k with
// k mod G = its group and exchanging through shared memory, end with exactly the state
// of one optimizer running every island (populations, ids, RNG streams, best, history),
// with any G, with failures, migration by random topology and policy, several
// termination limits, and a restore in between; each group evaluates only its islands.
#include <algorithm>
#include <barrier>
#include <cmath>
#include <thread>

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "common/rng.hpp"
#include "opt/island_groups.hpp"
#include "opt/optimizer.hpp"
#include "opt/test_problems.hpp"

using namespace snnfit;
using namespace snnfit::opt;
namespace tp = snnfit::opt::test_problems;

namespace {

// The groups of one process's threads: allgather through a shared slot per group.
struct SharedSlots {
    explicit SharedSlots(int g) : barrier(g), slots(static_cast<std::size_t>(g)) {}
    std::barrier<> barrier;
    std::vector<GroupMessage> slots;
};

class ThreadGroups : public IslandGroups {
public:
    ThreadGroups(SharedSlots& s, int group) : s_(s), group_(group) {}
    int group() const override { return group_; }
    int groups() const override { return static_cast<int>(s_.slots.size()); }
    std::vector<GroupMessage> allgather(const GroupMessage& mine) override {
        s_.slots[static_cast<std::size_t>(group_)] = mine;
        s_.barrier.arrive_and_wait();
        auto all = s_.slots;
        s_.barrier.arrive_and_wait();  // nobody overwrites a slot before all have read
        return all;
    }
    std::vector<GroupMessage> gather(const GroupMessage& mine) override {
        auto all = allgather(mine);
        if (group_ != 0) all.clear();
        return all;
    }

private:
    SharedSlots& s_;
    int group_;
};

// A serial evaluator that records the island of every candidate it is given.
struct IslandRecorder : SerialEvaluator {
    using SerialEvaluator::SerialEvaluator;
    std::vector<EvalResult> evaluate(const std::vector<Candidate>& batch) override {
        for (const auto& c : batch) islands.push_back(c.island);
        return SerialEvaluator::evaluate(batch);
    }
    std::vector<std::int32_t> islands;
};

constexpr auto* noisy = &tp::noisy_sphere;

Settings five_islands() {
    Settings s;
    s.islands.assign(5, IslandSettings{});
    for (std::size_t k = 0; k < 5; ++k) s.islands[k].population = 6 + 2 * k;
    s.islands[1].selection = Selection::rank;
    s.islands[2].replacement = Replacement::plus;
    s.islands[2].offspring = 5;
    s.islands[3].replacement = Replacement::steady_state;
    s.migration.interval = 2;
    s.migration.migrants = 2;
    s.migration.topology = Topology::random;
    s.migration.policy = MigrationPolicy::random;
    s.seed_policy = SeedPolicy::independent;
    s.weights = {1.0, 0.5};
    s.max_messages = 3;
    s.termination.generations = 15;
    return s;
}

OptimizerState untimed(OptimizerState s) {
    clear_timing(s);
    return s;
}

OptimizerState one_process(const Settings& s) {
    Optimizer o(s, tp::box(3, 0.0, 1.0), 2, 7);
    SerialEvaluator ev(noisy);
    o.run(ev);
    return untimed(o.state());
}

// Runs G groups to the end (from `start` when given); returns every group's final state
// and the islands each group's evaluator saw.
struct GroupRun {
    std::vector<std::int64_t> longest_unsynchronised;  // generations in a row, per group
    std::vector<OptimizerState> states;
    std::vector<std::vector<std::int32_t>> islands;
};
GroupRun in_groups(const Settings& s, int g, const OptimizerState* start = nullptr, bool asynchronous = false,
                   std::int64_t checkpoint_every = 0, bool leader_only = false) {
    SharedSlots shared(g);
    GroupRun out;
    out.states.resize(static_cast<std::size_t>(g));
    out.longest_unsynchronised.resize(static_cast<std::size_t>(g));
    out.islands.resize(static_cast<std::size_t>(g));
    std::vector<std::thread> threads;
    for (int i = 0; i < g; ++i)
        threads.emplace_back([&, i] {
            ThreadGroups groups(shared, i);
            Optimizer o(s, tp::box(3, 0.0, 1.0), 2, 7);
            if (start) o.restore(*start);
            o.set_groups(&groups, asynchronous, checkpoint_every);
            IslandRecorder ev(noisy);
            std::int64_t unsynchronised = 0;
            while (o.step(ev)) {
                unsynchronised = o.synchronised() ? 0 : unsynchronised + 1;
                auto& longest = out.longest_unsynchronised[static_cast<std::size_t>(i)];
                longest = std::max(longest, unsynchronised);
                if (unsynchronised >= Optimizer::kMaxUnsynchronised) throw std::logic_error("never synchronised");
                if (checkpoint_every > 0 && o.generation() % checkpoint_every == 0 && !o.synchronised())
                    throw std::logic_error("not synchronised at a checkpoint");
                if (o.synchronised() && o.history().size() != static_cast<std::size_t>(o.generation()))
                    throw std::logic_error("synchronised with a history behind");
            }

            o.share_islands(leader_only);
            out.states[static_cast<std::size_t>(i)] = untimed(o.state());
            out.islands[static_cast<std::size_t>(i)] = std::move(ev.islands);
        });
    for (auto& t : threads) t.join();
    return out;
}

}  // namespace

TEST(OptIslandGroups, AnyGroupCountGivesTheOneProcessState) {
    const auto s = five_islands();
    const auto ref = one_process(s);
    ASSERT_EQ(ref.generation, 16);
    std::int64_t invalid = 0;
    for (const auto& g : ref.history) invalid += g.invalid;
    ASSERT_GT(invalid, 0);  // failures and their messages are exercised
    for (int g : {1, 2, 3, 5}) {
        const auto run = in_groups(s, g);
        for (int i = 0; i < g; ++i) {
            EXPECT_EQ(run.states[static_cast<std::size_t>(i)], ref) << g << " groups, group " << i;
            for (auto k : run.islands[static_cast<std::size_t>(i)]) ASSERT_EQ(k % g, i) << g << " groups";
        }
    }
}

// Asynchronous groups (synchronised at migrations, checkpoints, the generation limit and
// every 10th generation only) end with the same state; with the migration interval of 7,
// stretches of unsynchronised generations are long, and a checkpoint interval adds points.
TEST(OptIslandGroups, AsynchronousGroupsGiveTheOneProcessState) {
    auto s = five_islands();
    s.termination.generations = 30;
    s.migration.interval = 7;
    const auto ref = one_process(s);
    for (int g : {2, 3}) {
        for (std::int64_t every : {0, 4}) {
            const auto run = in_groups(s, g, nullptr, true, every);
            EXPECT_EQ(run.longest_unsynchronised[0], every == 0 ? 7 : 3);  // generations 0-6 before the first migration
            for (int i = 0; i < g; ++i)
                EXPECT_EQ(run.states[static_cast<std::size_t>(i)], ref) << g << " groups, checkpoint every " << every;
        }
    }
    s.migration.topology = Topology::none;  // only the every-10th points and the limit
    const auto ref2 = one_process(s);
    const auto run2 = in_groups(s, 2, nullptr, true);
    EXPECT_EQ(run2.longest_unsynchronised[1], 9);
    EXPECT_EQ(run2.states[1], ref2);
}

TEST(OptIslandGroups, EachTerminationLimitStopsEveryGroupWhereOneProcessStops) {
    for (int limit = 0; limit < 3; ++limit) {
        auto s = five_islands();
        s.termination.generations = 40;
        if (limit == 0) s.termination.evaluations = 400;
        if (limit == 1) s.termination.target = 0.3;
        if (limit == 2) s.termination.stagnation_generations = 3, s.termination.stagnation_tolerance = 0.05;
        const auto ref = one_process(s);
        ASSERT_LT(ref.generation, 41) << "limit " << limit << " never reached";
        for (bool asynchronous : {false, true}) {  // these limits need every generation: no asynchrony
            const auto run = in_groups(s, 2, nullptr, asynchronous);
            EXPECT_EQ(run.longest_unsynchronised[0], 0);
            EXPECT_EQ(run.states[0], ref) << "limit " << limit;
            EXPECT_EQ(run.states[1], ref) << "limit " << limit;
        }
    }
}

TEST(OptIslandGroups, ResumedInGroupsFromAOneProcessState) {
    auto s = five_islands();
    const auto ref = one_process(s);
    s.termination.generations = 6;
    const auto part = one_process(s);
    s.termination.generations = 15;
    EXPECT_EQ(in_groups(s, 3, &part).states[1], ref);
    EXPECT_EQ(in_groups(s, 2, &part, true).states[1], ref);
}

// A checkpoint gathers the islands to group 0 only: its state is the one-process state.
TEST(OptIslandGroups, GatheredToGroupZeroForACheckpoint) {
    const auto s = five_islands();
    const auto run = in_groups(s, 3, nullptr, false, 0, true);
    EXPECT_EQ(run.states[0], one_process(s));
    EXPECT_NE(run.states[1], run.states[0]);  // the others keep only their own islands current
}

TEST(OptIslandGroups, MoreGroupsThanIslandsIsAParameterError) {
    SharedSlots shared(6);
    ThreadGroups groups(shared, 0);
    Optimizer o(five_islands(), tp::box(3, 0.0, 1.0), 2, 7);
    EXPECT_THROW(o.set_groups(&groups), ParameterError);
}

// The log's mean and std combine the islands' moments (so that groups exchange three
// numbers per island); they equal the direct two-pass figures over all valid members.
TEST(OptIslandGroups, CombinedMeanAndStdEqualTheDirectComputation) {
    const auto s = one_process(five_islands());
    double sum = 0.0;
    std::size_t n = 0;
    for (const auto& is : s.islands)
        for (std::size_t i = 0; i < is.fitness.size(); ++i)
            if (is.status[i] == static_cast<std::int32_t>(EvalStatus::ok)) sum += is.fitness[i], ++n;
    ASSERT_GT(n, 0U);
    const double mean = sum / static_cast<double>(n);
    double ss = 0.0;
    for (const auto& is : s.islands)
        for (std::size_t i = 0; i < is.fitness.size(); ++i)
            if (is.status[i] == static_cast<std::int32_t>(EvalStatus::ok))
                ss += (is.fitness[i] - mean) * (is.fitness[i] - mean);
    const double sd = std::sqrt(ss / static_cast<double>(n));
    EXPECT_NEAR(s.history.back().mean, mean, 1e-13 * std::fabs(mean));
    EXPECT_NEAR(s.history.back().std, sd, 1e-12 * sd);
}
