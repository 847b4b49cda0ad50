// Times metrics::distance_matrix on a PySpike text file: bench_distances FILE T_END REPS.
// Prints one line per metric: name, best process CPU seconds on 1 thread, best wall
// seconds on 1 thread, on 2 threads; checks that the 2-thread matrix is bit-identical.
// Then the ISI and SPIKE matrices on the kernels below the CPU's best ("spike@avx2",
// seconds), and the best kernel's name ("kernel", name).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "io/spike_files.hpp"
#include "metrics/distance.hpp"
#include "metrics/pair_kernels.hpp"

using namespace snnfit::metrics;

static double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: bench_distances FILE T_END REPS\n");
        return 2;
    }
    const auto text = snnfit::io::read_spike_text_file(argv[1]);
    const Window w{0.0, std::stod(argv[2])};
    const int reps = std::stoi(argv[3]);
    for (auto m : {Metric::spike, Metric::isi, Metric::sync}) {
        const MetricSpec spec{.metric = m};
        double best[2] = {1e300, 1e300}, best_cpu = 1e300;
        std::vector<double> out[2];
        for (int r = 0; r < reps; ++r)
            for (int t = 0; t < 2; ++t) {
                const double c0 = cpu_seconds();
                const auto t0 = std::chrono::steady_clock::now();
                out[t] = distance_matrix(spec, text.raster, w, t + 1);
                const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
                best[t] = std::min(best[t], dt.count());
                if (t == 0) best_cpu = std::min(best_cpu, cpu_seconds() - c0);
            }
        if (out[0] != out[1]) {
            std::fprintf(stderr, "bench_distances: 2-thread matrix differs from 1-thread\n");
            return 1;
        }
        std::printf("%s\t%.6g\t%.6g\t%.6g\n", std::string(metric_name(m)).c_str(), best_cpu, best[0], best[1]);
    }
    // The ISI and SPIKE matrices on each kernel below the CPU's best (one thread, CPU
    // time), checked bit-identical to the best's: what a CPU without AVX-512VL or AVX2
    // would see.
    namespace d = snnfit::metrics::detail;
    const d::KernelIsa best_isa = d::best_kernel_isa();
    const char* names[] = {"sse2", "avx2", "avx512vl"};
    for (auto m : {Metric::spike, Metric::isi}) {
        const MetricSpec spec{.metric = m};
        d::set_kernel_isa(best_isa);
        const auto want = distance_matrix(spec, text.raster, w, 1);
        for (int isa = 0; isa < static_cast<int>(best_isa); ++isa) {
            d::set_kernel_isa(static_cast<d::KernelIsa>(isa));
            double best_cpu = 1e300;
            for (int r = 0; r < reps; ++r) {
                const double c0 = cpu_seconds();
                if (distance_matrix(spec, text.raster, w, 1) != want) {
                    std::fprintf(stderr, "bench_distances: the %s kernel's matrix differs\n", names[isa]);
                    return 1;
                }
                best_cpu = std::min(best_cpu, cpu_seconds() - c0);
            }
            std::printf("%s@%s\t%.6g\n", std::string(metric_name(m)).c_str(), names[isa], best_cpu);
        }
    }
    d::set_kernel_isa(best_isa);
    std::printf("kernel\t%s\n", names[static_cast<int>(best_isa)]);
    return 0;
}
