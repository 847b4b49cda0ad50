#include "fit/validate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "common/error.hpp"
#include "common/parallel.hpp"
#include "common/memory.hpp"
#include "common/rng.hpp"
#include "fit/output.hpp"
#include "fit/spike_fit.hpp"
#include "io/config.hpp"
#include "io/h5_layout.hpp"
#include "io/hdf5.hpp"
#include "io/json.hpp"
#include "metrics/distance.hpp"
#include "metrics/rate_stats.hpp"
#include "metrics/two_sample.hpp"
#include "opt/evaluator.hpp"
#include "opt/optimizer.hpp"

namespace snnfit::fit {

namespace {

double mean_of(const std::vector<double>& v) {
    return v.empty() ? std::nan("") : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

std::vector<double> finite_only(std::vector<double> v) {
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    return v;
}

std::vector<double> rates_hz(const SpikeRaster& r, const metrics::Window& w) {
    std::vector<double> out;
    for (std::size_t i = 0; i < r.size(); ++i) out.push_back(1000.0 * metrics::mean_rate(r.train(i), w));
    return out;
}

std::vector<double> isi_stat(const SpikeRaster& r, const metrics::Window& w, bool lv) {
    std::vector<double> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
        const auto t = metrics::clean_train(r.train(i), w);
        const auto iv = metrics::isis(t);
        out.push_back(lv ? metrics::lv(iv, metrics::TooFew::nan) : metrics::cv(iv, metrics::TooFew::nan));
    }
    return finite_only(std::move(out));
}

std::vector<double> correlations(const SpikeRaster& r, const metrics::Window& w, double bin) {
    const auto c = metrics::correlation_matrix(r, w, bin);
    const std::size_t n = r.size();
    std::vector<double> out;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) out.push_back(c[i * n + j]);
    return finite_only(std::move(out));
}

void append(std::vector<double>& to, const std::vector<double>& v) {
    to.insert(to.end(), v.begin(), v.end());
}

// One matched-pair distance per neuron.
std::vector<double> per_neuron(const metrics::MetricSpec& spec, const SpikeRaster& a, const SpikeRaster& b,
                               const metrics::Window& w) {
    std::vector<double> out;
    for (std::size_t i = 0; i < a.size(); ++i)
        out.push_back(
            metrics::distance(spec, metrics::clean_train(a.train(i), w), metrics::clean_train(b.train(i), w), w));
    return out;
}

Measure test_row(const std::string& pop, const std::string& quantity, const std::string& test,
                 const metrics::TestResult& t, const std::vector<double>& target, const std::vector<double>& fitted) {
    Measure m;
    m.population = pop;
    m.quantity = quantity;
    m.test = test;
    m.statistic = t.statistic;
    m.p_value = t.p_value;
    m.target_value = mean_of(target);
    m.fitted_value = mean_of(fitted);
    m.applicable = std::isfinite(t.p_value);
    m.criterion = "p >= alpha/m";
    return m;
}

Measure not_applicable(const std::string& pop, const std::string& quantity, const std::string& test,
                       const std::string& why) {
    Measure m;
    m.population = pop;
    m.quantity = quantity;
    m.test = test;
    m.applicable = false;
    m.decides = false;
    m.criterion = why;
    return m;
}

// The two-sample tests of one distribution: Student, Welch, KS (rates: also paired) and Cohen's d.
void compare_distribution(std::vector<Measure>& out, const std::string& pop, const Distribution& d,
                          const std::vector<double>* paired_fitted) {
    if (d.target.size() < 2 || d.fitted.size() < 2) {
        out.push_back(not_applicable(pop, d.name, "ks", "fewer than 2 values"));
        return;
    }
    if (d.name == "rate") {
        out.push_back(
            test_row(pop, d.name, "student_t", metrics::student_t_test(d.fitted, d.target), d.target, d.fitted));
        out.push_back(test_row(pop, d.name, "welch_t", metrics::welch_t_test(d.fitted, d.target), d.target, d.fitted));
        if (paired_fitted && paired_fitted->size() == d.target.size())
            out.push_back(test_row(pop, d.name, "paired_t", metrics::paired_t_test(*paired_fitted, d.target), d.target,
                                   *paired_fitted));
    }
    out.push_back(test_row(pop, d.name, "ks", metrics::ks_two_sample(d.fitted, d.target), d.target, d.fitted));
    Measure e;
    e.population = pop;
    e.quantity = d.name;
    e.test = "cohens_d";
    e.decides = false;
    e.target_value = mean_of(d.target);
    e.fitted_value = mean_of(d.fitted);
    const auto es = metrics::cohens_d(d.fitted, d.target);
    e.statistic = es.d;
    e.ci_low = es.ci_low;
    e.ci_high = es.ci_high;
    e.applicable = std::isfinite(es.d);
    e.pass = !e.applicable || (es.ci_low <= 0.0 && 0.0 <= es.ci_high);
    e.criterion = "95% CI contains 0 (shown, not in the verdict)";
    out.push_back(e);
}

using io::json_number;
using io::json_numbers;
using io::json_string;

}  // namespace

