//! The harness behind the template's test suite.
//!
//! It generates projects with the real `cargo generate`, checks the generated trees,
//! and runs each project's own commands (pipenv, maturin, pytest, cargo, pre-commit)
//! stage by stage, timing each one. Nothing is mocked: every tool is the real one,
//! installed by [`tools`] when missing.

pub mod cases;
pub mod checks;
pub mod ci_run;
pub mod command;
pub mod debian_python;
pub mod fast;
pub mod generate;
pub mod language;
pub mod mutants;
pub mod paths;
pub mod pins;
pub mod pipeline;
pub mod project_env;
pub mod rules;
pub mod snapshots;
pub mod stage;
pub mod table;
pub mod tools;
pub mod update;
