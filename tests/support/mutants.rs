//! The mutation tier: single-line breakages of the template (tests/mutants.toml), each
//! applied to a scratch copy and run through the tier that must catch it, to prove that
//! the suite keeps catching breakage.

use libtest_mimic::Trial;
use serde::Deserialize;

use crate::cases::all_cases;
use crate::fast;
use crate::generate::Template;
use crate::paths::{cache_dir, repo_root, scratch_dir};
use crate::pipeline::CaseRun;
use crate::stage::Stages;

/// Which tier must catch a mutant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Fast,
    Full,
}

/// One breakage: `find` (once in `file`) replaced by `replace`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutant {
    pub id: String,
    pub file: String,
    pub find: String,
    pub replace: String,
    pub tier: Tier,
    /// The case the full tier builds (full mutants only).
    pub case: Option<String>,
    /// What the failure must say: the broken file or stage, and the value.
    pub expect: Vec<String>,
}

#[derive(Deserialize)]
struct MutantFile {
    mutant: Vec<Mutant>,
}

/// Every mutant of tests/mutants.toml.
pub fn all_mutants() -> Vec<Mutant> {
    let path = repo_root().join("tests/mutants.toml");
    let text = std::fs::read_to_string(&path).expect("cannot read tests/mutants.toml");
    toml::from_str::<MutantFile>(&text)
        .unwrap_or_else(|e| panic!("tests/mutants.toml: {e}"))
        .mutant
}

/// A test for each mutant of `tier`.
pub fn trials(tier: Tier) -> Vec<Trial> {
    all_mutants()
        .into_iter()
        .filter(|mutant| mutant.tier == tier)
        .map(|mutant| {
            let name = format!("{tier:?} mutant {} is caught", mutant.id).to_lowercase();
            Trial::test(name, move || Ok(mutant.run()?))
        })
        .collect()
}

impl Mutant {
    /// A scratch copy of the template with this one breakage.
    pub fn apply(&self) -> Result<(tempfile::TempDir, Template), String> {
        let scratch = scratch_dir(&format!("mutant-{}", self.id));
        let template = Template::copy_into(scratch.path());
        let path = template.root.join(&self.file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("mutant {}: cannot read {}: {e}", self.id, self.file))?;
        match text.matches(&self.find).count() {
            1 => {}
            found => {
                return Err(format!(
                    "mutant {}: `{}` occurs {found} times in {}, not once: update tests/mutants.toml",
                    self.id, self.find, self.file
                ));
            }
        }
        std::fs::write(&path, text.replacen(&self.find, &self.replace, 1))
            .map_err(|e| e.to_string())?;
        Ok((scratch, template))
    }

    /// Runs the mutant through its tier and judges the outcome: caught, with a message
    /// that says every string of `expect`.
    pub fn run(&self) -> Result<(), String> {
        let (_scratch, template) = self.apply()?;
        let outcome = match self.tier {
            Tier::Fast => fast::everything(&template, &all_cases()),
            Tier::Full => self.full_tier(&template),
        };
        self.verdict(outcome)
    }

    fn full_tier(&self, template: &Template) -> Result<(), String> {
        let wanted = self.case.as_deref().ok_or_else(|| {
            format!(
                "mutant {}: a full-tier mutant names the case to build",
                self.id
            )
        })?;
        let case = all_cases()
            .into_iter()
            .find(|c| c.id == wanted)
            .ok_or_else(|| format!("mutant {}: no case {wanted}", self.id))?;
        let logs = scratch_dir(&format!("mutant-{}-logs", self.id));
        let mut stages = Stages::new(&format!("mutant {}", self.id), logs.path());
        CaseRun::new(&case, template, &cache_dir().join("target"))
            .run(&mut stages, |_| true)
            .map(|_| ())
            .map_err(|failure| failure.to_string())
    }

    fn verdict(&self, outcome: Result<(), String>) -> Result<(), String> {
        let breakage = format!(
            "mutant {} ({}: `{}` -> `{}`)",
            self.id, self.file, self.find, self.replace
        );
        let tier = match self.tier {
            Tier::Fast => "fast",
            Tier::Full => "full",
        };
        match outcome {
            Ok(()) => Err(format!(
                "{breakage} passed the {tier} tier: nothing caught it"
            )),
            Err(message) => match self.expect.iter().find(|e| !message.contains(e.as_str())) {
                None => Ok(()),
                Some(missing) => Err(format!(
                    "{breakage} failed the {tier} tier, but the failure does not say `{missing}`:\n{message}"
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mutant_applies_and_the_kinds_of_file_are_covered() {
        let mutants = all_mutants();
        assert!(mutants.len() >= 25, "only {} mutants", mutants.len());
        for mutant in &mutants {
            let (_scratch, template) = mutant.apply().unwrap();
            let changed = std::fs::read_to_string(template.root.join(&mutant.file)).unwrap();
            assert!(changed.contains(&mutant.replace), "{}", mutant.id);
            if mutant.tier == Tier::Full {
                assert!(mutant.case.is_some(), "{} names no case", mutant.id);
            }
        }
        let kinds = [
            "template/pyproject.toml",
            "template/Pipfile",
            "hooks/",
            "cargo-generate.toml",
            "template/README",
            "template/src/lib.rs",
            "template/main.py",
            "template/.github/workflows/",
            "template/{{module_name}}.pyi",
            "template/tests/",
        ];
        for kind in kinds {
            assert!(
                mutants.iter().any(|m| m.file.starts_with(kind)),
                "no mutant of {kind}"
            );
        }
    }

    #[test]
    fn a_mutant_that_is_not_found_once_is_refused() {
        let mutant = Mutant {
            id: "nowhere".into(),
            file: "template/Pipfile".into(),
            find: "this text is in no Pipfile".into(),
            replace: String::new(),
            tier: Tier::Fast,
            case: None,
            expect: Vec::new(),
        };
        let error = mutant.apply().unwrap_err();
        assert!(error.contains("occurs 0 times"), "{error}");
    }

    #[test]
    fn the_verdict_wants_a_failure_that_says_what_broke() {
        let mutant = Mutant {
            id: "m".into(),
            file: "f".into(),
            find: "a".into(),
            replace: "b".into(),
            tier: Tier::Fast,
            case: None,
            expect: vec!["Pipfile".into(), "black".into()],
        };
        assert!(
            mutant
                .verdict(Ok(()))
                .unwrap_err()
                .contains("nothing caught it")
        );
        assert!(
            mutant
                .verdict(Err("Pipfile: black is wrong".into()))
                .is_ok()
        );
        let vague = mutant.verdict(Err("Pipfile is wrong".into())).unwrap_err();
        assert!(vague.contains("does not say `black`"), "{vague}");
    }
}
