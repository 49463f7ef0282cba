#!/usr/bin/env python3
"""Extract Noto Sans CJK SC from Debian's fonts-noto-cjk collection into a single-face OTF.

The kiosk prints Simplified Chinese documents and embeds this face as a subset
(crates/kiosk-docs). Debian ships the fonts only as .ttc collections; a PDF font
program must be a single face, so we ship the SC face on its own.

Usage: scripts/data/extract-cjk-font.py [SOURCE_TTC] [OUT_OTF]
Needs: apt-get install fonts-noto-cjk; pip install fonttools
"""
import sys

from fontTools.ttLib import TTCollection

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
OUT = "assets/fonts/NotoSansCJKsc-Regular.otf"
FACE_NAME = "Noto Sans CJK SC"


def main() -> int:
    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE
    out = sys.argv[2] if len(sys.argv) > 2 else OUT
    collection = TTCollection(source)
    for face in collection.fonts:
        if face["name"].getDebugName(4) == FACE_NAME:
            face.save(out)
            print(f"wrote {out} ({FACE_NAME}, {len(face.getBestCmap())} code points)")
            return 0
    print(f"no face named {FACE_NAME!r} in {source}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
