//! fib-demo: Rust code called from Python, built by maturin with PyO3.

use pyo3::prelude::*;

/// Fibonacci numbers computed in Rust, with and without the GIL.
///
/// The module's name must match `[lib] name` in Cargo.toml: Python looks for
/// `PyInit_fib_demo` in the library it imports.
///
/// `gil_used = false` declares the module safe on free-threaded Python (3.14t and
/// later, which runs without a GIL): it keeps no state of its own, and every function
/// works only on its arguments, so threads calling it at the same time cannot race.
/// (It is PyO3's default since 0.28; it is written out because it is a promise: a
/// module that ever adds shared mutable state must keep it or say `gil_used = true`,
/// and free-threaded Python then turns the GIL back on when it imports the module.)
#[pymodule(gil_used = false)]
mod fib_demo {
    use pyo3::exceptions::{PyOverflowError, PyValueError};
    use pyo3::prelude::*;
    use pyo3::types::PyList;
    use std::io::Write;
    use std::thread;
    use std::time::Duration;

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
    fn fib(n: u64) -> u64 {
        match n {
            0 => 0,
            1 => 1,
            _ => fib(n - 1) + fib(n - 2),
        }
    }

    /// Checks `n` before any work starts: a negative `n` has no Fibonacci number, and
    /// one past `MAX_N` would overflow `u64` after running practically forever.
    fn checked(n: i64) -> PyResult<u64> {
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

    /// fib(n) like `run`, but with the GIL released while Rust computes, so other
    /// Python threads run meanwhile (and several calls run on several cores).
    #[pyfunction]
    fn run_detached(py: Python<'_>, n: i64) -> PyResult<u64> {
        let n = checked(n)?;
        Ok(py.detach(move || fib(n)))
    }

    /// Prints one line of the GIL demo. Unlike `println!`, it does not panic when
    /// stdout has been closed (say, piped into `head`): the demo just goes on.
    fn say(line: &str) {
        let _ = writeln!(std::io::stdout(), "{line}");
    }

    /// A number of seconds as a `Duration`, or ValueError naming the argument.
    fn seconds(name: &str, value: f64) -> PyResult<Duration> {
        Duration::try_from_secs_f64(value).map_err(|_| {
            PyValueError::new_err(format!("{name} must be a finite number >= 0, got {value}"))
        })
    }

    /// `numbers`, each doubled, or OverflowError if one does not fit in 64 bits.
    fn doubled(numbers: &[i64]) -> PyResult<Vec<i64>> {
        numbers
            .iter()
            .map(|x| x.checked_mul(2))
            .collect::<Option<Vec<i64>>>()
            .ok_or_else(|| PyOverflowError::new_err("a doubled number overflows 64 bits"))
    }

    /// Act 1 of the GIL demo, the course's `double_list`: doubles `numbers` into
    /// `result[idx]`, holding the GIL the whole time.
    ///
    /// A `#[pyfunction]` runs with the GIL held (attached to Python), and nothing here
    /// lets go of it: `Python::attach` only re-enters the GIL this call already holds,
    /// as `Python::with_gil` did in the course. After printing "Acquire GIL...", it
    /// calls `on_hold` (if given) and holds the GIL for `hold_seconds`; every Python
    /// thread waits meanwhile.
    #[pyfunction]
    #[pyo3(signature = (numbers, result, idx, hold_seconds = 1.0, on_hold = None))]
    fn double_list(
        numbers: Vec<i64>,
        result: Bound<'_, PyList>,
        idx: usize,
        hold_seconds: f64,
        on_hold: Option<Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let hold = seconds("hold_seconds", hold_seconds)?;
        say("Rust: Enter double_list...");
        let doubled = doubled(&numbers)?;
        Python::attach(|py| {
            say("Rust: Acquire GIL...");
            if let Some(on_hold) = &on_hold {
                on_hold.call0()?;
            }
            // Holding the GIL: every Python thread waits until this returns.
            thread::sleep(hold);
            let doubled = PyList::new(py, doubled)?;
            say("Rust: Exit...");
            result.set_item(idx, doubled)
        })
    }

    /// Act 2 of the GIL demo, what the course meant: the same doubling, with Rust's
    /// `work_seconds` of work done with the GIL released (`py.detach`), so that Python
    /// threads run during it.
    ///
    /// `on_release` (if given) is called just before the GIL is released. `wait_for`
    /// (if given, a `threading.Event`) is waited for at the end of the work, before
    /// Rust takes the GIL back: gil_demo.py sets it when its Python thread has
    /// finished, so its printed order never depends on timing. (Its `wait()` lets go
    /// of the GIL while it waits.)
    #[pyfunction]
    #[pyo3(signature = (numbers, result, idx, work_seconds = 1.0, on_release = None, wait_for = None))]
    fn double_list_detached(
        py: Python<'_>,
        numbers: Vec<i64>,
        result: Bound<'_, PyList>,
        idx: usize,
        work_seconds: f64,
        on_release: Option<Bound<'_, PyAny>>,
        wait_for: Option<Py<PyAny>>,
    ) -> PyResult<()> {
        let work = seconds("work_seconds", work_seconds)?;
        say("Rust: Enter double_list_detached...");
        say("Rust: Release GIL...");
        if let Some(on_release) = &on_release {
            on_release.call0()?;
        }
        let doubled = py.detach(move || {
            // No GIL here: plain Rust work, and Python threads keep running.
            thread::sleep(work);
            let doubled = doubled(&numbers)?;
            if let Some(event) = wait_for {
                Python::attach(|py| event.bind(py).call_method0("wait").map(drop))?;
            }
            Ok::<_, PyErr>(doubled)
        })?;
        say("Rust: Acquire GIL...");
        say("Rust: Exit...");
        result.set_item(idx, PyList::new(py, doubled)?)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// fib(0..n) computed iteratively, as a reference for the naive recursion.
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
            // A failed unwrap formats the PyErr, which needs the interpreter.
            Python::initialize();
            assert_eq!(run(0).unwrap(), 0);
            assert_eq!(run(1).unwrap(), 1);
            assert_eq!(run(2).unwrap(), 1);
            assert_eq!(run(10).unwrap(), 55);
            assert_eq!(run(25).unwrap(), 75_025);
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
            Python::initialize();
            assert_eq!(checked(0).unwrap(), 0);
            assert_eq!(checked(1).unwrap(), 1);
            assert_eq!(checked(93).unwrap(), 93);
        }

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

        #[test]
        fn run_detached_agrees_with_run() {
            Python::initialize();
            Python::attach(|py| {
                for n in 0..25 {
                    assert_eq!(run_detached(py, n).unwrap(), run(n).unwrap());
                }
                let err = run_detached(py, -5).unwrap_err();
                assert!(err.is_instance_of::<PyValueError>(py));
                let err = run_detached(py, 94).unwrap_err();
                assert!(err.is_instance_of::<PyOverflowError>(py));
            });
        }

        #[test]
        fn doubled_doubles_and_refuses_an_overflow() {
            Python::initialize();
            assert_eq!(doubled(&[1, -2, 3]).unwrap(), [2, -4, 6]);
            assert!(doubled(&[i64::MAX / 2 + 1]).is_err());
        }
    }
}
