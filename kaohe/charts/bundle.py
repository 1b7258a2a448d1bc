"""The plotly.js a report page embeds: a partial bundle and the Chinese locale, from npm.

Pages only draw bar and scatter traces (with error bars); plotly's full bundle (≈ 4.8 MB,
maps and 3-D included) would make every page ~5 MB. ``plotly.js-basic-dist-min`` at the
version of the plotly.js that the installed plotly embeds (≈ 1.2 MB) and the ``zh-CN``
dictionary of ``plotly.js-locales`` are fetched once by ``npm pack`` into a cache folder
(``python -m kaohe.charts.bundle``; ``run.sh`` does it on set-up) and checked against
their pinned SHA-256. Without them a page embeds plotly's full bundle and the report says
so (:func:`note`).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from kaohe.core import files

PACKAGE = "plotly.js-basic-dist-min"
SCRIPT = "package/plotly-basic.min.js"
LOCALE_PACKAGE = "plotly.js-locales"
LOCALE_VERSION = "3.7.0"  # the newest release; its dictionaries fit plotly.js 3 and 4
LOCALE = "package/zh-cn.js"
# SHA-256 of the files taken from the tarballs, per plotly.js version (a version not listed
# is accepted on npm's own integrity check and reported as unpinned).
PINNED = {
    ("plotly.js-basic-dist-min", "4.1.1"): "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba",
    ("plotly.js-locales", "3.7.0"): "78051d4c8cddc682a8ae1674d3c6a2b138dc61fe725adf12fa2759dd131f8387",
}


def plotlyjs_version() -> str:
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def cache_dir() -> Path:
    """The plotly.js bundles in kaohe's cache folder (see :func:`kaohe.core.resources.cache_root`)."""
    from kaohe.core.resources import cache_root

    return cache_root() / "plotlyjs"


def _paths() -> tuple[Path, Path]:
    d = cache_dir()
    return (d / f"{PACKAGE}-{plotlyjs_version()}.js", d / f"{LOCALE_PACKAGE}-{LOCALE_VERSION}-zh-cn.js")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _valid(path: Path, package: str, version: str) -> bool:
    if not path.is_file():
        return False
    pinned = PINNED.get((package, version))
    return not pinned or _sha(path) == pinned


def available() -> bool:
    """Whether the partial bundle and the locale are in the cache and match their pins."""
    script, locale = _paths()
    return (_valid(script, PACKAGE, plotlyjs_version())
            and _valid(locale, LOCALE_PACKAGE, LOCALE_VERSION))


def _pack(spec: str, member: str, target: Path, package: str, version: str) -> None:
    """``npm pack SPEC`` into a temporary folder; take ``member`` out of the tarball."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (Debian: apt-get install npm)")
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", tmp],
                             capture_output=True, text=True, check=False, timeout=300)
        tgz = next(Path(tmp).glob("*.tgz"), None)
        if run.returncode or tgz is None:
            raise RuntimeError(f"npm pack {spec} failed: {run.stderr.strip()[-500:]}")
        with tarfile.open(tgz) as tar:
            data = tar.extractfile(member).read()
    digest = hashlib.sha256(data).hexdigest()
    pinned = PINNED.get((package, version))
    if pinned and digest != pinned:
        raise RuntimeError(f"{spec}: {member} has SHA-256 {digest}, expected {pinned}")
    files.write_bytes_atomic(target, data)  # a unique temporary name: two fetches never mix


def fetch(quiet: bool = False) -> tuple[Path, Path]:
    """Fetch what is missing (``npm pack``) into the cache; return the two files."""
    script, locale = _paths()
    version = plotlyjs_version()
    if not _valid(script, PACKAGE, version):
        _pack(f"{PACKAGE}@{version}", SCRIPT, script, PACKAGE, version)
    if not _valid(locale, LOCALE_PACKAGE, LOCALE_VERSION):
        _pack(f"{LOCALE_PACKAGE}@{LOCALE_VERSION}", LOCALE, locale, LOCALE_PACKAGE, LOCALE_VERSION)
    if not quiet:
        for p in (script, locale):
            pin = "pinned" if PINNED.get(_key(p)) else "not pinned"
            print(f"{p}: {p.stat().st_size} bytes, sha256 {_sha(p)} ({pin})")
    return script, locale


def _key(p: Path) -> tuple[str, str]:
    if p.name.startswith(PACKAGE):
        return PACKAGE, plotlyjs_version()
    return LOCALE_PACKAGE, LOCALE_VERSION


def note() -> str:
    """Empty when the partial bundle is used; else why pages embed plotly's full bundle."""
    if available():
        return ""
    from kaohe.core.i18n import _

    return _("note: the small plotly.js bundle is not installed ({0}), so each page embeds plotly's "
             "full bundle (about 5 MB); run `python -m kaohe.charts.bundle` (needs npm) to fetch it"
             ).format(cache_dir())


def _locale_script(js: str) -> str:
    """The CommonJS locale module registered with plotly.js."""
    return (f"(function(){{var module={{exports:{{}}}};var exports=module.exports;{js}\n"
            "Plotly.register(module.exports);})();")


def script() -> str:
    """plotly.js (partial bundle when available, else the full one) and the zh-CN locale, as
    inline <script> elements."""
    if available():
        js_path, locale_path = _paths()
        js = js_path.read_text(encoding="utf-8")
        loc = _locale_script(locale_path.read_text(encoding="utf-8"))
        return (f'<script type="text/javascript">{_safe(js)}</script>\n'
                f'<script type="text/javascript">{_safe(loc)}</script>')
    from plotly.offline import get_plotlyjs

    return f'<script type="text/javascript">{_safe(get_plotlyjs())}</script>'


def _safe(js: str) -> str:
    """A script's text never closes its element early."""
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def main() -> int:
    try:
        fetch()
    except (RuntimeError, OSError, subprocess.SubprocessError, tarfile.TarError, KeyError) as e:
        print(f"kaohe: could not fetch the plotly.js bundle: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