ValidationReport validate(const std::vector<std::string>& populations, const std::vector<SpikeRaster>& targets,
                          const std::vector<std::vector<SpikeRaster>>& fitted, const metrics::Window& w,
                          const ValidationOptions& o) {
    if (populations.size() != targets.size() || populations.size() != fitted.size())
        throw InputError("validate: one target and one list of fitted rasters per population");
    if (!(o.alpha > 0.0 && o.alpha < 1.0)) throw InputError(fmt::format("alpha must be in (0, 1), got {}", o.alpha));
    if (o.margin < 0.0) throw InputError(fmt::format("margin must be >= 0, got {}", o.margin));
    if (o.calibrate && fitted.size() && fitted[0].size() < 3)
        throw InputError("--calibrate needs --seeds >= 3 (the reference is the spread between seeds)");
    if (!(o.distance_tolerance >= 0.0))
        throw InputError(fmt::format("distance tolerance must be >= 0, got {}", o.distance_tolerance));
    if (!(o.power_factor >= 1.0)) throw InputError(fmt::format("power factor must be >= 1, got {}", o.power_factor));
    ValidationReport rep;
    rep.options = o;
    rep.seeds = fitted.empty() ? 0 : fitted[0].size();
    for (std::size_t p = 0; p < populations.size(); ++p) {
        const auto& pop = populations[p];
        const auto& tg = targets[p];
        const auto& runs = fitted[p];
        if (runs.empty()) throw InputError(fmt::format("validate: no fitted raster of population {}", pop));
        for (const auto& r : runs)
            if (r.size() != tg.size())
                throw InputError(fmt::format("validate: population {} has {} neurons in the fit, {} in the target", pop,
                                             r.size(), tg.size()));
        PopulationValidation pv;
        pv.population = pop;
        Distribution rate{"rate", "Hz", rates_hz(tg, w), {}}, cvd{"cv", "", isi_stat(tg, w, false), {}},
            lvd{"lv", "", isi_stat(tg, w, true), {}}, corr{"corr", "", correlations(tg, w, o.corr_bin), {}};
        std::vector<double> rate_by_neuron(tg.size(), 0.0);
        std::vector<std::array<std::vector<double>, 4>> per_seed;  // rate, cv, lv, corr of each seed
        for (const auto& r : runs) {
            std::array<std::vector<double>, 4> q{
                rates_hz(r, w), isi_stat(r, w, false), isi_stat(r, w, true),
                tg.size() >= 2 ? correlations(r, w, o.corr_bin) : std::vector<double>{}};
            for (std::size_t i = 0; i < q[0].size(); ++i)
                rate_by_neuron[i] += q[0][i] / static_cast<double>(runs.size());
            append(rate.fitted, q[0]);
            append(cvd.fitted, q[1]);
            append(lvd.fitted, q[2]);
            append(corr.fitted, q[3]);
            per_seed.push_back(std::move(q));
        }
        compare_distribution(rep.measures, pop, rate, &rate_by_neuron);
        compare_distribution(rep.measures, pop, cvd, nullptr);
        compare_distribution(rep.measures, pop, lvd, nullptr);
        compare_distribution(rep.measures, pop, corr, nullptr);
        // Calibrated against the fit's own realisations: the KS distance of each seed to
        // the target against the KS distances between seeds (the unit is the realisation).
        if (runs.size() >= 3) {
            const Distribution* ds[4] = {&rate, &cvd, &lvd, &corr};
            for (std::size_t qi = 0; qi < 4; ++qi) {
                std::vector<double> obs, null;
                bool enough = ds[qi]->target.size() >= 2;
                for (const auto& q : per_seed) enough = enough && q[qi].size() >= 2;
                if (!enough) continue;
                for (std::size_t a = 0; a < runs.size(); ++a) {
                    obs.push_back(metrics::ks_two_sample(per_seed[a][qi], ds[qi]->target).statistic);
                    for (std::size_t b = a + 1; b < runs.size(); ++b)
                        null.push_back(metrics::ks_two_sample(per_seed[a][qi], per_seed[b][qi]).statistic);
                }
                const auto t = metrics::welch_t_test(obs, null);
                Measure m;
                m.population = pop;
                m.quantity = ds[qi]->name;
                m.test = "ks_vs_seeds";
                m.statistic = t.statistic;
                m.p_value = std::isfinite(t.p_value) ? t.p_value : 1.0;
                m.target_value = mean_of(null);
                m.fitted_value = mean_of(obs);
                m.decides = o.calibrate;
                m.criterion = "KS distance to the target no larger than between seeds: p >= alpha/m or smaller";
                rep.measures.push_back(m);
            }
        }
        if (o.calibrate)
            for (auto& m : rep.measures)
                if (m.population == pop &&
                    (m.test == "student_t" || m.test == "welch_t" || m.test == "paired_t" || m.test == "ks"))
                    m.decides = false;
        if (o.margin > 0.0) {
            Measure m;
            m.population = pop;
            m.quantity = "rate";
            m.test = "tost";
            m.decides = false;
            m.threshold = o.margin;
            m.target_value = mean_of(rate.target);
            m.fitted_value = mean_of(rate.fitted);
            if (rate.target.size() >= 2 && rate.fitted.size() >= 2) {
                const auto t = metrics::tost_welch(rate.fitted, rate.target, o.margin);
                m.statistic = std::isfinite(t.t_lower) ? std::min(std::fabs(t.t_lower), std::fabs(t.t_upper)) : 0.0;
                m.p_value = t.p_value;
                m.criterion = fmt::format("equivalent within +-{} Hz: p < alpha", o.margin);
            } else {
                m.applicable = false;
                m.criterion = "fewer than 2 values";
            }
            rep.measures.push_back(m);
        }

        // Spike distances to the target, against the same distances between seeds of the fit.
        const metrics::MetricSpec spike{metrics::Metric::spike}, sync{metrics::Metric::sync};
        for (const auto* spec : {&spike, &sync}) {
            const bool is_sync = spec == &sync;
            std::vector<double> to_target, between;
            for (const auto& r : runs) append(to_target, per_neuron(*spec, r, tg, w));
            for (std::size_t a = 0; a < runs.size(); ++a)
                for (std::size_t b = a + 1; b < runs.size(); ++b)
                    append(between, per_neuron(*spec, runs[a], runs[b], w));
            Measure m;
            m.population = pop;
            m.quantity = is_sync ? "spike_sync" : "spike_distance";
            // SYNC is shown as the synchronization (1 - the distance): higher is closer.
            const double sgn = is_sync ? -1.0 : 1.0, off = is_sync ? 1.0 : 0.0;
            m.fitted_value = off + sgn * mean_of(to_target);
            (is_sync ? pv.spike_sync : pv.spike_distance) = m.fitted_value;
            if (between.size() >= 2 && to_target.size() >= 2) {
                m.target_value = off + sgn * mean_of(between);
                (is_sync ? pv.spike_sync_ref : pv.spike_distance_ref) = m.target_value;
                const auto t = metrics::welch_t_test(to_target, between);
                m.test = "welch_t";
                m.statistic = t.statistic;
                m.p_value = t.p_value;
                m.applicable = std::isfinite(t.p_value) || mean_of(to_target) <= mean_of(between);
                if (!std::isfinite(t.p_value)) m.p_value = 1.0;
                m.criterion = fmt::format("no farther from the target than between seeds: p >= alpha/m or within {}",
                                          o.distance_tolerance);
            } else {
                m.test = "value";
                m.applicable = false;
                m.decides = false;
                m.criterion = "shown only: the reference (between seeds) needs --seeds >= 2";
            }
            rep.measures.push_back(m);
        }

        // Spectra of the population rate.
        {
            auto& s = pv.spectrum;
            const auto pt = metrics::population_rate_psd(tg, w, o.spectrum_bin, o.spectrum_segment);
            s.frequency = pt.frequency;
            s.target = pt.power;
            s.fitted.assign(pt.power.size(), 0.0);
            for (const auto& r : runs) {
                const auto pf = metrics::population_rate_psd(r, w, o.spectrum_bin, o.spectrum_segment);
                for (std::size_t k = 0; k < pf.power.size(); ++k)
                    s.fitted[k] += pf.power[k] / static_cast<double>(runs.size());
            }
            const double df = s.frequency.size() > 1 ? s.frequency[1] - s.frequency[0] : 0.0;
            auto peak = [&](const std::vector<double>& v) {
                std::size_t best = 1;
                for (std::size_t k = 1; k < v.size(); ++k)
                    if (v[k] > v[best]) best = k;
                return v.size() > 1 ? s.frequency[best] : 0.0;
            };
            for (std::size_t k = 0; k < s.frequency.size(); ++k) {
                s.target_power += s.target[k] * df;
                s.fitted_power += s.fitted[k] * df;
            }
            s.target_peak = peak(s.target);
            s.fitted_peak = peak(s.fitted);
            Measure m;
            m.population = pop;
            m.quantity = "spectrum";
            m.test = "power_ratio";
            m.threshold = o.power_factor;
            m.target_value = s.target_power;
            m.fitted_value = s.fitted_power;
            m.applicable = s.target_power > 0.0 && s.fitted_power > 0.0;
            m.statistic = m.applicable ? s.fitted_power / s.target_power : std::nan("");
            m.pass = m.applicable ? std::max(m.statistic, 1.0 / m.statistic) <= o.power_factor
                                  : s.target_power == s.fitted_power;
            m.applicable = m.applicable || s.target_power == s.fitted_power;
            m.criterion = fmt::format("total power within a factor {} (peaks {:.3g} / {:.3g} Hz)", o.power_factor,
                                      s.target_peak, s.fitted_peak);
            rep.measures.push_back(m);
        }
        pv.distributions = {std::move(rate), std::move(cvd), std::move(lvd), std::move(corr)};
        rep.populations.push_back(std::move(pv));
    }

    // Bonferroni over the deciding hypothesis tests.
    std::size_t m_tests = 0;
    for (const auto& m : rep.measures)
        if (m.decides && m.applicable && m.p_value >= 0.0) ++m_tests;
    rep.test_alpha = o.alpha / static_cast<double>(std::max<std::size_t>(1, m_tests));
    for (auto& m : rep.measures) {
        if (m.test == "tost") {
            m.threshold = o.alpha;
            m.pass = m.applicable && m.p_value < o.alpha;
            rep.equivalent = rep.equivalent.value_or(true) && m.pass;
            continue;
        }
        if (!m.applicable && m.decides) {
            m.decides = false;
            m.criterion = "n/a: undefined statistic (constant samples)";
            continue;
        }
        if (m.p_value >= 0.0 && m.decides) {
            m.threshold = rep.test_alpha;
            // Distances: also pass when no more than distance_tolerance farther from the
            // target than between seeds (a deterministic model has a reference of 0).
            const double tol = o.distance_tolerance;
            const bool close = (m.test == "ks_vs_seeds" && m.fitted_value <= m.target_value) ||
                               (m.quantity == "spike_distance" && m.fitted_value <= m.target_value + tol) ||
                               (m.quantity == "spike_sync" && m.fitted_value >= m.target_value - tol);
            m.pass = m.p_value >= rep.test_alpha || close;
        }
        if (m.decides && m.applicable && !m.pass) rep.same = false;
    }
    return rep;
}

