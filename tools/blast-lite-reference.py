#!/usr/bin/env python3
"""Reference trajectories of NREL BLAST-Lite's fitted cell models over a grid of daily profiles.

Usage:
    python3 tools/blast-lite-reference.py BLAST_LITE_CHECKOUT OUT.json [--years N] [--quick]
    python3 tools/blast-lite-reference.py BLAST_LITE_CHECKOUT --time PROFILE.csv MODEL YEARS

BLAST_LITE_CHECKOUT is a checkout of github.com/NREL/BLAST-Lite (BSD 3-Clause licence). Only its
`blast/models` and `blast/utils/rainflow.py` are used; the plotting and weather-download imports of
its package are replaced by empty modules when they are not installed (they are not used here).

Each profile is one day, repeated, in BLAST-Lite's input form (Time_s, SOC, Temperature_C), run with
`simulate_battery_life` and its defaults (energy throughput conserved, one update per day). The
second form times one projection of PROFILE.csv (columns time_s,soc,temperature_c) and prints the
wall and CPU seconds it took, for the speed benchmark.
"""
import importlib.util
import json
import math
import os
import subprocess
import sys
import time
import types

MODELS = {
    # twin model id: (BLAST-Lite module, class)
    "nmc-kokam-75ah": ("nmc111_gr_Kokam75Ah_2017", "Nmc111_Gr_Kokam75Ah_Battery"),
    "lfp-sony-murata-3ah": ("lfp_gr_SonyMurata3Ah_2018", "Lfp_Gr_SonyMurata3Ah_Battery"),
    "nca-panasonic-3ah": ("nca_gr_Panasonic3Ah_2018", "Nca_Gr_Panasonic3Ah_Battery"),
    "lmo-nissan-leaf-2nd-life": ("lmo_gr_NissanLeaf66Ah_2ndLife_2020", "Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery"),
}

STEP_S = 600  # profile resolution: 10 min


def stub_missing(name, attrs=()):
    try:
        importlib.import_module(name)
    except Exception:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            mod_name = ".".join(parts[:i])
            if mod_name not in sys.modules:
                sys.modules[mod_name] = types.ModuleType(mod_name)
        mod = sys.modules[name]
        for a in attrs:
            setattr(mod, a, None)


def load_blast(checkout):
    stub_missing("matplotlib.pyplot")
    stub_missing("h5pyd")
    stub_missing("geopy.geocoders", ("Nominatim",))
    sys.path.insert(0, os.path.abspath(checkout))
    return importlib.import_module("blast.models")


