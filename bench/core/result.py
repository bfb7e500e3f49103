"""One line of the table: a figure with its baseline, ratio and goal."""
from dataclasses import dataclass, field

from bench.core.stats import median, spread


@dataclass
class Result:
    """A measured figure (median of `samples`, in `unit`) beside its baseline timed in the same run.

    `ratio` is figure / baseline; `goal` says in words what the issue asks and `met` whether it holds.
    """

    row: str
    figure: str
    unit: str
    samples: list
    goal: str
    met: bool | None
    baseline_label: str | None = None
    baseline_samples: list | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def value(self):
        """The median of the figure's samples."""
        return median(self.samples)

    @property
    def baseline(self):
        """The median of the baseline's samples, or None for rows without one."""
        return median(self.baseline_samples) if self.baseline_samples else None

    @property
    def ratio(self):
        """figure / baseline (medians), or None."""
        base = self.baseline
        return self.value / base if base else None

    def as_json(self):
        """The JSON form written under bench/results/ (the same numbers the table prints)."""
        return {
            "row": self.row, "figure": self.figure, "unit": self.unit,
            "median": self.value, "spread": spread(self.samples), "samples": self.samples,
            "baseline": None if self.baseline is None else {
                "what": self.baseline_label, "median": self.baseline,
                "spread": spread(self.baseline_samples), "samples": self.baseline_samples},
            "ratio": self.ratio, "goal": self.goal, "met": self.met, "note": self.note, **self.extra,
        }
