// Counter-based random streams (Random123 Philox4x64-10). A stream is named by
// (seed, stream id); its whole state is a few integers, so it checkpoints exactly.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>

namespace snnfit {

// Mixes words into a 64-bit stream id (splitmix64 chain). Used to name streams by
// identity, e.g. stream_id({kWiring, projection_index}), never by rank or thread.
std::uint64_t stream_id(std::initializer_list<std::uint64_t> words) noexcept;

// Stream purposes, so that streams for different uses never coincide.
enum class StreamTag : std::uint64_t {
    wiring = 1,           // connectivity, weights, delays, heterogeneity
    input = 2,            // Poisson inputs, noisy currents, release
    optimizer = 3,        // one per island, on the master
    evaluation = 4,       // evaluation seeds derived from (run seed, island, generation, index)
    heterogeneity = 5,    // per-neuron parameter draws
    user = 6,             // anything else
};

// Full state of a stream; plain data so checkpoints and messages can copy it.
struct RngState {
    std::array<std::uint64_t, 2> key{};
    std::array<std::uint64_t, 4> counter{};
    std::array<std::uint64_t, 4> buffer{};
    std::uint32_t used = 4;  // words of buffer already consumed
    bool has_normal = false;
    double cached_normal = 0.0;
    bool operator==(const RngState&) const = default;
};

// A reproducible random stream. Distributions are implemented here, not taken from
// <random>, whose distributions differ between standard libraries.
class Rng {
public:
    Rng() : Rng(0, 0) {}
    Rng(std::uint64_t seed, std::uint64_t stream);
    explicit Rng(const RngState& state) : s_(state) {}

    const RngState& state() const { return s_; }

    std::uint64_t next_u64();
    // Uniform on [0, 1) with 53 random bits.
    double uniform();
    // Uniform on (0, 1]: safe to take the logarithm of.
    double uniform_pos();
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer on [0, n), unbiased (Lemire's method). n must be > 0.
    std::uint64_t below(std::uint64_t n);
    double normal();
    double normal(double mean, double sd) { return mean + sd * normal(); }
    double exponential(double rate);
    std::uint64_t poisson(double mean);
    // Exact for any n: geometric skipping for n p < 30, inversion from the mode beyond
    // (O(sqrt(n p)) steps).
    std::uint64_t binomial(std::uint64_t n, double p);
    // Good items among `draws` taken without replacement from `total` items of which
    // `good` are good (draws, good <= total); exact, O(sd) steps.
    std::uint64_t hypergeometric(std::uint64_t draws, std::uint64_t good, std::uint64_t total);
    bool bernoulli(double p) { return uniform() < p; }

private:
    void refill();
    RngState s_;
};

}  // namespace snnfit
