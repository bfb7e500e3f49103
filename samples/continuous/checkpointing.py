"""SageMaker Processing script: a long job that writes a checkpoint file every second.

With S3UploadMode Continuous each checkpoint is uploaded while the job still runs, so it can be
listed in S3 (`sagebox s3 ls`) before the job ends, and survives a stop or a failure.

Written for the container paths, as on SageMaker:
  output  /opt/ml/processing/checkpoints/checkpoint-001.json, checkpoint-002.json, ...
Arguments: --steps N (10), --interval SECONDS (1.0).
"""

import argparse
import json
import os
import signal
import sys
import time

CHECKPOINT_DIR = "/opt/ml/processing/checkpoints"


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args()
    if not 1 <= args.steps <= 999:
        parser.error("--steps must be between 1 and 999")  # the names have three digits
    return args


def stop(signum, _frame):
    # A stopped job gets SIGTERM; say so and leave, the checkpoints already written are kept.
    print(f"received {signal.Signals(signum).name}: stopping", flush=True)
    sys.exit(0)


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, stop)
    os.makedirs(CHECKPOINT_DIR, exist_ok=True)
    state = 0
    for step in range(1, args.steps + 1):
        time.sleep(args.interval)
        state += step * step  # stands for the work done so far
        path = os.path.join(CHECKPOINT_DIR, f"checkpoint-{step:03d}.json")
        # Written and closed in one go: Continuous upload sends a file once it is closed.
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"step": step, "of": args.steps, "state": state, "time": time.time()}, f)
        print(f"step {step}/{args.steps}: wrote {path}", flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main()
