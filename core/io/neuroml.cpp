#include "io/neuroml.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "common/error.hpp"
#include "io/spike_files.hpp"

namespace snnfit::io {

namespace {

// Factor from each NeuroML unit (NeuroMLCoreDimensions.xml names) to snnfit's unit.
const std::map<std::string, std::map<std::string, double>>& unit_table() {
    static const std::map<std::string, std::map<std::string, double>> t = {
        {"voltage", {{"V", 1e3}, {"mV", 1.0}, {"uV", 1e-3}}},
        {"time", {{"s", 1e3}, {"ms", 1.0}, {"us", 1e-3}}},
        {"capacitance", {{"F", 1e12}, {"uF", 1e6}, {"nF", 1e3}, {"pF", 1.0}}},
        {"conductance", {{"S", 1e9}, {"mS", 1e6}, {"uS", 1e3}, {"nS", 1.0}, {"pS", 1e-3}}},
        {"current", {{"A", 1e12}, {"mA", 1e9}, {"uA", 1e6}, {"nA", 1e3}, {"pA", 1.0}}},
        {"per_time", {{"per_s", 1e-3}, {"Hz", 1e-3}, {"per_ms", 1.0}, {"kHz", 1.0}}},
        // S/V = 1e9 nS / 1e3 mV.
        {"conductance_per_voltage", {{"S_per_V", 1e6}, {"mS_per_V", 1e3}, {"nS_per_mV", 1.0}}},
    };
    return t;
}

std::string known_units(const std::string& dimension) {
    std::vector<std::string> names;
    for (const auto& [u, f] : unit_table().at(dimension)) names.push_back(u);
    return fmt::format("{}", fmt::join(names, ", "));
}

struct Attr {
    const char* name;       // NeuroML attribute
    const char* param;      // snnfit parameter
    const char* dimension;  // NeuroML dimension
};

struct CellType {
    const char* element;
    const char* model;
    std::vector<Attr> attrs;
    // Parameters NeuroML fixes by its equations rather than by an attribute:
    // initial values (from the LEMS OnStart) and defaults snnfit's model must not keep.
    std::vector<std::pair<const char*, const char*>> copies;  // param <- param
    std::vector<std::pair<const char*, double>> fixed;
};

const std::vector<CellType>& cell_types() {
    static const std::vector<CellType> t = {
        {"izhikevichCell",
         "izhikevich2003",
         {{"v0", "v0", "voltage"},
          {"thresh", "vpeak", "voltage"},
          {"a", "a", "dimensionless"},
          {"b", "b", "dimensionless"},
          {"c", "c", "dimensionless"},  // c * MVOLT in the LEMS definition: mV
          {"d", "d", "dimensionless"}},
         {},
         {}},
        {"izhikevich2007Cell",
         "izhikevich2007",
         {{"C", "C", "capacitance"},
          {"v0", "v0", "voltage"},
          {"k", "k", "conductance_per_voltage"},
          {"vr", "vr", "voltage"},
          {"vt", "vt", "voltage"},
          {"vpeak", "vpeak", "voltage"},
          {"a", "a", "per_time"},
          {"b", "b", "conductance"},
          {"c", "c", "voltage"},
          {"d", "d", "current"}},
         {},
         {}},
        {"adExIaFCell",
         "adex",
         {{"C", "C", "capacitance"},
          {"gL", "gL", "conductance"},
          {"EL", "EL", "voltage"},
          {"reset", "Vr", "voltage"},
          {"VT", "VT", "voltage"},
          {"thresh", "Vpeak", "voltage"},
          {"delT", "DeltaT", "voltage"},
          {"tauw", "tau_w", "time"},
          {"refract", "t_ref", "time"},
          {"a", "a", "conductance"},
          {"b", "b", "current"}},
         {{"V0", "EL"}},  // OnStart: v = EL, w = 0
         {}},
        {"iafCell",
         "lif",
         {{"leakReversal", "E_L", "voltage"},
          {"thresh", "V_th", "voltage"},
          {"reset", "V_reset", "voltage"},
          {"C", "C_m", "capacitance"},
          {"leakConductance", "tau_m", "conductance"}},  // tau_m = C / g, set below
         {{"V_init", "E_L"}},                            // OnStart: v = leakReversal
         {{"t_ref", 0.0}}},
        {"iafRefCell",
         "lif",
         {{"leakReversal", "E_L", "voltage"},
          {"thresh", "V_th", "voltage"},
          {"reset", "V_reset", "voltage"},
          {"C", "C_m", "capacitance"},
          {"leakConductance", "tau_m", "conductance"},
          {"refract", "t_ref", "time"}},
         {{"V_init", "E_L"}},
         {}},
    };
    return t;
}

// Metadata and structure that carry no cell or stimulus: skipped. A <network> is
// skipped too (snnfit imports cells and inputs, its own config wires populations).
bool ignorable(const std::string& e) {
    return e == "notes" || e == "annotation" || e == "property" || e == "network";
}

class Reader {
public:
    explicit Reader(std::string path) : path_(std::move(path)) {
        auto in = open_input_file(path_, "a NeuroML file");
        std::ostringstream ss;
        ss << in.rdbuf();
        text_ = ss.str();
    }

