"""`make bench`: sagebox's speed and memory against baselines timed in the same run (issue 6)."""
