"""The machine a run happened on, printed and stored beside the figures."""
import datetime
import os
import platform
import subprocess


def _cpu_model():
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib():
    with open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def _run(argv, cwd=None):
    try:
        return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def describe(work_dir, repo_dir):
    """CPU model, cores, memory, kernel, the work folder's file system, date and git commit."""
    fs = " on ".join(_run(["findmnt", "-n", "-o", "FSTYPE,SOURCE", "-T", str(work_dir)]).split())
    commit = _run(["git", "rev-parse", "--short=12", "HEAD"], cwd=repo_dir)
    dirty = _run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo_dir)
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "kernel": platform.release(),
        "file_system": fs,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit + (" (modified)" if dirty and dirty != "unknown" else ""),
        "load_average": os.getloadavg()[0],
    }


def one_line(machine):
    """The machine in one line, for the table's footer and the README."""
    return (f"{machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, Linux {machine['kernel']}, "
            f"{machine['file_system']}; {machine['date']}, commit {machine['commit']}, "
            f"load {machine['load_average']:.1f} at start")
