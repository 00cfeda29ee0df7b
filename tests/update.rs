//! `update_template.py`, tried for real (see harness::update): the merge, a
//! conflict, a dirty tree; and, in the full tier, the updated project's own checks.

use harness::generate::Template;
use harness::update;
use libtest_mimic::{Arguments, Trial};

fn main() {
    let template = Template::repo;
    let trials =
        vec![
        Trial::test("the update brings the template's changes and keeps the user's", move || {
            Ok(update::update_merges(template())?)
        }),
        Trial::test(
            "an edit of the lines the template changed is left as conflict markers, named",
            move || Ok(update::update_conflicts(template())?),
        ),
        Trial::test("an update on a dirty work tree is refused, changing nothing", move || {
            Ok(update::update_refuses_a_dirty_tree(template())?)
        }),
        Trial::test(
            "after the update, the project passes its own checks (pytest, cargo test, pre-commit)",
            move || Ok(update::updated_project_passes_its_checks(template())?),
        )
        .with_ignored_flag(true),
    ];
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}
