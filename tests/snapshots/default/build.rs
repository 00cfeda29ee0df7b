//! Lets `cargo test` start.
//!
//! The unit tests call into Python, so their binary links libpython. Interpreters
//! installed by pyenv (and some other installers) keep libpython outside the loader's
//! default search path, and the test binary would die with "libpython3.X.so: cannot
//! open shared object file". This records the interpreter's library directory as an
//! rpath of binaries that link libpython. The extension module built by maturin does
//! not link libpython, so it is unaffected.

fn main() {
    pyo3_build_config::add_libpython_rpath_link_args();
    // The same for macOS framework builds (the python.org installer).
    pyo3_build_config::add_python_framework_link_args();
}
