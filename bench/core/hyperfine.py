"""Whole commands timed by hyperfine (the Debian package), read back from its JSON export."""
import json
import os
import subprocess
import tempfile


def time_command(command, runs, warmup=1, prepare=None, shell="none", env=None):
    """Runs `command` `runs` times under hyperfine and returns the wall times in seconds.

    shell="none" execs the command directly (no shell start-up to subtract); a shell name (e.g. "bash")
    lets the command use expansions, hyperfine then subtracts that shell's start-up.
    """
    with tempfile.NamedTemporaryFile(suffix=".json") as export:
        argv = ["hyperfine", "--style", "none", "--runs", str(runs), "--warmup", str(warmup),
                "--export-json", export.name]
        argv += ["-N"] if shell == "none" else ["--shell", shell]
        if prepare:
            argv += ["--prepare", prepare]
        argv.append(command)
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **(env or {})})
        with open(export.name) as f:
            return json.load(f)["results"][0]["times"]
