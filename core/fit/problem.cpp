#include "fit/problem.hpp"

#include <fmt/format.h>

#include "fit/builtin_problem.hpp"
#include "fit/optimizer_config.hpp"
#include "fit/spike_fit.hpp"

namespace snnfit::fit {

const std::map<std::string, SpikeRaster>& Problem::targets() const {
    static const std::map<std::string, SpikeRaster> none;
    return none;
}

const std::vector<std::string>& Problem::warnings() const {
    static const std::vector<std::string> none;
    return none;
}

FitConfig parse_fit_config(const io::ConfigDocument& doc) {
    const auto root = doc.root();
    // The problem kinds: a [problem] table names a built-in test function; anything else
    // describes a network and its [fit].
    ProblemConfig pc = root.has("problem") ? builtin_problem_config(root) : spike_fit_config(root);
    FitConfig c;
    c.seed = pc.seed;
    c.make_problem = std::move(pc.make_problem);
    c.optimizer = default_optimizer_settings();
    if (root.has("optimizer")) {
        const auto t = root.table("optimizer");
        if (pc.weights && t.has("weights")) t.fail("weights", pc.weights_elsewhere);
        c.optimizer = parse_optimizer(t);
        if (!c.optimizer.weights.empty() && c.optimizer.weights.size() != pc.objectives)
            t.fail("weights", fmt::format("has {} entries but {} has {} objectives", c.optimizer.weights.size(),
                                          pc.name, pc.objectives));
        check_optimizer_memory(t, c.optimizer, pc.dimension, pc.objectives);
    }
    if (pc.weights) c.optimizer.weights = *pc.weights;
    c.optimizer.common_seed = pc.common_seed;
    c.checkpoint = parse_checkpoint_config(root);
    root.finish();
    return c;
}

}  // namespace snnfit::fit
