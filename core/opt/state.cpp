#include "opt/state.hpp"

#include <fmt/format.h>

namespace snnfit::opt {

const char* to_string(TerminationReason r) noexcept {
    switch (r) {
        case TerminationReason::none:
            return "none";
        case TerminationReason::generations:
            return "generations";
        case TerminationReason::evaluations:
            return "evaluations";
        case TerminationReason::target:
            return "target";
        case TerminationReason::stagnation:
            return "stagnation";
        case TerminationReason::wall_time:
            return "wall_time";
    }
    return "unknown";
}

void clear_timing(OptimizerState& s) {
    s.termination.wall_time_used = 0.0;
    for (auto& g : s.history) {
        g.evals_per_second = 0.0;
        g.elapsed = 0.0;
    }
}

std::string log_header() {
    return "generation\tevaluations\tbest\tmean\tstd\tinvalid\tevals_per_s\telapsed_s";
}

std::string log_line(const GenerationLog& g) {
    return fmt::format("{}\t{}\t{:.10g}\t{:.10g}\t{:.10g}\t{}\t{:.4g}\t{:.3f}", g.generation, g.evaluations, g.best,
                       g.mean, g.std, g.invalid, g.evals_per_second, g.elapsed);
}

}  // namespace snnfit::opt
