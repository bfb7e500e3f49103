"""Folders of generated files: the inputs of the staging, upload and transfer rows."""
import os
import pathlib


def make_folder(folder, count, size):
    """`count` files of `size` bytes (random bytes, so nothing compresses or dedups) under `folder`,
    spread over sub-folders of 1,000; returns the folder. Idempotent."""
    folder = pathlib.Path(folder)
    marker = folder.with_name(folder.name + ".complete")
    if marker.exists():
        return folder
    block = os.urandom(size)
    for i in range(count):
        sub = folder / f"part-{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        # Vary the first bytes so every file differs.
        (sub / f"file-{i:05d}.bin").write_bytes(i.to_bytes(8, "big") + block[8:])
    marker.touch()
    return folder


def make_file(path, size):
    """One file of `size` random-ish bytes (a 1 MiB random block repeated)."""
    path = pathlib.Path(path)
    if path.exists() and path.stat().st_size == size:
        return path
    block = os.urandom(1 << 20)
    with open(path, "wb") as f:
        for _ in range(size // len(block)):
            f.write(block)
        f.write(block[: size % len(block)])
    return path