    NeuromlDocument read() {
        const auto r = doc_.load_buffer(text_.data(), text_.size());
        if (!r) fail_at(r.offset, fmt::format("not well-formed XML: {}", r.description()));
        const auto root = doc_.document_element();
        if (std::string(root.name()) != "neuroml")
            fail(root, fmt::format("the root element is <{}>, expected <neuroml>", root.name()));
        NeuromlDocument out;
        out.file = path_;
        for (const auto& node : root.children()) {
            if (node.type() != pugi::node_element) continue;
            const std::string e = node.name();
            if (ignorable(e)) continue;
            if (e == "pulseGenerator" || e == "pulseGeneratorDL") {
                out.pulses.push_back(pulse(node, e == "pulseGeneratorDL"));
                continue;
            }
            auto ct = std::find_if(cell_types().begin(), cell_types().end(),
                                   [&](const CellType& c) { return e == c.element; });
            if (ct == cell_types().end())
                fail(node,
                     "unknown element (snnfit imports izhikevichCell, izhikevich2007Cell, adExIaFCell, iafCell, "
                     "iafRefCell, pulseGenerator, pulseGeneratorDL)");
            out.cells.push_back(cell(node, *ct));
        }
        for (std::size_t i = 0; i < out.cells.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (out.cells[i].id == out.cells[j].id)
                    throw InputError(path_ + ": cell id \"" + out.cells[i].id + "\" is used twice");
        return out;
    }

private:
    int line_of(std::ptrdiff_t offset) const {
        const auto end =
            text_.begin() + std::clamp<std::ptrdiff_t>(offset, 0, static_cast<std::ptrdiff_t>(text_.size()));
        return 1 + static_cast<int>(std::count(text_.begin(), end, '\n'));
    }
    [[noreturn]] void fail_at(std::ptrdiff_t offset, const std::string& what) const {
        throw InputError(fmt::format("{}:{}: {}", path_, line_of(offset), what));
    }
    [[noreturn]] void fail(const pugi::xml_node& node, const std::string& what) const {
        const std::string id = node.attribute("id").as_string();
        fail_at(node.offset_debug(),
                fmt::format("<{}{}>: {}", node.name(), id.empty() ? "" : " id=\"" + id + "\"", what));
    }

    std::string id(const pugi::xml_node& node) const {
        const std::string s = node.attribute("id").as_string();
        if (s.empty()) fail(node, "missing attribute id");
        return s;
    }

    double quantity(const pugi::xml_node& node, const char* attr, const char* dimension) const {
        const auto a = node.attribute(attr);
        if (!a) fail(node, fmt::format("missing attribute {}", attr));
        try {
            return neuroml_quantity(a.as_string(), dimension);
        } catch (const Error& e) {
            fail(node, fmt::format("attribute {}: {}", attr, e.what()));
        }
    }

    void no_children(const pugi::xml_node& node) const {
        for (const auto& c : node.children())
            if (c.type() == pugi::node_element && !ignorable(c.name()))
                fail(c, fmt::format("unknown element inside <{}> (snnfit imports point cells given by attributes)",
                                    node.name()));
    }

    void check_attributes(const pugi::xml_node& node, const std::vector<std::string>& known) const {
        for (const auto& a : node.attributes()) {
            const std::string n = a.name();
            if (std::find(known.begin(), known.end(), n) == known.end())
                fail(node, fmt::format("unknown attribute {} (known: {})", n, fmt::join(known, ", ")));
        }
    }

    NeuromlCell cell(const pugi::xml_node& node, const CellType& ct) const {
        NeuromlCell c;
        c.id = id(node);
        c.element = ct.element;
        c.model = ct.model;
        std::vector<std::string> known{"id", "metaid", "name"};
        double C = 0.0, g = 0.0;
        for (const auto& a : ct.attrs) {
            known.push_back(a.name);
            const double v = quantity(node, a.name, a.dimension);
            if (std::string(a.name) == "leakConductance") {
                g = v;  // tau_m below, once C is known
                continue;
            }
            if (std::string(a.param) == "C_m") C = v;
            c.params.emplace_back(a.param, v);
        }
        if (ct.model == std::string("lif")) {
            if (!(g > 0)) fail(node, "leakConductance must be positive");
            c.params.emplace_back("tau_m", C / g);  // pF / nS = ms
        }
        for (const auto& [to, from] : ct.copies) {
            auto it = std::find_if(c.params.begin(), c.params.end(),
                                   [&name = from](const auto& p) { return p.first == name; });
            c.params.emplace_back(to, it->second);
        }
        for (const auto& [p, v] : ct.fixed) c.params.emplace_back(p, v);
        check_attributes(node, known);
        no_children(node);
        return c;
    }

    NeuromlPulse pulse(const pugi::xml_node& node, bool dimensionless) const {
        NeuromlPulse p;
        p.id = id(node);
        p.dimensionless = dimensionless;
        p.delay = quantity(node, "delay", "time");
        p.duration = quantity(node, "duration", "time");
        p.amplitude = quantity(node, "amplitude", dimensionless ? "dimensionless" : "current");
        if (p.delay < 0) fail(node, "delay must be >= 0");
        if (p.duration < 0) fail(node, "duration must be >= 0");
        check_attributes(node, {"id", "metaid", "name", "delay", "duration", "amplitude"});
        no_children(node);
        return p;
    }

    std::string path_;
    std::string text_;
    pugi::xml_document doc_;
};

}  // namespace

double neuroml_quantity(const std::string& text, const std::string& dimension) {
    errno = 0;
    char* end = nullptr;
    const double x = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || errno != 0 || !std::isfinite(x))
        throw Error(fmt::format("\"{}\" does not start with a finite number", text.substr(0, 40)));
    std::string unit(end);
    unit.erase(0, unit.find_first_not_of(" \t"));
    unit.erase(unit.find_last_not_of(" \t") + 1);
    if (dimension == "dimensionless") {
        if (!unit.empty()) throw Error(fmt::format("\"{}\" must be a plain number (dimensionless)", text));
        return x;
    }
    const auto& units = unit_table().at(dimension);
    if (unit.empty())
        throw Error(fmt::format("\"{}\" has no unit (a {}: one of {})", text, dimension, known_units(dimension)));
    const auto it = units.find(unit);
    if (it == units.end())
        throw Error(fmt::format("unit \"{}\" is not a {} unit (known: {})", unit.substr(0, 20), dimension,
                                known_units(dimension)));
    return x * it->second;
}

const NeuromlCell* NeuromlDocument::find_cell(const std::string& id) const {
    for (const auto& c : cells)
        if (c.id == id) return &c;
    return nullptr;
}

const NeuromlPulse* NeuromlDocument::find_pulse(const std::string& id) const {
    for (const auto& p : pulses)
        if (p.id == id) return &p;
    return nullptr;
}

namespace {
template <class T>
std::string ids_of(const std::vector<T>& v) {
    std::vector<std::string> ids;
    for (const auto& x : v) ids.push_back(x.id);
    return ids.empty() ? "none" : fmt::format("{}", fmt::join(ids, ", "));
}
}  // namespace

std::string NeuromlDocument::cell_ids() const {
    return ids_of(cells);
}

std::string NeuromlDocument::pulse_ids() const {
    return ids_of(pulses);
}

NeuromlDocument read_neuroml(const std::string& path) {
    return Reader(path).read();
}

}  // namespace snnfit::io
