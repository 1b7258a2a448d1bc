"""LibreOffice for tests: headless conversion to PDF with a private profile and the fontconfig
aliases of the official documents; screenshots under reports/browser-test/ (``KAOHE_BROWSER_OUT``)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")
FONTS = ROOT / "kaohe" / "output" / "fonts" / "kaohe-fonts.conf"
SHOTS = Path(os.environ.get("KAOHE_BROWSER_OUT", ROOT / "reports" / "browser-test")) / "official"
MISSING = ("LibreOffice (soffice) or poppler-utils is not installed; apt-get install "
           "libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils (.ci/run installs them)")


def to_pdf(path: Path, outdir: Path) -> Path:
    """``soffice --headless --convert-to pdf`` with its own profile and the font aliases."""
    outdir.mkdir(parents=True, exist_ok=True)
    conf = outdir / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f'  <include ignore_missing="yes">{FONTS}</include>\n</fontconfig>\n', encoding="utf-8")
    profile = (outdir / "lo-profile").resolve().as_uri()
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    res = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                          "--outdir", str(outdir), str(path)], capture_output=True, text=True, timeout=240,
                         env=env)
    out = outdir / f"{path.stem}.pdf"
    assert res.returncode == 0 and out.exists(), res.stdout + res.stderr
    return out


def pdf_text(pdf: Path, first: int = 1, last: int | None = None) -> str:
    cmd = ["pdftotext", "-layout", "-f", str(first)] + (["-l", str(last)] if last else []) + [str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    line = next(x for x in info.splitlines() if x.startswith("Page size:"))
    w, _, h = line.split(":")[1].split()[:3]
    return float(w), float(h)


def screenshot(pdf: Path, name: str) -> Path:
    """The first page as PNG for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    stem = SHOTS / name
    subprocess.run([PDFTOPPM, "-f", "1", "-l", "1", "-r", "100", "-png", "-singlefile", str(pdf), str(stem)],
                   check=True)
    return stem.with_suffix(".png")


def char_sizes(pdf: Path, page: int = 0) -> list[float]:
    """The rendered size (pt) of every character of a page (pdfminer)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    out = []
    for p in extract_pages(str(pdf), page_numbers=[page]):
        for el in p:
            if isinstance(el, LTTextContainer):
                for line in el:
                    out += [ch.size for ch in getattr(line, "_objs", []) if isinstance(ch, LTChar)]
    return out
