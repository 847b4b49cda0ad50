// The [checkpoint] config section: when checkpoints are written and how many are kept.
// Checkpoints never change results, so these keys may differ between a run and its resumption.
#pragma once

#include <cstdint>

#include "io/config.hpp"

namespace snnfit::fit {

struct CheckpointSettings {
    // Every `every` completed generations (0 = never by count).
    std::int64_t every = 0;
    // And after the first generation that ends `interval` seconds (wall time) or more after
    // the last checkpoint (0 = never). The default rule is by time because only time
    // bounds the cost for every problem: a checkpoint costs tens of milliseconds
    // (bench/checkpoint), so one a minute is < 0.1% of the run, whether a generation
    // takes a millisecond or an hour. The last generation is always checkpointed.
    double interval = 60.0;
    std::int64_t keep = 3;  // checkpoints kept in DIR/checkpoints (>= 1)
};

// Reads the optional [checkpoint] table of `root` (keys every, interval, keep) strictly.
CheckpointSettings parse_checkpoint_config(const io::ConfigTable& root);

}  // namespace snnfit::fit
