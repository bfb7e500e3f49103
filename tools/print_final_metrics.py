#!/usr/bin/env python3
"""Prints a DescribeTrainingJob answer's FinalMetricDataList (read from stdin), one metric per line, and
fails when the job did not complete or reported no validation metric (`make demo`'s last check)."""
import json
import sys

job = json.load(sys.stdin)
metrics = job.get("FinalMetricDataList", [])
for metric in metrics:
    print(f"{job['TrainingJobName']}  {metric['MetricName']} = {metric['Value']:.4f}")
if job.get("TrainingJobStatus") != "Completed" or not any(m["MetricName"].startswith("validation:") for m in metrics):
    sys.exit(f"{job['TrainingJobName']}: {job.get('TrainingJobStatus')}, no validation metric: {job.get('FailureReason', '')}")
