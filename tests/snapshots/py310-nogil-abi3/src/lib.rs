//! my-rust-ext: Rust code called from Python, built by maturin with PyO3.

use pyo3::prelude::*;

/// Fibonacci numbers computed in Rust.
///
/// The module's name must match `[lib] name` in Cargo.toml: Python looks for
/// `PyInit_my_rust_ext` in the library it imports.
///
/// `gil_used = false` declares the module safe on free-threaded Python (3.14t and
/// later, which runs without a GIL): it keeps no state of its own, and every function
/// works only on its arguments, so threads calling it at the same time cannot race.
/// (It is PyO3's default since 0.28; it is written out because it is a promise: a
/// module that ever adds shared mutable state must keep it or say `gil_used = true`,
/// and free-threaded Python then turns the GIL back on when it imports the module.)
#[pymodule(gil_used = false)]
mod my_rust_ext {
    use pyo3::exceptions::{PyOverflowError, PyValueError};
    use pyo3::prelude::*;

    /// The package's version (Cargo.toml's, which maturin gives the wheel too).
    #[pymodule_export]
    #[allow(non_upper_case_globals)]
    const __version__: &str = env!("CARGO_PKG_VERSION");

    /// The largest `n` whose Fibonacci number fits in 64 bits:
    /// fib(93) = 12200160415121876738 < 2**64 <= fib(94).
    #[pymodule_export]
    const MAX_N: u64 = 93;

    /// True when the module was built without optimisations (`maturin develop`),
    /// False for a release build (`maturin develop --release`, `maturin build --release`).
    #[pymodule_export]
    const DEBUG_BUILD: bool = cfg!(debug_assertions);

    /// The naive, doubly recursive definition, on purpose: this is the benchmark, and
    /// main.py runs exactly the same algorithm in Python.
    pub(crate) fn fib(n: u64) -> u64 {
        match n {
            0 => 0,
            1 => 1,
            _ => fib(n - 1) + fib(n - 2),
        }
    }

    /// Checks `n` before any work starts: a negative `n` has no Fibonacci number, and
    /// one past `MAX_N` would overflow `u64` after running practically forever.
    pub(crate) fn checked(n: i64) -> PyResult<u64> {
        let n = u64::try_from(n)
            .map_err(|_| PyValueError::new_err(format!("n must be >= 0, got {n}")))?;
        if n > MAX_N {
            return Err(PyOverflowError::new_err(format!(
                "fib({n}) does not fit in 64 bits: n must be <= {MAX_N}"
            )));
        }
        Ok(n)
    }

    /// fib(n) by the naive recursion, computed in Rust. Holds the GIL while it runs.
    #[pyfunction]
    fn run(n: i64) -> PyResult<u64> {
        checked(n).map(fib)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// fib(0..count) computed iteratively, as a reference for the naive recursion.
        fn reference(count: u64) -> Vec<u64> {
            let (mut a, mut b) = (0u64, 1u64);
            (0..count)
                .map(|_| {
                    let current = a;
                    (a, b) = (b, a.wrapping_add(b));
                    current
                })
                .collect()
        }

        #[test]
        fn fib_matches_the_iterative_reference() {
            let naive: Vec<u64> = (0..30).map(fib).collect();
            assert_eq!(naive, reference(30));
        }

        #[test]
        fn run_returns_fib_of_n() {
            for (n, expected) in [(0, 0), (1, 1), (2, 1), (10, 55), (25, 75_025)] {
                assert_eq!(run(n).ok(), Some(expected), "run({n})");
            }
        }

        #[test]
        fn max_n_is_the_last_n_whose_fibonacci_number_fits_in_u64() {
            // Iteratively: the naive recursion would never finish for n = 93.
            let (mut a, mut b, mut n) = (0u64, 1u64, 0u64);
            while let Some(next) = a.checked_add(b) {
                (a, b, n) = (b, next, n + 1);
            }
            // Here b = fib(n + 1) and fib(n + 2) overflows.
            assert_eq!(n + 1, MAX_N);
            assert_eq!(MAX_N, 93);
            assert_eq!(b, 12_200_160_415_121_876_738);
            assert_eq!(reference(94)[93], 12_200_160_415_121_876_738);
        }

        #[test]
        fn checked_accepts_every_n_from_0_to_max_n() {
            // `run` calls the naive recursion only after `checked` has accepted n, and
            // run(93) would take longer than anyone can wait: the bounds are proven here.
            for n in [0, 1, 93] {
                assert_eq!(checked(n).ok(), Some(n as u64), "{n}");
            }
        }

        /// The tests that call into Python: an exception's type and message need an
        /// interpreter, so each first starts one inside the test binary
        /// (`Python::initialize`). PyPy cannot be embedded that way: on PyPy they are
        /// compiled out, and an ignored test says why instead.
        #[cfg(not(PyPy))]
        mod calling_python {
            use super::*;

            #[test]
            fn run_refuses_a_negative_n_with_value_error() {
                Python::initialize();
                Python::attach(|py| {
                    let err = run(-1).unwrap_err();
                    assert!(err.is_instance_of::<PyValueError>(py));
                    assert_eq!(err.value(py).to_string(), "n must be >= 0, got -1");
                });
            }

            #[test]
            fn run_refuses_n_past_max_n_with_overflow_error() {
                Python::initialize();
                Python::attach(|py| {
                    for n in [94, 1000, i64::MAX] {
                        let err = run(n).unwrap_err();
                        assert!(err.is_instance_of::<PyOverflowError>(py));
                        assert_eq!(
                            err.value(py).to_string(),
                            format!("fib({n}) does not fit in 64 bits: n must be <= 93")
                        );
                    }
                });
            }
        }

        #[cfg(PyPy)]
        #[test]
        #[ignore = "PyPy cannot be embedded in a test binary: the tests that call into Python run on CPython"]
        fn tests_that_call_into_python() {}
    }
}