std::uint64_t validation_seed(std::uint64_t simulation_seed, std::size_t k) {
    return stream_id({simulation_seed, static_cast<std::uint64_t>(StreamTag::user), static_cast<std::uint64_t>(k)});
}

namespace {

// /best/parameters, checked against the config's parameter space.
std::vector<double> best_parameters_of(const io::h5::Group& root, const std::string& path, const ParameterSpace& space,
                                       const char* purpose) {
    const auto best_group = root.open_group("best");
    if (best_group.has_attr("valid") && best_group.attr_int("valid") == 0)
        throw InputError(fmt::format("{}: the fit has no valid best parameters{}", path, purpose));
    auto best = best_group.read_doubles("parameters");
    if (best.size() != space.size())
        throw InputError(fmt::format("{}: /best/parameters has {} values, the config {} parameters", path, best.size(),
                                     space.size()));
    return best;
}

}  // namespace

std::optional<BestSimulation> simulate_best(const std::string& path, std::size_t max_traces) {
    auto file = io::h5::File::open_read(path);
    const auto root = file.root();
    const auto kind = io::check_header(root);
    if (kind != "result" && kind != "checkpoint")
        throw InputError(fmt::format("{}: an snnfit {} file, not a fit result", path, kind));
    BestSimulation out{read_config(root).document(path), {}, 0};
    const auto problem = parse_fit_config(out.config).make_problem();
    const auto* fit = dynamic_cast<const SpikeFit*>(problem.get());
    if (fit == nullptr) return std::nullopt;  // no network to simulate
    const auto& spec = fit->spec();
    const auto best = best_parameters_of(root, path, spec.space, "");
    auto net = spec.network;
    spec.space.apply(net, best);
    // The compared populations' voltages, first neurons (sweeps) only, added to what the config records.
    std::set<std::string> compared;
    for (const auto& l : spec.losses) compared.insert(l.population);
    for (const auto& pop : net.populations) {
        if (!compared.count(pop.name)) continue;
        // One probe per population (the config may already record some of its neurons).
        std::erase_if(net.recording.voltage,
                      [&](const model::VoltageRecordSpec& r) { return r.population == pop.name; });
        model::VoltageRecordSpec v{pop.name, {}};
        for (std::int64_t k = 0; k < std::min<std::int64_t>(pop.size, static_cast<std::int64_t>(max_traces)); ++k)
            v.neurons.push_back(k);
        net.recording.voltage.push_back(v);
    }
    out.seed = problem->output_seed();
    out.result = sim::simulate(net, out.seed);
    return out;
}

