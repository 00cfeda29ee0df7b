//! Lets `cargo test` link and start.
//!
//! The unit tests call into Python, so their binary links libpython. Interpreters
//! installed by pyenv (and some other installers) keep libpython outside the loader's
//! default search path, and the test binary would die with "libpython3.X.so: cannot
//! open shared object file". This records the interpreter's library directory as an
//! rpath of binaries that link libpython. The extension module built by maturin does
//! not link libpython, so it is unaffected.
//!
//! `pipenv run cargo ...` runs cargo in maturin's environment (see tools/cargo_env.py), so
//! that it reuses maturin's build of pyo3; pyo3, built as for an extension module, then
//! leaves libpython out, and tools/cargo_env.py's LINK_LIBPYTHON (the interpreter's
//! libpython) asks for it here instead.

use std::env;
use std::path::Path;

fn main() {
    // cfg(PyPy) and the others PyO3 sets for the interpreter: the Rust tests that need
    // an embedded CPython are compiled out on PyPy (see src/lib.rs).
    pyo3_build_config::use_pyo3_cfgs();
    // Plain cargo: pyo3 links libpython itself; this adds its directory as an rpath.
    pyo3_build_config::add_libpython_rpath_link_args();
    // The same for macOS framework builds (the python.org installer).
    pyo3_build_config::add_python_framework_link_args();

    println!("cargo:rerun-if-env-changed=LINK_LIBPYTHON");
    // Windows binaries always link python3X.dll (pyo3 declares it as raw-dylib).
    let windows = env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "windows");
    if let Some(library) = env::var_os("LINK_LIBPYTHON").filter(|_| !windows) {
        link_libpython(Path::new(&library));
    }
}

/// What pyo3-ffi's build script emits when it links libpython: from the interpreter
/// configuration it built pyo3 for, or, where that names no library (maturin's
/// configuration of a stable-ABI build), from `library`, the interpreter's own.
fn link_libpython(library: &Path) {
    let config = pyo3_build_config::get();
    let (name, dir, shared) = match (config.lib_name(), config.lib_dir()) {
        (Some(name), Some(dir)) => (name.to_owned(), Path::new(dir), config.shared()),
        _ => {
            // libpython3.13.so, libpython3.13t.so, libpython3.13.dylib, libpython3.13.a
            let file = library.file_name().and_then(|f| f.to_str()).unwrap_or("");
            let stem = file.strip_prefix("lib").unwrap_or(file);
            let name = [".so", ".dylib", ".a"]
                .iter()
                .find_map(|extension| stem.find(extension).map(|at| &stem[..at]))
                .unwrap_or(stem);
            let dir = library.parent().unwrap_or(Path::new("."));
            (name.to_owned(), dir, !file.ends_with(".a"))
        }
    };
    let kind = if shared { "" } else { "static=" };
    println!("cargo:rustc-link-lib={kind}{name}");
    println!("cargo:rustc-link-search=native={}", dir.display());
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
    if let Some(prefix) = config.python_framework_prefix() {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{prefix}");
    }
}
