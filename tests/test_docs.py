"""A setting or CLI command that the README does not mention is a bug (datasette's rule)."""
import re
from pathlib import Path

from click.testing import CliRunner

from labelhive.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text()
SOURCES = Path(__file__).parent.parent / "src" / "labelhive"


def test_every_environment_variable_is_documented():
    names = set()
    for path in SOURCES.rglob("*.py"):
        names |= set(re.findall(r'"((?:LABELHIVE|LABEL_STUDIO)_[A-Z_]+)"', path.read_text()))
    assert names, "expected to find settings in the source"
    missing = sorted(n for n in names if n not in README)
    assert not missing, f"undocumented settings: {missing}"


def test_every_cli_command_is_documented():
    commands = []
    for name, cmd in main.commands.items():
        subs = getattr(cmd, "commands", None)
        commands += [f"labelhive {name} {sub}" for sub in subs] if subs else [f"labelhive {name}"]
    missing = [c for c in commands if c not in README]
    assert not missing, f"undocumented commands: {missing}"
    assert CliRunner().invoke(main, ["--help"]).exit_code == 0
