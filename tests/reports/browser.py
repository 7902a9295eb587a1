"""Headless Chromium for the report's page: the rendered DOM, a screenshot, its pixels.

Debian's ``chromium`` (``.ci/run`` installs it), started with the flags that work in a
closed sandbox, a fresh profile each time. The PNG is read with ``zlib`` and ``struct``
(and NumPy, already a dependency): no imaging library.

``python -m tests.reports.browser docs/images/report.png`` remakes the README's picture:
the top of the demo's page, rendered here.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    """The Chromium executable, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(chromium: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="tthc-chromium-") as profile:
        result = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"chromium {args[0]} failed ({result.returncode}): {result.stderr}")
    return result


def dump_dom(chromium: str, page: Path) -> str:
    """The page's DOM after Chromium has loaded and laid it out."""
    return _run(chromium, "--dump-dom", page.resolve().as_uri()).stdout


def screenshot(chromium: str, page: Path, out: Path, width: int, height: int) -> Path:
    """A ``width`` × ``height`` screenshot of the top of the page, as PNG."""
    _run(
        chromium,
        f"--screenshot={out}",
        f"--window-size={width},{height}",
        page.resolve().as_uri(),
    )
    return out


def _paeth_row(line: bytearray, prev: bytes, bpp: int) -> None:
    for i in range(len(line)):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF


def _average_row(line: bytearray, prev: bytes, bpp: int) -> None:
    for i in range(len(line)):
        a = line[i - bpp] if i >= bpp else 0
        line[i] = (line[i] + ((a + prev[i]) >> 1)) & 0xFF


def read_png(path: Path) -> NDArray[np.uint8]:
    """The pixels of an 8-bit RGB or RGBA PNG as an array (height, width, 3 or 4)."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat = 8, bytearray()
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise ValueError(f"{path}: only 8-bit RGB/RGBA, not interlaced")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(bytes(idat))
    stride = width * channels
    pixels = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=start + 1)
        if kind == 0:  # None
            row = line.copy()
        elif kind == 1:  # Sub: a running sum per channel
            row = (
                (np.cumsum(line.reshape(width, channels), axis=0, dtype=np.uint64) % 256)
                .astype(np.uint8)
                .reshape(stride)
            )
        elif kind == 2:  # Up
            row = line + prev
        elif kind in (3, 4):  # Average, Paeth: each byte needs the one before it
            buffer = bytearray(line.tobytes())
            (_average_row if kind == 3 else _paeth_row)(buffer, prev.tobytes(), channels)
            row = np.frombuffer(bytes(buffer), dtype=np.uint8)
        else:
            raise ValueError(f"{path}: unknown filter {kind} on row {y}")
        pixels[y] = row
        prev = row
    return pixels.reshape(height, width, channels)


def colour_share(pixels: NDArray[np.uint8], rgb: str, tolerance: int = 6) -> float:
    """The share of the pixels within ``tolerance`` of the colour ``#rrggbb``."""
    target = np.array([int(rgb[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    close = np.abs(pixels[:, :, :3].astype(np.int16) - target).max(axis=2) <= tolerance
    return float(close.mean())


def main(argv: list[str]) -> int:
    """Render the demo's page and save the top of it as the README's picture."""
    out = Path(argv[0] if argv else "docs/images/report.png")
    chromium = find_chromium()
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="tthc-screenshot-") as folder:
        page = Path(folder) / "demo.html"
        subprocess.run(
            [sys.executable, "-m", "tthc_engine.cli", "demo", "-q", "--db",
             str(Path(folder) / "demo.sqlite"), "--html", str(page)],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        out.parent.mkdir(parents=True, exist_ok=True)
        screenshot(chromium, page, out, 1000, 1180)
    print(f"{out}: {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
