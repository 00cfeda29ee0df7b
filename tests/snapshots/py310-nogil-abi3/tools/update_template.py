"""Brings the template's later changes into this project, keeping your own.

    pipenv run update-template                  # to the template's newest release
    pipenv run update-template --to REVISION    # a release (v0.3.0), branch or commit
    pipenv run update-template --from SOURCE    # the template's git URL or path

A release is found in the template's history, with or without tags: the commit where
hooks/derive.rhai first sets template_version to it and CHANGELOG.md has its entry.

.template-answers.toml records how this project was made: the template's source, its
version and revision, and every answer. This script regenerates the project twice with
those answers, as the template was (the recorded revision) and as it is now (the new
one), then merges the difference into your work tree with git's own three-way merge
(as `git cherry-pick` does): the template's changes come in, your edits stay, and
where both changed the same lines git leaves conflict markers for you to resolve.
Nothing is committed: look at the result with `git status` and `git diff --cached`,
run the checks, and commit it.

It needs git, cargo-generate (`cargo generate`, or the executable in $CARGO_GENERATE)
and a clean work tree. Exit status: 0 updated (or nothing to do), 1 updated with
conflicts to resolve, 2 refused (nothing changed).
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
ANSWERS = PROJECT / ".template-answers.toml"
# The identity of the two commits that carry the template's trees into your repository
# for the merge; neither ends up in your history.
TEMPLATE_IDENTITY = {
    "GIT_AUTHOR_NAME": "template",
    "GIT_AUTHOR_EMAIL": "template@localhost",
    "GIT_COMMITTER_NAME": "template",
    "GIT_COMMITTER_EMAIL": "template@localhost",
}


class Refused(Exception):
    """Nothing was changed; the message says why."""


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """The stdout of `command`; a failure is Refused with the command's output."""
    done = subprocess.run(
        command,
        cwd=cwd,
        env=None if env is None else {**os.environ, **env},
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        raise Refused(f"`{' '.join(command)}` failed in {cwd}:\n{output}")
    return done.stdout.strip()


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    return run(["git", *args], cwd, env)


def read_answers(path: Path) -> dict[str, dict[str, str]]:
    """The tables of the answers file: `key = "value"` lines under `[table]` headers.

    (It is TOML, written by the template; Python 3.9 and 3.10 have no TOML parser, and
    this file needs only strings.)
    """
    tables: dict[str, dict[str, str]] = {}
    table: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[([\w-]+)\]", line)
        pair = re.fullmatch(r"""([\w-]+)\s*=\s*(?:"([^"\\]*)"|'([^']*)')""", line)
        if header:
            table = tables.setdefault(header.group(1), {})
        elif pair:
            key, basic, literal = pair.groups()
            table[key] = basic if basic is not None else literal
        else:
            raise Refused(f"{path.name}:{number}: cannot read this line: {line}")
    return tables


def values_file(values: dict[str, str], path: Path) -> Path:
    """`values` as a cargo-generate values file (TOML literal strings)."""
    lines = ["[values]"] + [f"{key} = '{value}'" for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# A release is a commit of the template's own history, not a tag (a clone need not
# have tags): the first commit where hooks/derive.rhai sets template_version to X.Y.Z
# and CHANGELOG.md has the entry "## [X.Y.Z]". A tag vX.Y.Z, where someone pushed one,
# names a release the history does not show.
VERSION_FILE = "hooks/derive.rhai"
CHANGELOG = "CHANGELOG.md"
VERSION_SET = re.compile(r'variable::set\("template_version", "(\d+\.\d+\.\d+)"\)')
RELEASE_NAME = re.compile(r"v?(\d+\.\d+\.\d+)")


def file_at(clone: Path, commit: str, path: str) -> str | None:
    """`path` as it is at `commit`, or None where it does not exist."""
    shown = subprocess.run(
        ["git", "show", f"{commit}:{path}"],
        cwd=clone,
        check=False,
        capture_output=True,
        text=True,
    )
    return shown.stdout if shown.returncode == 0 else None


# Looked up for the same commits by every walk of the history (a commit never changes).
@functools.cache
def version_at(clone: Path, commit: str) -> str | None:
    """The template_version that `commit` sets, if it is released by its changelog."""
    found = VERSION_SET.search(file_at(clone, commit, VERSION_FILE) or "")
    if not found:
        return None
    version = found.group(1)
    changelog = file_at(clone, commit, CHANGELOG) or ""
    entry = re.search(rf"^## \[{re.escape(version)}\]", changelog, re.MULTILINE)
    return version if entry else None


def releases(clone: Path, tip: str) -> dict[str, str]:
    """The releases in the history of `tip`, version -> commit, and the tagged ones."""
    found: dict[str, str] = {}
    listing = ["rev-list", "--reverse", "--topo-order", tip, "--"]
    history = git(*listing, VERSION_FILE, CHANGELOG, cwd=clone)
    for commit in history.split():
        version = version_at(clone, commit)
        if version and version not in found:
            found[version] = commit
    for tag in git("tag", "--list", "v*", cwd=clone).split():
        tagged = re.fullmatch(r"v(\d+\.\d+\.\d+)", tag)
        if tagged and tagged.group(1) not in found:
            found[tagged.group(1)] = commit_of(clone, tag)
    return found


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def newest_release(clone: Path) -> str:
    """The commit of the newest release on the template's default branch."""
    found = releases(clone, "HEAD")
    if not found:
        raise Refused(
            "the template's history has no release (a commit where hooks/derive.rhai sets "
            "template_version and CHANGELOG.md has its entry): pass --to REVISION"
        )
    return found[max(found, key=version_key)]


def resolve(clone: Path, revision: str) -> str:
    """The commit of `revision`: a release (v1.2.3 or 1.2.3), a tag, a commit, or one
    of the source's branches."""
    release = RELEASE_NAME.fullmatch(revision)
    if release:
        found = releases(clone, "--all")
        if release.group(1) in found:
            return found[release.group(1)]
    return commit_of(clone, revision)


def commit_of(clone: Path, revision: str) -> str:
    """The full hash of `revision`: a tag, a commit, or one of the source's branches."""
    for candidate in (revision, f"origin/{revision}"):
        try:
            # (`^{commit}`: the commit a tag points to.)
            return git(
                "rev-parse", "--verify", "--quiet", candidate + "^{commit}", cwd=clone
            )
        except Refused:
            continue
    raise Refused(f"the template has no revision {revision!r}")


def render(clone: Path, commit: str, answers: dict[str, str], into: Path) -> Path:
    """The project as the template at `commit` generates it with `answers`: the
    project's name (`project-name`) and its values."""
    git("checkout", "--quiet", "--force", "--detach", commit, cwd=clone)
    into.mkdir()
    name, values = answers["project-name"], dict(answers)
    del values["project-name"]
    program = os.environ.get("CARGO_GENERATE")
    command = [program] if program else ["cargo"]
    command += ["generate", "--path", str(clone), "--name", name, "--silent"]
    command += ["--vcs", "none", "--destination", str(into)]
    command += [
        "--template-values-file",
        str(values_file(values, into.with_suffix(".toml"))),
    ]
    # The answers alone decide the output: no CARGO_GENERATE_VALUE_* from the shell.
    env = {key: "" for key in os.environ if key.startswith("CARGO_GENERATE_VALUE_")}
    run(command, cwd=into, env=env)
    (project,) = into.iterdir()
    return project


def tree_of(repo: Path, files: Path, prefix: str, scratch: Path) -> str:
    """A git tree of the directory `files` in `repo`'s object store, under `prefix`."""
    git_dir = git("rev-parse", "--absolute-git-dir", cwd=repo)
    index = {"GIT_INDEX_FILE": str(scratch / f"index-{files.parent.name}")}
    git(
        f"--git-dir={git_dir}",
        f"--work-tree={files}",
        "add",
        "--all",
        "--force",
        ".",
        cwd=files,
        env=index,
    )
    tree = git("write-tree", cwd=repo, env=index)
    if not prefix:
        return tree
    prefixed = {"GIT_INDEX_FILE": index["GIT_INDEX_FILE"] + "-prefixed"}
    git("read-tree", f"--prefix={prefix}/", tree, cwd=repo, env=prefixed)
    return git("write-tree", cwd=repo, env=prefixed)


def is_ancestor(clone: Path, older: str, newer: str) -> bool:
    command = ["git", "merge-base", "--is-ancestor", older, newer]
    done = subprocess.run(command, cwd=clone, check=False, capture_output=True)
    return done.returncode == 0


def label(clone: Path, commit: str) -> str:
    """`commit` as a reader knows it: its release (v0.2.0), or its short hash and the
    version it says it is."""
    version = version_at(clone, commit)
    if version and releases(clone, commit).get(version) == commit:
        return f"v{version}"
    short = git("rev-parse", "--short", commit, cwd=clone)
    found = VERSION_SET.search(file_at(clone, commit, VERSION_FILE) or "")
    return f"{short} (template_version {found.group(1)})" if found else short


def recorded_answers() -> tuple[dict[str, str], dict[str, str]]:
    """The [template] and [values] tables of the answers file, checked."""
    if not ANSWERS.exists():
        raise Refused(f"{ANSWERS.name} is missing: it holds the recorded answers")
    answers = read_answers(ANSWERS)
    template, values = answers.get("template", {}), answers.get("values", {})
    for key in ("version", "project-name"):
        if key not in template:
            raise Refused(f"{ANSWERS.name} has no {key} in [template]")
    return template, values


def update(to: str | None, source: str | None) -> int:
    template, recorded = recorded_answers()
    repo = Path(git("rev-parse", "--show-toplevel", cwd=PROJECT))
    changes = git("status", "--porcelain", "--untracked-files=all", cwd=repo)
    if changes:
        raise Refused(
            "the work tree has changes; commit or stash them first, so that the "
            f"update is the only change to review:\n{changes}"
        )
    source = source or recorded.get("template_source", "")
    if not source:
        raise Refused(
            f"{ANSWERS.name} does not say where the template is: pass --from with its git "
            "URL or the path of a checkout (it is recorded for the next time)"
        )
    if Path(source).expanduser().exists():
        source = str(Path(source).expanduser().resolve())

    with tempfile.TemporaryDirectory(prefix="template-update-") as scratch_dir:
        scratch = Path(scratch_dir)
        clone = scratch / "template"
        git("clone", "--quiet", "--no-checkout", source, str(clone), cwd=scratch)
        new_commit = resolve(clone, to) if to else newest_release(clone)
        if recorded.get("template_revision"):
            old_commit = commit_of(clone, recorded["template_revision"])
        else:
            # Generated by hand: the release it names.
            version = template["version"]
            old_commit = releases(clone, new_commit).get(version) or releases(
                clone, "--all"
            ).get(version, "")
            if not old_commit:
                raise Refused(
                    f"the template's history has no release {version}, which this "
                    "project was made with: pass --from with a template that has its "
                    "whole history"
                )
        old, new = label(clone, old_commit), label(clone, new_commit)
        # (A project made from a commit after the newest release has it already.)
        behind = not to and is_ancestor(clone, new_commit, old_commit)
        if old_commit == new_commit or behind:
            print(f"Already at {old}: nothing to update.")
            return 0
        # The project as it was generated (the recorded answers, unchanged), and as
        # the new revision generates it, recording where it came from.
        answers_then = {"project-name": template["project-name"], **recorded}
        answers_now = {**answers_then, "template_source": source}
        answers_now["template_revision"] = new_commit
        base = render(clone, old_commit, answers_then, scratch / "old")
        theirs = render(clone, new_commit, answers_now, scratch / "new")

        # The project's directory in the repository ("" at its top).
        inside = PROJECT.relative_to(repo.resolve())
        prefix = "" if inside == Path(".") else inside.as_posix()
        base_tree = tree_of(repo, base, prefix, scratch)
        new_tree = tree_of(repo, theirs, prefix, scratch)
    env = TEMPLATE_IDENTITY
    base_commit = git(
        "commit-tree", base_tree, "-m", f"template {old}", cwd=repo, env=env
    )
    update_commit = git(
        "commit-tree",
        new_tree,
        "-p",
        base_commit,
        "-m",
        f"template {new}",
        cwd=repo,
        env=env,
    )
    merged = subprocess.run(
        ["git", "cherry-pick", "--no-commit", update_commit],
        cwd=repo,
        check=False,
        capture_output=True,
        text=True,
    )
    conflicts = git("diff", "--name-only", "--diff-filter=U", cwd=repo).split()
    if merged.returncode != 0 and not conflicts:
        output = merged.stdout + merged.stderr
        raise Refused(f"git could not merge the update:\n{output}")
    print(f"Updated from the template's {old} to {new}.")
    print(git("status", "--short", cwd=repo))
    if conflicts:
        print(
            "\nThese files have conflicts, marked with <<<<<<< and >>>>>>>: the "
            "template changed lines you changed too. Resolve each, `git add` it, "
            "then commit:"
        )
        for path in conflicts:
            print(f"    {path}")
        return 1
    print(
        "\nNothing is committed yet: review with `git diff --cached`, run the "
        "checks, then commit."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="pipenv run update-template", description=__doc__.splitlines()[0]
    )
    to = "a release (v1.2.3), branch or commit of the template (default: the newest release)"
    source = "the template's git URL or checkout (default: the recorded one)"
    parser.add_argument("--to", metavar="REVISION", help=to)
    parser.add_argument("--from", dest="source", metavar="SOURCE", help=source)
    args = parser.parse_args(argv)
    if shutil.which("git") is None:
        parser.error("git is not on PATH")
    try:
        return update(args.to, args.source)
    except Refused as refused:
        print(f"update_template: refused, nothing changed: {refused}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
