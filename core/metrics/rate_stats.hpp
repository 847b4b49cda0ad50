// Firing statistics of spike trains: rates, interspike-interval variability (CV, CV2, LV),
// Fano factor, population rate histogram and the correlation of binned trains.
// Times and rates are in the trains' unit (ms and spikes/ms inside snnfit; x1000 for Hz).
#pragma once

#include <span>
#include <vector>

#include "common/spike_raster.hpp"
#include "metrics/spike_train.hpp"

namespace snnfit::metrics {

// What a statistic does when a train has too few intervals, as elephant's `with_nan`:
// throw InputError (elephant's default, with_nan=False) or return NaN (with_nan=True).
enum class TooFew { error, nan };

double mean_rate(std::span<const double> train, const Window& w);  // spikes / (t_end - t_start)
std::vector<double> isis(std::span<const double> train);           // consecutive differences

// CV = std(ISI) / mean(ISI), population std (ddof 0) as elephant.statistics.cv
// (scipy.stats.variation). Needs >= 1 interval.
double cv(std::span<const double> intervals, TooFew too_few = TooFew::error);
// CV2 = 2 mean(|I_{i+1} - I_i| / (I_{i+1} + I_i)) (Holt et al. 1996), LV = 3 mean(((I_i -
// I_{i+1}) / (I_i + I_{i+1}))^2) (Shinomoto et al. 2003); both need >= 2 intervals, as elephant.
double cv2(std::span<const double> intervals, TooFew too_few = TooFew::error);
double lv(std::span<const double> intervals, TooFew too_few = TooFew::error);

// Fano factor of the spike counts of the trains: var (ddof 0) / mean, as
// elephant.statistics.fano_factor; NaN when every count is 0 (elephant's convention).
double fano_factor(const SpikeRaster& r);

// Spike counts of one train in bins [t_start + k*bin, t_start + (k+1)*bin); there are
// ceil((t_end - t_start)/bin) bins (the last may be shorter), a spike on t_end goes
// into the last bin.
std::vector<double> bin_counts(std::span<const double> train, const Window& w, double bin);

// Population rate per bin: spikes of all trains / (number of trains * bin length).
std::vector<double> population_rate(const SpikeRaster& r, const Window& w, double bin);

// Pearson correlation coefficients of the binned counts (elephant's
// correlation_coefficient): an n*n row-major matrix; binary = clip counts at 1. Entries
// involving a train with constant counts are NaN (undefined), as in elephant.
std::vector<double> correlation_matrix(const SpikeRaster& r, const Window& w, double bin, bool binary = false);

// Welch-averaged periodogram of the population rate (Hz) of a raster: one-sided PSD,
// Hann window, 50% overlap, mean removed per segment. Frequencies up to Nyquist.
struct Psd {
    std::vector<double> frequency;
    std::vector<double> power;
};
Psd population_rate_psd(const SpikeRaster& r, const Window& w, double bin, double segment);

}  // namespace snnfit::metrics
