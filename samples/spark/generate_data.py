"""Writes an abalone-shaped CSV (no header: sex, 7 measurements, rings), deterministic for a seed."""
import argparse
import random


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=4177)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w") as f:
        for _ in range(args.rows):
            length = round(rng.uniform(0.075, 0.815), 3)
            diameter = round(length * rng.uniform(0.7, 0.85), 3)
            height = round(length * rng.uniform(0.2, 0.4), 3)
            whole = round(length ** 3 * rng.uniform(2.5, 4.5), 4)
            shucked = round(whole * rng.uniform(0.35, 0.5), 4)
            viscera = round(whole * rng.uniform(0.18, 0.25), 4)
            shell = round(whole * rng.uniform(0.25, 0.35), 4)
            rings = max(1, int(round(3 + 20 * length + rng.gauss(0, 2))))
            f.write(f"{rng.choice('MFI')},{length},{diameter},{height},{whole},{shucked},{viscera},{shell},{rings}\n")


if __name__ == "__main__":
    main()
