//! `update_template.py`, tried for real (see harness::update) against a template whose
//! releases have no tags: the merge, from a path and from a git URL, across two
//! releases, to a branch or a commit, a conflict, a dirty tree, a project of 0.5.0 (whose
//! tools sat at the root) brought to today's layout; and, in the full tier, the updated
//! projects' own checks.

use harness::generate::Template;
use harness::update;
use libtest_mimic::{Arguments, Trial};

fn main() {
    let template = Template::repo;
    let trials = vec![
        Trial::test(
            "a hand-made project from a tag-free clone updates with --from, then has nothing to do",
            move || Ok(update::update_merges(template())?),
        ),
        Trial::test(
            "a project generated with `cargo generate --git <URL>` updates the same way",
            move || Ok(update::update_from_a_git_url(template())?),
        ),
        Trial::test(
            "an update across two releases at once brings both",
            move || Ok(update::update_across_two_releases(template())?),
        ),
        Trial::test(
            "--to a branch or a commit updates to exactly it; --to v1.1.0 to that release",
            move || Ok(update::update_to_a_branch_or_a_commit(template())?),
        ),
        Trial::test(
            "an edit of the lines the template changed is left as conflict markers, named",
            move || Ok(update::update_conflicts(template())?),
        ),
        Trial::test(
            "an update on a dirty work tree is refused, changing nothing",
            move || Ok(update::update_refuses_a_dirty_tree(template())?),
        ),
        Trial::test(
            "a 0.5.0 project, edited by its user, updates to tools/ with its edits kept",
            move || Ok(update::update_moves_the_tools_of_older_projects(template())?),
        ),
        Trial::test(
            "after the update from 0.5.0, the project passes `pipenv run check`",
            move || Ok(update::updated_older_project_passes_its_checks(template())?),
        )
        .with_ignored_flag(true),
        Trial::test(
            "after the update, the project passes its own checks (pytest, cargo test, pre-commit)",
            move || Ok(update::updated_project_passes_its_checks(template())?),
        )
        .with_ignored_flag(true),
    ];
    harness::generate::finish(libtest_mimic::run(&Arguments::from_args(), trials));
}