PopulationHistory replay_populations(const std::string& path, int threads) {
    auto file = io::h5::File::open_read(path);
    const auto root = file.root();
    const auto kind = io::check_header(root);
    if (kind != "result") throw InputError(fmt::format("{}: an snnfit {} file, not a fit result", path, kind));
    const auto doc = read_config(root).document(path);
    auto config = parse_fit_config(doc);
    config.seed = static_cast<std::uint64_t>(root.attr_int("run_seed"));
    const auto hist = root.open_group("history");
    const auto stored_best = hist.read_doubles("best");
    if (stored_best.empty()) throw InputError(fmt::format("{}: /history is empty", path));
    // The same number of generations, whatever limit stopped the run.
    config.optimizer.termination = {};
    config.optimizer.termination.generations = static_cast<std::int64_t>(stored_best.size()) - 1;
    const auto problem = config.make_problem();
    const auto& space = problem->space();
    opt::Optimizer optimizer(config.optimizer, opt::Bounds{space.search_lo(), space.search_hi()}, problem->objectives(),
                             config.seed);
    const Problem* p = problem.get();
    opt::ThreadEvaluator ev([p](std::span<const double> x, std::uint64_t seed) { return p->evaluate(x, seed); },
                            threads);
    PopulationHistory out;
    for (const auto& prm : space.parameters()) out.names.push_back(prm.name);
    std::vector<double> best;
    bool more = true;
    while (more && optimizer.generation() < static_cast<std::int64_t>(stored_best.size())) {
        const auto g = optimizer.generation();
        more = optimizer.step(ev);
        best.push_back(optimizer.history().back().best);
        for (std::size_t k = 0; k < optimizer.islands(); ++k)
            for (const auto& ind : optimizer.population(k))
                out.rows.push_back({g, static_cast<std::int64_t>(k), ind.fitness, space.decode(ind.x)});
    }
    out.history_matches = best == stored_best;
    return out;
}

