"""Medians, spreads and percentiles over repeated measurements."""
import statistics


def median(samples):
    """The median of `samples` (a list of numbers)."""
    return statistics.median(samples)


def percentile(samples, p):
    """The p-th percentile (0-100), nearest-rank: the value below which p % of the samples fall."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), int(round(p / 100.0 * len(ordered) + 0.5))))
    return ordered[rank - 1]


def spread(samples):
    """Min, max and the relative half-range around the median, so noisy rows show as noisy.

    The range is min–max over a few repeats; with 10 or more samples (per-request latencies) it is
    p10–p90, so that one slow request among hundreds does not hide the typical one.
    """
    if not samples:
        return None
    mid = median(samples)
    low, high = min(samples), max(samples)
    if len(samples) >= 10:
        low, high = percentile(samples, 10), percentile(samples, 90)
    relative = (high - low) / 2 / mid if mid else 0.0
    return {"min": min(samples), "max": max(samples), "low": low, "high": high, "relative": relative,
            "n": len(samples)}
