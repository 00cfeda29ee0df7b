"""The project's tooling: not the course's code, but what builds it, checks it and keeps it
current.

- check.py: `pipenv run check`, every check CI runs, in CI's order.
- cargo_env.py: `pipenv run cargo ...`, cargo in the environment maturin builds in.
- mypy_hook.py: pre-commit's mypy hook (which says it does not apply on PyPy).
- test_wheel.py: installs a wheel that was built into a fresh virtualenv and tests it
  (the release workflow does, with every wheel).
- update_template.py: `pipenv run update-template`, the template's later changes.

Each runs as a module from the project's directory, `python -m tools.check` (the
Pipfile's [scripts]).
"""