ValidationReport validate_result(const std::string& path, std::size_t seeds, const ValidationOptions& options,
                                 int threads) {
    if (seeds < 1) throw InputError(fmt::format("--seeds must be >= 1, got {}", seeds));
    auto file = io::h5::File::open_read(path);
    const auto root = file.root();
    const auto kind = io::check_header(root);
    if (kind != "result" && kind != "checkpoint")
        throw InputError(fmt::format("{}: an snnfit {} file, not a fit result", path, kind));
    const auto doc = read_config(root).document(path);
    // The fit's own realisation is one sample; validation draws independent ones.
    const auto problem = parse_fit_config(doc).make_problem();
    const auto best = best_parameters_of(root, path, problem->space(), " to validate");
    std::vector<std::string> pops;
    std::vector<SpikeRaster> targets;
    if (root.has("target")) {
        const auto tg = root.open_group("target");
        for (const auto& name : tg.members()) {
            pops.push_back(name);
            targets.push_back(io::read_raster(tg.open_group(name)));
        }
    }
    const auto* fit = dynamic_cast<const SpikeFit*>(problem.get());
    if (pops.empty() || fit == nullptr)
        throw InputError(fmt::format("{}: the fit has no target spike trains (/target) to validate against", path));
    {
        // Every seed's simulation is kept to the end: at least a result holding as many
        // spikes as the target.
        double per_seed = sizeof(sim::SimResult) + sizeof(std::string);
        for (const auto& t : targets) per_seed += 8.0 * static_cast<double>(t.times.size() + t.offsets.size());
        require_memory(static_cast<double>(seeds) * per_seed, fmt::format("--seeds {}:", seeds));
    }
    const auto window = fit->spec().window;
    const auto sim_seed = problem->output_seed();

    std::vector<sim::SimResult> sims(seeds);
    std::vector<std::string> errors(seeds);
    ThreadTeam team(threads);
    team.for_each(seeds, [&](std::size_t k) {
        try {
            sims[k] = problem->simulate(best, validation_seed(sim_seed, k));
        } catch (const std::exception& e) {
            errors[k] = e.what();
        }
    });
    std::vector<std::vector<SpikeRaster>> fitted(pops.size());
    for (std::size_t k = 0; k < seeds; ++k) {
        if (!errors[k].empty())
            throw Error(fmt::format("{}: simulation of the best parameters (seed {}) failed: {}", path, k, errors[k]));
        if (sims[k].status != sim::SimResult::Status::ok)
            throw Error(fmt::format("{}: the best parameters are invalid under seed {}: {}", path, k, sims[k].message));
        for (std::size_t p = 0; p < pops.size(); ++p) {
            const auto* r = sims[k].find(pops[p]);
            if (!r) throw InputError(fmt::format("{}: population {} of /target is not in the network", path, pops[p]));
            fitted[p].push_back(*r);
        }
    }
    return validate(pops, targets, fitted, window, options);
}

