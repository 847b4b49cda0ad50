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

ThreadEvaluator::ThreadEvaluator(Objective f, int threads) : f_(std::move(f)) {
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    workers_.reserve(static_cast<std::size_t>(threads - 1));
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { work_loop(); });
}

ThreadEvaluator::~ThreadEvaluator() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    start_.notify_all();
    for (auto& w : workers_) w.join();
}

// Takes candidates until the batch is exhausted. Each result goes to its own slot, so
// the order of results never depends on which thread computed what.
void ThreadEvaluator::drain() {
    const auto& batch = *batch_;
    auto& out = *out_;
    for (;;) {
        const std::size_t i = next_.fetch_add(1, std::memory_order_relaxed);
        if (i >= batch.size()) return;
        out[i] = evaluate_one(f_, batch[i]);
    }
}

void ThreadEvaluator::work_loop() {
    std::uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            start_.wait(lock, [&] { return stop_ || epoch_ != seen; });
            if (stop_) return;
            seen = epoch_;
        }
        drain();
        {
            std::lock_guard lock(mutex_);
            --busy_;
        }
        done_.notify_one();
    }
}

std::vector<EvalResult> ThreadEvaluator::evaluate(const std::vector<Candidate>& batch) {
    std::vector<EvalResult> out(batch.size());
    if (batch.empty()) return out;
    {
        std::lock_guard lock(mutex_);
        batch_ = &batch;
        out_ = &out;
        next_.store(0, std::memory_order_relaxed);
        busy_ = workers_.size();
        ++epoch_;
    }
    start_.notify_all();
    drain();
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return busy_ == 0; });
    batch_ = nullptr;
    out_ = nullptr;
    return out;
}

}  // namespace snnfit::opt
