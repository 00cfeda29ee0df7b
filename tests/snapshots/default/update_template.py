"""Brings the template's later changes into this project, keeping your own.

    pipenv run python update_template.py                # to the template's newest release
    pipenv run python update_template.py --to v0.3.0    # to a tag, a branch or a commit
    pipenv run python update_template.py --from PATH_OR_URL   # where the template is

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
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent
ANSWERS = PROJECT / ".template-answers.toml"
# The identity of the two commits that carry the template's trees into your repository
# for the merge; neither ends up in your history.
TEMPLATE_IDENTITY = {
    "GIT_AUTHOR_NAME": "template",
    "GIT_AUTHOR_EMAIL": "template@localhost",
    "GIT_COMMITTER_NAME": "template",
    "GIT_COMMITTER_EMAIL": "template@localhost",
}

TEXT = {
    "description": "Brings the template's later changes into this project.",
    "to": "a tag, branch or commit of the template (default: its newest release)",
    "from": "the template's git URL or checkout (default: the recorded one)",
    "no_git": "git is not on PATH",
    "refused": "update_template.py: refused, nothing changed: {reason}",
    "no_answers": "{file} is missing: this script needs the recorded answers",
    "incomplete": "{file} has no {key} in [template]",
    "dirty": (
        "the work tree has changes; commit or stash them first, so that the "
        "update is the only change to review:\n{changes}"
    ),
    "no_source": (
        "{file} does not say where the template is: pass --from with its git URL "
        "or the path of a checkout (it is recorded for the next time)"
    ),
    "no_release": "the template has no release tag (v1.2.3): pass --to REVISION",
    "no_revision": "the template has no revision {revision!r}",
    "unreadable": "{file}:{number}: cannot read this line: {line}",
    "failed": "`{command}` failed in {cwd}:\n{output}",
    "no_merge": "git could not merge the update:\n{output}",
    "up_to_date": "Already at {new}: nothing to update.",
    "updated": "Updated from the template's {old} to {new}.",
    "conflicts": (
        "\nThese files have conflicts, marked with <<<<<<< and >>>>>>>: the "
        "template changed lines you changed too. Resolve each, `git add` it, "
        "then commit:"
    ),
    "review": (
        "\nNothing is committed yet: review with `git diff --cached`, run the "
        "checks, then commit."
    ),
}


class Refused(Exception):
    """Nothing was changed; the message says why."""


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """The stdout of `command`; a failure is Refused with the command's output."""
    done = subprocess.run(
        command,
        cwd=cwd,
        env=None if env is None else {**os.environ, **env},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        raise Refused(
            TEXT["failed"].format(command=" ".join(command), cwd=cwd, output=output)
        )
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
            raise Refused(
                TEXT["unreadable"].format(file=path.name, number=number, line=line)
            )
    return tables


def values_file(values: dict[str, str], path: Path) -> Path:
    """`values` as a cargo-generate values file (TOML literal strings)."""
    lines = ["[values]"] + [f"{key} = '{value}'" for key, value in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def newest_release(clone: Path) -> str:
    """The template's newest release tag (vMAJOR.MINOR.PATCH)."""
    releases = []
    for tag in git("tag", "--list", "v*", cwd=clone).split():
        version = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)", tag)
        if version:
            releases.append((tuple(int(part) for part in version.groups()), tag))
    if not releases:
        raise Refused(TEXT["no_release"])
    return max(releases)[1]


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
    raise Refused(TEXT["no_revision"].format(revision=revision))


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


def label(clone: Path, commit: str) -> str:
    """`commit` as a reader knows it: its tag (v0.2.0), or its short hash."""
    return git("describe", "--tags", "--always", commit, cwd=clone)


def recorded_answers() -> tuple[dict[str, str], dict[str, str]]:
    """The [template] and [values] tables of the answers file, checked."""
    if not ANSWERS.exists():
        raise Refused(TEXT["no_answers"].format(file=ANSWERS.name))
    answers = read_answers(ANSWERS)
    template, values = answers.get("template", {}), answers.get("values", {})
    for key in ("version", "project-name"):
        if key not in template:
            raise Refused(TEXT["incomplete"].format(file=ANSWERS.name, key=key))
    return template, values


def update(to: str | None, source: str | None) -> int:
    template, recorded = recorded_answers()
    repo = Path(git("rev-parse", "--show-toplevel", cwd=PROJECT))
    changes = git("status", "--porcelain", "--untracked-files=all", cwd=repo)
    if changes:
        raise Refused(TEXT["dirty"].format(changes=changes))
    source = source or recorded.get("template_source", "")
    if not source:
        raise Refused(TEXT["no_source"].format(file=ANSWERS.name))
    if Path(source).expanduser().exists():
        source = str(Path(source).expanduser().resolve())
    old = recorded.get("template_revision") or f"v{template['version']}"

    with tempfile.TemporaryDirectory(prefix="template-update-") as scratch_dir:
        scratch = Path(scratch_dir)
        clone = scratch / "template"
        git("clone", "--quiet", "--no-checkout", source, str(clone), cwd=scratch)
        new = to or newest_release(clone)
        old_commit, new_commit = commit_of(clone, old), commit_of(clone, new)
        old, new = label(clone, old_commit), label(clone, new_commit)
        if old_commit == new_commit:
            print(TEXT["up_to_date"].format(new=new))
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
        capture_output=True,
        text=True,
    )
    conflicts = git("diff", "--name-only", "--diff-filter=U", cwd=repo).split()
    if merged.returncode != 0 and not conflicts:
        raise Refused(TEXT["no_merge"].format(output=merged.stdout + merged.stderr))
    print(TEXT["updated"].format(old=old, new=new))
    print(git("status", "--short", cwd=repo))
    if conflicts:
        print(TEXT["conflicts"])
        for path in conflicts:
            print(f"    {path}")
        return 1
    print(TEXT["review"])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=TEXT["description"])
    parser.add_argument("--to", metavar="REVISION", help=TEXT["to"])
    parser.add_argument("--from", dest="source", metavar="SOURCE", help=TEXT["from"])
    args = parser.parse_args(argv)
    if shutil.which("git") is None:
        parser.error(TEXT["no_git"])
    try:
        return update(args.to, args.source)
    except Refused as refused:
        print(TEXT["refused"].format(reason=refused), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