std::string validation_table(const ValidationReport& r) {
    std::string o = fmt::format(
        "{} seed{}; alpha {} split over the deciding tests: each test at {:.3g}\n"
        "{:<10} {:<15} {:<12} {:>11} {:>10} {:>11} {:>11}  {}\n",
        r.seeds, r.seeds == 1 ? "" : "s", r.options.alpha, r.test_alpha, "population", "measure", "test", "statistic",
        "p-value", "target|ref", "fitted", "result");
    for (const auto& m : r.measures) {
        std::string result;
        if (!m.applicable)
            result = "n/a";
        else if (m.test == "tost")
            result = m.pass ? "equivalent" : "not shown equivalent";
        else if (!m.decides)
            result = m.pass ? "(pass)" : "(fail)";
        else
            result = m.pass ? "pass" : "FAIL";
        if (m.test == "cohens_d" && m.applicable)
            result += fmt::format(" 95% CI [{:.3g}, {:.3g}]", m.ci_low, m.ci_high);
        std::string stat = fmt::format("{:.4g}", m.statistic);
        o += fmt::format("{:<10} {:<15} {:<12} {:>11} {:>10} {:>11.4g} {:>11.4g}  {}\n", m.population, m.quantity,
                         m.test, m.applicable || m.test == "value" ? stat : "-",
                         m.p_value >= 0.0 && m.applicable ? fmt::format("{:.3g}", m.p_value) : "-", m.target_value,
                         m.fitted_value, result);
    }
    std::string failed;
    for (const auto& m : r.measures)
        if (m.decides && m.applicable && !m.pass)
            failed += fmt::format("{}{} {} {}", failed.empty() ? "" : ", ", m.population, m.quantity, m.test);
    o += fmt::format("verdict: {}{}\n", r.verdict(),
                     r.same ? " (no deciding measure fails)" : " (fails: " + failed + ")");
    if (r.equivalent)
        o += fmt::format("equivalence of the mean rate within +-{} Hz (TOST, alpha {}): {}\n", r.options.margin,
                         r.options.alpha, *r.equivalent ? "equivalent" : "not shown equivalent");
    return o;
}

