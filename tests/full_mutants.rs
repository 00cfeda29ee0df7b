//! The mutation tier's full mutants (tests/mutants.toml, `tier = "full"`): each one
//! applied to a scratch copy of the template, whose case the full tier then builds and
//! must fail on, naming what broke. Minutes each, so a command of its own:
//!
//!     cargo test --features full-mutants --test full_mutants
//!
//! (also run weekly by the template's own CI).

use harness::mutants::{Tier, trials};
use libtest_mimic::Arguments;

fn main() {
    harness::generate::finish(libtest_mimic::run(
        &Arguments::from_args(),
        trials(Tier::Full),
    ));
}