def day_profile(dod, soc_top, c_rate, rest_top_h, temperature_c, swing_c=0.0):
    """One day: rest at the bottom, charge at c_rate to soc_top, rest rest_top_h, discharge by dod,
    rest at the bottom until 24 h. The day starts and ends at the bottom of the swing (BLAST-Lite
    rescales each day's swing around its first point). swing_c adds a daily sine of temperature
    (peak at 15:00)."""
    bottom = soc_top - dod
    ramp_h = dod / c_rate
    # Charge ends at 07:00 (off-peak/solar charge), discharge starts after the rest at the top.
    t_charge_end = 7.0
    t_charge_start = t_charge_end - ramp_h
    t_dis_start = t_charge_end + rest_top_h
    t_dis_end = t_dis_start + ramp_h
    assert t_charge_start >= 0 and t_dis_end <= 24, (dod, c_rate, rest_top_h)
    times, socs, temps = [], [], []
    for k in range(0, 86400 // STEP_S + 1):
        t = k * STEP_S
        h = t / 3600
        if h <= t_charge_start:
            s = bottom
        elif h <= t_charge_end:
            s = bottom + (h - t_charge_start) * c_rate
        elif h <= t_dis_start:
            s = soc_top
        elif h <= t_dis_end:
            s = soc_top - (h - t_dis_start) * c_rate
        else:
            s = bottom
        times.append(float(t))
        socs.append(round(s, 12))
        temps.append(temperature_c + swing_c * math.sin(2 * math.pi * (h - 9) / 24))
    return {"time_s": times, "soc": socs, "temperature_c": temps}


def grid(quick):
    """(name, profile parameters) over DoD, temperature, SOC top, rest at the top and C-rate."""
    out = []
    temps = [25, 35] if quick else [15, 25, 35, 45]
    for t in temps:
        for dod in ([0.5, 0.8] if quick else [0.2, 0.5, 0.8]):
            out.append(dict(dod=dod, soc_top=0.95, c_rate=0.5, rest_top_h=10, temperature_c=t))
    if not quick:
        for soc_top in [0.6, 0.8, 1.0]:
            out.append(dict(dod=0.5, soc_top=soc_top, c_rate=0.5, rest_top_h=10, temperature_c=30))
        for rest in [0, 4, 14]:
            out.append(dict(dod=0.5, soc_top=0.95, c_rate=0.5, rest_top_h=rest, temperature_c=30))
        for c in [0.25, 1.0, 2.0]:
            out.append(dict(dod=0.8, soc_top=0.9, c_rate=c, rest_top_h=4, temperature_c=25))
        out.append(dict(dod=0.6, soc_top=0.9, c_rate=0.5, rest_top_h=6, temperature_c=25, swing_c=8))
    for p in out:
        p.setdefault("swing_c", 0.0)
        p["name"] = "dod{dod}-top{soc_top}-c{c_rate}-rest{rest_top_h}h-{temperature_c}C".format(**p) + (
            "-swing{swing_c}".format(**p) if p["swing_c"] else "")
    return out


def run_model(models, model_id, profile, years):
    import numpy as np
    module, cls = MODELS[model_id]
    battery = getattr(models, cls)()
    inputs = {
        "Time_s": np.array(profile["time_s"]),
        "SOC": np.array(profile["soc"]),
        "Temperature_C": np.array(profile["temperature_c"]),
    }
    battery.simulate_battery_life(inputs, threshold_time=years)
    days = battery.stressors["t_days"]
    q = battery.outputs["q"]
    r = battery.outputs.get("r")
    keep = [i for i, d in enumerate(days) if round(d) % 30 == 0 or i == len(days) - 1]
    rec = {
        "days": [round(float(days[i]), 6) for i in keep],
        "relativeCapacity": [float(q[i]) for i in keep],
    }
    if r is not None:
        rec["relativeResistance"] = [float(r[i]) for i in keep]
    return rec


def blast_commit(checkout):
    try:
        return subprocess.check_output(["git", "-C", checkout, "rev-parse", "HEAD"], text=True).strip()
    except Exception:
        return os.environ.get("BLAST_LITE_COMMIT", "unknown")


def read_profile_csv(path):
    times, socs, temps = [], [], []
    with open(path) as f:
        header = f.readline().strip().split(",")
        assert header == ["time_s", "soc", "temperature_c"], header
        for line in f:
            if line.strip():
                a, b, c = line.strip().split(",")
                times.append(float(a)); socs.append(float(b)); temps.append(float(c))
    return {"time_s": times, "soc": socs, "temperature_c": temps}


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    checkout = argv[1]
    models = load_blast(checkout)
    if argv[2] == "--time":
        profile = read_profile_csv(argv[3])
        t0 = time.perf_counter()
        c0 = time.process_time()
        run_model(models, argv[4], profile, float(argv[5]))
        print(json.dumps({"seconds": time.perf_counter() - t0, "cpuSeconds": time.process_time() - c0}))
        return 0
    out_path = argv[2]
    years = 10.0
    if "--years" in argv:
        years = float(argv[argv.index("--years") + 1])
    quick = "--quick" in argv
    cases = []
    profiles = {}
    for p in grid(quick):
        prof = day_profile(p["dod"], p["soc_top"], p["c_rate"], p["rest_top_h"], p["temperature_c"], p["swing_c"])
        profiles[p["name"]] = {k: [round(x, 9) for x in v] for k, v in prof.items()}
        for model_id in MODELS:
            t0 = time.perf_counter()
            rec = run_model(models, model_id, prof, years)
            print(f"{model_id} {p['name']}: q(end) = {rec['relativeCapacity'][-1]:.4f} "
                  f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
            cases.append({"model": model_id, "profile": p, **rec})
    doc = {
        "source": "NREL BLAST-Lite, github.com/NREL/BLAST-Lite",
        "commit": blast_commit(checkout),
        "licence": "BSD 3-Clause (Copyright (c) 2023 Alliance for Sustainable Energy, LLC); "
                   "trajectories computed by its published models, see its LICENSE",
        "generator": "tools/blast-lite-reference.py",
        "settings": "simulate_battery_life(threshold_time=years), defaults: is_conserve_energy_throughput=True, "
                    "one update per day; profiles of 10-min points generated by day_profile()",
        "years": years,
        "profileStepS": STEP_S,
        "cases": cases,
        # The profiles themselves, so that a test runs the twin on exactly what BLAST-Lite ran.
        "profiles": profiles,
    }
    with open(out_path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
