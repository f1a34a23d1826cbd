#!/usr/bin/env python3
"""Draws Talkoo's PNG app icons (the same mark as public/icons/icon.svg).

Run once after changing the mark; the PNGs are committed. Only the standard
library is used, so it runs on any machine with Python 3.
"""
import struct
import zlib
from pathlib import Path

BLUE = (0x0B, 0x53, 0x94, 255)
WHITE = (255, 255, 255, 255)
SUN = (0xFF, 0xC8, 0x3D, 255)
CLEAR = (0, 0, 0, 0)


def rounded_rect(x, y, x0, y0, x1, y1, r):
    """True when (x, y) lies in the rectangle with rounded corners of radius r."""
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def pixel(u, v, maskable):
    """Colour at (u, v) in a 64-unit design square."""
    if maskable:
        # Maskable icons are full bleed; the mark shrinks into the 80 % safe zone.
        u, v = (u - 32) / 0.75 + 32, (v - 32) / 0.75 + 32
        background = BLUE
    else:
        background = BLUE if rounded_rect(u, v, 0, 0, 64, 64, 14) else CLEAR
    if rounded_rect(u, v, 14, 16, 50, 24, 4) or rounded_rect(u, v, 28, 16, 36, 50, 4):
        return WHITE
    if (u - 48) ** 2 + (v - 46) ** 2 <= 36:
        return SUN
    return background


def draw(size, maskable, samples=3):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    u = (x + (sx + 0.5) / samples) * 64 / size
                    v = (y + (sy + 0.5) / samples) * 64 / size
                    c = pixel(u, v, maskable)
                    for i in range(4):
                        acc[i] += c[i]
            row.extend(round(a / samples**2) for a in acc)
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size, raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "public" / "icons"
    for size in (192, 512):
        (out / f"icon-{size}.png").write_bytes(draw(size, maskable=False))
        (out / f"maskable-{size}.png").write_bytes(draw(size, maskable=True))
    print("icons written to", out)
