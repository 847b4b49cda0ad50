#include "fit/checkpoint_settings.hpp"

namespace snnfit::fit {

CheckpointSettings parse_checkpoint_config(const io::ConfigTable& root) {
    CheckpointSettings s;
    const auto t = root.find_table("checkpoint");
    if (!t) return s;
    s.every = t->integer_or("every", s.every, io::Range::at_least(0));
    s.interval = t->number_or("interval", s.interval, io::Range::nonnegative());
    s.keep = t->integer_or("keep", s.keep, io::Range::at_least(1));
    t->finish();
    return s;
}

}  // namespace snnfit::fit
