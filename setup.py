"""Build the web app into src/labelhive/static whenever the package is built (pip install, wheel).

Metadata lives in pyproject.toml; this file only adds the front-end step, skipped when the build is
already newer than every front-end source, or when LABELHIVE_SKIP_FRONTEND=1.
"""
import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
FRONTEND = ROOT / "frontend"
INDEX = ROOT / "src" / "labelhive" / "static" / "index.html"


def frontend_is_stale() -> bool:
    if not INDEX.exists():
        return True
    built = INDEX.stat().st_mtime
    sources = [p for p in FRONTEND.rglob("*") if "node_modules" not in p.parts and p.is_file()]
    return any(p.stat().st_mtime > built for p in sources)


def build_frontend() -> None:
    if os.environ.get("LABELHIVE_SKIP_FRONTEND") == "1" or not (FRONTEND / "package.json").exists():
        return
    if not frontend_is_stale():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("Building LabelHive's web app needs Node.js 20+ and npm (or set LABELHIVE_SKIP_FRONTEND=1).")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True)


class BuildPyWithFrontend(build_py):
    def run(self):
        build_frontend()
        super().run()


setup(cmdclass={"build_py": BuildPyWithFrontend})
