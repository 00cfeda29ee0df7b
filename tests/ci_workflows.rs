//! GitHub Actions configuration, checked offline: every generated project's and the
//! template repository's own `.github`, against GitHub's schemas (check-jsonschema) and
//! for security problems (zizmor, which must find nothing).

use std::path::Path;

use harness::cases::all_cases;
use harness::fast::{generated, lint_workflows};
use harness::paths::repo_root;
use libtest_mimic::{Arguments, Trial};

fn main() {
    let mut trials = vec![
        Trial::test("the template repository's workflows", || {
            Ok(lint_workflows(&repo_root())?)
        }),
        Trial::test(
            "the stand-in actions the full tier runs generated CI with",
            || Ok(harness::ci_run::standins_sound()?),
        ),
    ];
    for case in all_cases() {
        trials.push(Trial::test(
            format!("{}: generated workflows", case.id),
            move || {
                let (_scratch, project) = generated(harness::generate::Template::repo(), &case)?;
                Ok(lint_workflows(Path::new(&project))?)
            },
        ));
    }
    harness::generate::finish(libtest_mimic::run(&Arguments::from_args(), trials));
}
