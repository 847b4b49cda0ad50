#include "opt/evaluator.hpp"

#include <algorithm>
#include <exception>
#include <string>

namespace snnfit::opt {

const char* to_string(EvalStatus s) noexcept {
    switch (s) {
        case EvalStatus::ok:
            return "ok";
        case EvalStatus::invalid:
            return "invalid";
        case EvalStatus::failed:
            return "failed";
    }
    return "unknown";
}

EvalResult evaluate_one(const Objective& f, const Candidate& c) {
    try {
        return f(std::span<const double>(c.x), c.seed);
    } catch (const std::exception& e) {
        return EvalResult::failed(e.what());
    } catch (...) {
        return EvalResult::failed("unknown exception");
    }
}

SerialEvaluator::SerialEvaluator(Objective f) : f_(std::move(f)) {}

std::vector<EvalResult> SerialEvaluator::evaluate(const std::vector<Candidate>& batch) {
    std::vector<EvalResult> out;
    out.reserve(batch.size());
    for (const auto& c : batch) out.push_back(evaluate_one(f_, c));
    return out;
}

ThreadEvaluator::ThreadEvaluator(Objective f, int threads) : f_(std::move(f)), team_(threads) {}

std::vector<EvalResult> ThreadEvaluator::evaluate(const std::vector<Candidate>& batch) {
    std::vector<EvalResult> out(batch.size());
    // Each result goes to its own slot, so their order never depends on the threads.
    team_.for_each(batch.size(), [&](std::size_t i) { out[i] = evaluate_one(f_, batch[i]); });
    return out;
}

}  // namespace snnfit::opt
