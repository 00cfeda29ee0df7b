//! Refused inputs (tests/bad_input.toml): each one is a test that runs the real
//! `cargo generate` and checks the exit status, the message and what is left behind.

use harness::fast::{bad_input, refused_define, refused_name};
use harness::generate::Template;
use libtest_mimic::{Arguments, Trial};

fn main() {
    let bad = bad_input();
    let names = bad.name.into_iter().map(|case| {
        Trial::test(format!("name {:?} is refused", case.value), move || {
            Ok(refused_name(Template::repo(), &case)?)
        })
    });
    let defines = bad.define.into_iter().map(|case| {
        Trial::test(
            format!("{}={:?} is refused", case.key, case.value),
            move || Ok(refused_define(Template::repo(), &case)?),
        )
    });
    harness::generate::finish(libtest_mimic::run(
        &Arguments::from_args(),
        names.chain(defines).collect(),
    ));
}
