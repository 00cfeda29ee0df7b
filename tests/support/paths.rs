//! Where the suite finds the template and keeps its caches.

use std::path::{Path, PathBuf};

/// The template repository (this package's root).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, in file-name order.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// The directory for what is worth keeping between runs: installed tools and shared
/// build caches. `TEMPLATE_TEST_CACHE` overrides it (an empty directory there gives a
/// cold run); otherwise it is `$XDG_CACHE_HOME/pyo3-pipenv-template` or
/// `~/.cache/pyo3-pipenv-template`.
pub fn cache_dir() -> PathBuf {
    let dir = if let Some(dir) = std::env::var_os("TEMPLATE_TEST_CACHE") {
        PathBuf::from(dir)
    } else if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME") {
        PathBuf::from(xdg).join("pyo3-pipenv-template")
    } else {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .expect("neither TEMPLATE_TEST_CACHE, XDG_CACHE_HOME nor HOME is set");
        PathBuf::from(home)
            .join(".cache")
            .join("pyo3-pipenv-template")
    };
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create the cache directory {}: {e}", dir.display()));
    dir
}

/// A fresh temporary directory for one generated project, removed when dropped unless
/// `TEMPLATE_TEST_KEEP` is set (to look at a generated project after a failure).
pub fn scratch_dir(prefix: &str) -> tempfile::TempDir {
    let keep = std::env::var_os("TEMPLATE_TEST_KEEP").is_some();
    let dir = tempfile::Builder::new()
        .prefix(&format!("{prefix}-"))
        .disable_cleanup(keep)
        .tempdir()
        .expect("cannot create a temporary directory");
    if keep {
        eprintln!("TEMPLATE_TEST_KEEP: keeping {}", dir.path().display());
    }
    dir
}
