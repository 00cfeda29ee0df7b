//! The mutation tier's fast mutants (tests/mutants.toml, `tier = "fast"`): each one
//! applied to a scratch copy of the template, which the fast tier must then fail on,
//! naming what broke. Run by `cargo test`; the full-tier mutants are in
//! tests/full_mutants.rs.

use harness::mutants::{Tier, trials};
use libtest_mimic::Arguments;

fn main() {
    harness::generate::finish(libtest_mimic::run(
        &Arguments::from_args(),
        trials(Tier::Fast),
    ));
}
