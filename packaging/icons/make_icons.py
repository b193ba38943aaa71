"""Draw the Preflight app icon and write the files the installers use.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/icons/make_icons.py

Writes, next to this script: preflight.png (1024 px), preflight.ico (16-256 px, PNG entries)
and preflight.icns (16-1024 px, PNG entries). Only Qt is needed: ICO and ICNS both allow PNG
images inside, so no Pillow and no iconutil. The outputs are committed; re-run after a change.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: TID251
from PySide6.QtGui import (  # noqa: TID251
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPolygonF,
)

HERE = Path(__file__).resolve().parent
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (the @2x types share sizes).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"ic11", 32), (b"icp6", 64), (b"ic12", 64),
    (b"ic07", 128), (b"ic08", 256), (b"ic13", 256), (b"ic09", 512), (b"ic14", 512),
    (b"ic10", 1024),
)


def draw(size: int) -> QImage:
    """A blue rounded tile with a white paper plane: "ready for take-off". Small sizes get a
    tighter margin so the plane stays legible at 16 px."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 100, size / 100)  # draw on a 100 x 100 grid

    margin = 2.0 if size <= 32 else 9.0  # macOS-style inset for the large sizes
    tile = QRectF(margin, margin, 100 - 2 * margin, 100 - 2 * margin)
    gradient = QLinearGradient(tile.topLeft(), tile.bottomRight())
    gradient.setColorAt(0.0, QColor("#3B82F6"))
    gradient.setColorAt(1.0, QColor("#1E40AF"))
    tile_path = QPainterPath()
    radius = tile.width() * 0.22
    tile_path.addRoundedRect(tile, radius, radius)
    p.fillPath(tile_path, gradient)

    # The plane, in tile coordinates so that it scales with the inset.
    def at(x: float, y: float) -> QPointF:
        return QPointF(tile.left() + tile.width() * x, tile.top() + tile.height() * y)

    tip, wing, waist, tail, fold = at(0.82, 0.18), at(0.14, 0.47), at(0.43, 0.58), \
        at(0.56, 0.86), at(0.47, 0.70)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#FFFFFF"))
    p.drawPolygon(QPolygonF([tip, wing, waist]))
    p.setBrush(QColor("#DBEAFE"))
    p.drawPolygon(QPolygonF([tip, waist, tail]))
    p.setBrush(QColor("#93C5FD"))
    p.drawPolygon(QPolygonF([waist, fold, at(0.40, 0.74)]))
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("PNG encoding failed")
    buffer.close()
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """An ICO entry in the classic form: a 32-bit BGRA bitmap, bottom-up, with an empty AND
    mask (the alpha channel does the masking). Small sizes use it; tools that write Windows
    resources (PyInstaller, Inno Setup) all read it, where PNG entries may be refused."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)  # B, G, R, A in memory
    width, height = image.width(), image.height()
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = b"".join(bytes(image.constScanLine(y))[: width * 4] for y in reversed(range(height)))
    mask = b"\0" * (((width + 31) // 32) * 4 * height)
    return header + rows + mask


def write_ico(path: Path, images: dict[int, bytes], bitmaps: dict[int, bytes]) -> None:
    # Vista and later read PNG entries; the 256 px one is PNG by convention (size), the others
    # classic bitmaps
    entries = [(size, images[size] if size >= 256 else bitmaps[size]) for size in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(entries))
    offset = len(header) + 16 * len(entries)
    directory, blobs = b"", b""
    for size, data in entries:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    path.write_bytes(header + directory + blobs)


def write_icns(path: Path, images: dict[int, bytes]) -> None:
    body = b"".join(kind + struct.pack(">I", len(images[size]) + 8) + images[size]
                    for kind, size in ICNS_TYPES)
    path.write_bytes(b"icns" + struct.pack(">I", len(body) + 8) + body)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    sizes = sorted({*ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    images = {size: png_bytes(draw(size)) for size in sizes}
    (HERE / "preflight.png").write_bytes(images[1024])
    write_ico(HERE / "preflight.ico", images, {size: dib_bytes(draw(size)) for size in ICO_SIZES})
    write_icns(HERE / "preflight.icns", images)
    del app
    for name in ("preflight.png", "preflight.ico", "preflight.icns"):
        print(f"wrote {HERE / name} ({(HERE / name).stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
