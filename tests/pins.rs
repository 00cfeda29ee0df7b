//! The pins (hooks/pins.rhai, tests/tools/pins.py): each written once, the docs agreeing
//! with them, and pins.py's own tests against recorded registry answers.

use std::process::Command;
use std::time::Duration;

use harness::paths::repo_root;
use libtest_mimic::{Arguments, Trial};

fn main() {
    let trials = vec![
        Trial::test(
            "each pin of the generated project is written once, in hooks/pins.rhai",
            || Ok(harness::pins::written_once(&repo_root())?),
        ),
        Trial::test("no doc quotes a version the files contradict", || {
            Ok(harness::pins::docs_agree(&repo_root())?)
        }),
        Trial::test(
            "tests/tools/pins.py against recorded registry answers (tests/tools/test_pins.py)",
            || {
                let mut command = Command::new(harness::tools::tools_interpreter());
                command
                    .args(["-m", "unittest", "tests/tools/test_pins.py"])
                    .current_dir(repo_root());
                harness::command::run(&mut command, Duration::from_secs(120), None)?;
                Ok(())
            },
        ),
    ];
    harness::generate::finish(libtest_mimic::run(&Arguments::from_args(), trials));
}
