//! The fast tier's checks of the template and of every case of tests/cases, without
//! building anything (see harness::fast): template-level checks, each case's static
//! checks and regeneration from its recorded answers, the golden snapshots, and checks
//! that the cases cover the template's parameters.

use harness::cases::{Case, all_cases, placeholders, python_versions};
use harness::fast;
use harness::generate::Template;
use harness::snapshots::{SNAPSHOT_CASES, compare_or_update};
use harness::tools::find_python;
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let template = Template::repo;
    let checks: [(&str, fast::TemplateCheck); 10] = [
        (
            "every liquid variable is defined",
            fast::liquid_variables_known,
        ),
        (
            "every GitHub expression is protected from liquid",
            fast::workflow_expressions_protected,
        ),
        (
            "hooks know the newest python_version choice",
            fast::newest_python_is_known,
        ),
        (
            "update_template.py finds CHANGELOG.md's releases in this repository's history",
            fast::releases_found_in_history,
        ),
        (
            "a rustfmt.toml above the destination changes nothing",
            fast::rustfmt_config_above_changes_nothing,
        ),
        (
            "-d crate_name is ignored or refused, never honoured unrecorded",
            fast::crate_name_override_is_ignored_or_refused,
        ),
        (
            "the name rules refuse every file the project ships",
            fast::shipped_files_are_refused,
        ),
        (
            "README documents every parameter and its default",
            fast::readme_documents_the_parameters,
        ),
        (
            "the template's CI and the weekly bump install every Python offered",
            fast::template_ci_covers_every_python,
        ),
        (
            "defaults as a user gets them: this year, an author to escape, no URL",
            fast::defaults_as_a_user_gets_them,
        ),
    ];
    let mut trials: Vec<Trial> = checks
        .into_iter()
        .map(|(name, check)| Trial::test(name, move || Ok(check(template())?)))
        .collect();
    trials.push(Trial::test(
        "cases cover every parameter choice",
        cases_cover_every_choice,
    ));
    for case in all_cases() {
        let for_checks = case.clone();
        trials.push(Trial::test(
            format!("{}: static checks", case.id),
            move || Ok(fast::static_checks(template(), &for_checks)?),
        ));
        let for_readmes = case.clone();
        trials.push(Trial::test(
            format!("{}: the English and the Korean README agree", case.id),
            move || Ok(fast::readmes_agree(template(), &for_readmes)?),
        ));
        let for_answers = case.clone();
        trials.push(Trial::test(
            format!(
                "{}: the recorded answers regenerate it byte for byte",
                case.id
            ),
            move || Ok(fast::answers_reproduce(template(), &for_answers)?),
        ));
        if SNAPSHOT_CASES.contains(&case.id.as_str()) {
            trials.push(Trial::test(format!("{}: snapshot", case.id), move || {
                let (_scratch, project) = fast::generated(template(), &case)?;
                Ok(compare_or_update(&case.id, &project)?)
            }));
        }
    }
    harness::generate::finish(libtest_mimic::run(&Arguments::from_args(), trials));
}

/// Every choice of every parameter appears in some case; every Python version with an
/// interpreter here is built by some case; the GIL demo is built on and off at least
/// twice each; some case draws the charts.
fn cases_cover_every_choice() -> Result<(), Failed> {
    let cases = all_cases();
    for (key, placeholder) in placeholders() {
        for choice in &placeholder.choices {
            if !cases.iter().any(|c| &c.values[&key] == choice) {
                return Err(format!("no case in tests/cases has {key} = {choice:?}").into());
            }
        }
    }
    let built: Vec<&Case> = cases
        .iter()
        .filter(|c| find_python(c.python_version()).is_some())
        .collect();
    for version in python_versions() {
        if find_python(&version).is_some() && !built.iter().any(|c| c.python_version() == version) {
            return Err(format!("Python {version} is installed but no case builds it").into());
        }
    }
    for gil in [true, false] {
        let count = built.iter().filter(|c| c.gil_demo() == gil).count();
        if count < 2 {
            return Err(format!("only {count} built case(s) have gil_demo = {gil}; want 2").into());
        }
    }
    if !built.iter().any(|c| c.plot && c.gil_demo()) {
        return Err("no built case with the GIL demo has plot = true".into());
    }
    Ok(())
}