std::string validation_json(const ValidationReport& r) {
    const auto& o = r.options;
    std::string s = "{\n";
    s += fmt::format("  \"verdict\": {},\n  \"same\": {},\n  \"equivalent\": {},\n  \"seeds\": {},\n",
                     json_string(r.verdict()), r.same ? "true" : "false",
                     r.equivalent ? (*r.equivalent ? "true" : "false") : "null", r.seeds);
    s += fmt::format(
        "  \"options\": {{\"alpha\": {}, \"margin\": {}, \"corr_bin\": {}, \"spectrum_bin\": {}, "
        "\"spectrum_segment\": {}, \"power_factor\": {}, \"distance_tolerance\": {}, \"calibrate\": {}}},\n  "
        "\"test_alpha\": {},\n",
        json_number(o.alpha), json_number(o.margin), json_number(o.corr_bin), json_number(o.spectrum_bin),
        json_number(o.spectrum_segment), json_number(o.power_factor), json_number(o.distance_tolerance),
        o.calibrate ? "true" : "false", json_number(r.test_alpha));
    s += "  \"measures\": [\n";
    for (std::size_t i = 0; i < r.measures.size(); ++i) {
        const auto& m = r.measures[i];
        s += fmt::format(
            "    {{\"population\": {}, \"quantity\": {}, \"test\": {}, \"statistic\": {}, \"p_value\": {}, "
            "\"threshold\": {}, \"ci\": {}, \"target\": {}, \"fitted\": {}, \"applicable\": {}, \"decides\": {}, "
            "\"pass\": {}, \"criterion\": {}}}{}\n",
            json_string(m.population), json_string(m.quantity), json_string(m.test), json_number(m.statistic),
            m.p_value >= 0.0 ? json_number(m.p_value) : "null", json_number(m.threshold),
            m.test == "cohens_d" ? json_numbers({m.ci_low, m.ci_high}) : "null", json_number(m.target_value),
            json_number(m.fitted_value), m.applicable ? "true" : "false", m.decides ? "true" : "false",
            m.pass ? "true" : "false", json_string(m.criterion), i + 1 < r.measures.size() ? "," : "");
    }
    s += "  ],\n  \"populations\": {\n";
    for (std::size_t p = 0; p < r.populations.size(); ++p) {
        const auto& pv = r.populations[p];
        s += fmt::format("    {}: {{\n", json_string(pv.population));
        for (const auto& d : pv.distributions)
            s += fmt::format("      {}: {{\"unit\": {}, \"target\": {}, \"fitted\": {}}},\n", json_string(d.name),
                             json_string(d.unit), json_numbers(d.target), json_numbers(d.fitted));
        const auto& sp = pv.spectrum;
        s += fmt::format(
            "      \"spectrum\": {{\"frequency\": {}, \"target\": {}, \"fitted\": {}, \"target_power\": {}, "
            "\"fitted_power\": {}, \"target_peak\": {}, \"fitted_peak\": {}}},\n",
            json_numbers(sp.frequency), json_numbers(sp.target), json_numbers(sp.fitted), json_number(sp.target_power),
            json_number(sp.fitted_power), json_number(sp.target_peak), json_number(sp.fitted_peak));
        s += fmt::format(
            "      \"spike_distance\": {}, \"spike_sync\": {}, \"spike_distance_between_seeds\": {}, "
            "\"spike_sync_between_seeds\": {}\n    }}{}\n",
            json_number(pv.spike_distance), json_number(pv.spike_sync),
            pv.spike_distance_ref >= 0 ? json_number(pv.spike_distance_ref) : "null",
            pv.spike_sync_ref >= 0 ? json_number(pv.spike_sync_ref) : "null", p + 1 < r.populations.size() ? "," : "");
    }
    s += "  }\n}\n";
    return s;
}

}  // namespace snnfit::fit
