"""What a reader reads in Python files: every comment, docstring and string literal.

    python3 tests/tools/prose.py FILE...

Prints TOML: for each file a `[[file]]` with its `path` and its pieces, each a
`[[file.piece]]` with `kind` ("comment", "module docstring", "docstring" or "string"),
`line`, `text` and, where there is one, `assigned_to`. `assigned_to` names the top-level variable
whose value holds a string (`ENGLISH = {...}`). An f-string's text keeps its literal
parts, with `{}` where a value goes; implicitly concatenated literals are one piece.

The test suite's language check (tests/support/checks.rs) reads these pieces and decides,
with its own rules, which must be Korean in a Korean project. Python's own parser finds
them, so no string or comment is missed or invented. Standard library only.
"""

from __future__ import annotations

import ast
import io
import json
import sys
import tokenize


def pieces(source: str) -> list[dict[str, object]]:
    tree = ast.parse(source)
    found: list[dict[str, object]] = []
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and is_text(body[0].value):
                constant = body[0].value
                docstrings.add(id(constant))
                kind = "module docstring" if isinstance(node, ast.Module) else "docstring"
                found.append(piece(kind, constant, text_of(constant), None))
    # Which top-level variable each string belongs to.
    owner: dict[int, str] = {}
    for statement in tree.body:
        targets = []
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if names and getattr(statement, "value", None) is not None:
            for inner in ast.walk(statement.value):
                owner[id(inner)] = names[0]
    # The literal parts inside f-strings are reported as part of their f-string.
    fstring_parts = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in ast.walk(node)
        if part is not node
    }
    for node in ast.walk(tree):
        if id(node) in docstrings or id(node) in fstring_parts or not is_text(node):
            continue
        found.append(piece("string", node, text_of(node), owner.get(id(node))))
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            text = token.string.lstrip("#").strip()
            found.append({"kind": "comment", "line": token.start[0], "text": text, "assigned_to": None})
    found.sort(key=lambda p: int(p["line"]))  # type: ignore[call-overload]
    return found


def is_text(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(
        node, ast.JoinedStr
    )


def text_of(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    assert isinstance(node, ast.JoinedStr)
    return "".join(
        str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
    )


def piece(kind: str, node: ast.AST, text: str, owner: str | None) -> dict[str, object]:
    return {"kind": kind, "line": getattr(node, "lineno", 0), "text": text, "assigned_to": owner}


def main() -> None:
    # A JSON string is a valid TOML basic string: TOML without a TOML writer.
    lines = []
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as file:
            found = pieces(file.read())
        lines += ["[[file]]", f"path = {json.dumps(path, ensure_ascii=False)}"]
        for item in found:
            lines.append("[[file.piece]]")
            lines += [
                f"{key} = {json.dumps(value, ensure_ascii=False)}"
                for key, value in item.items()
                if value is not None
            ]
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
