"""The printed table and its JSON twin under bench/results/."""
import json
import pathlib

from bench.core.machine import one_line
from bench.core.stats import spread


def _number(value):
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _with_spread(value, samples, unit):
    if value is None:
        return "—"
    s = spread(samples)
    text = f"{_number(value)} {unit}"
    if s and s["n"] > 1:
        text += f" ±{s['relative'] * 100:.0f}%"
    return text


def _ratio(ratio):
    return "—" if ratio is None else f"{ratio:.3g}×"


def _met(met):
    return {True: "yes", False: "NO", None: "—"}[met]


def rows_of(results):
    """The table's cells, one list per result (the same for the terminal and the README)."""
    return [[r.row, r.figure, _with_spread(r.value, r.samples, r.unit),
             r.baseline_label or "—", _with_spread(r.baseline, r.baseline_samples, r.unit),
             _ratio(r.ratio), r.goal, _met(r.met)] for r in results]


HEADER = ["row", "figure", "median ±spread", "baseline", "baseline median", "ratio", "goal", "met"]


def markdown(results, machine):
    """The table as Markdown, with the machine below it."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows_of(results)]
    lines += ["", f"Machine: {one_line(machine)}."]
    notes = [f"- {r.row} ({r.figure}): {r.note}" for r in results if r.note]
    if notes:
        lines += ["", "Notes:"] + notes
    return "\n".join(lines)


def write_json(results, machine, folder, started):
    """Writes results-<time>.json and latest.json; returns the first path."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    document = {"machine": machine, "spread": "± is half the low–high range relative to the median: min–max over repeats, p10–p90 with 10 or more samples",
                "rows": [r.as_json() for r in results]}
    path = folder / f"results-{started}.json"
    text = json.dumps(document, indent=2, ensure_ascii=False)
    path.write_text(text)
    (folder / "latest.json").write_text(text)
    (folder / "latest.md").write_text(markdown(results, machine) + "\n")
    return path
