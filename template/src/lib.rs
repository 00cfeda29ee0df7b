//! {{dist_name}}: Rust code called from Python, built by maturin with PyO3.

use pyo3::prelude::*;

/// Fibonacci numbers computed in Rust{% if gil_demo == "true" %}, with and without the GIL{% endif %}.
///
/// The module's name must match `[lib] name` in Cargo.toml: Python looks for
/// `PyInit_{{module_name}}` in the library it imports.
#[pymodule]
mod {{module_name}} {
    use pyo3::exceptions::{PyOverflowError, PyValueError};
    use pyo3::prelude::*;
{%- if gil_demo == "true" %}
    use pyo3::types::PyList;
    use std::io::Write;
    use std::thread;
    use std::time::Duration;
{%- endif %}

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

    /// fib(n) by the naive recursion, computed in Rust.{% if gil_demo == "true" %} Holds the GIL while it runs.{% endif %}
    #[pyfunction]
    fn run(n: i64) -> PyResult<u64> {
        checked(n).map(fib)
    }
{%- if gil_demo == "true" %}

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

    /// The course's GIL demo: doubles `numbers` into `result[idx]`.
    ///
    /// The doubling runs with the GIL released (`py.detach`); then the function takes
    /// the GIL back (`Python::attach`) and holds it for `hold_seconds`, standing in for
    /// work that needs it. gil_demo.py shows the effect on a Python thread beside it.
    #[pyfunction]
    #[pyo3(signature = (numbers, result, idx, hold_seconds = 1.0))]
    fn double_list(
        py: Python<'_>,
        numbers: Vec<i64>,
        result: Py<PyList>,
        idx: usize,
        hold_seconds: f64,
    ) -> PyResult<()> {
        let hold = Duration::try_from_secs_f64(hold_seconds).map_err(|_| {
            PyValueError::new_err(format!(
                "hold_seconds must be a finite number >= 0, got {hold_seconds}"
            ))
        })?;
        say("Rust: Enter double_list...");
        py.detach(move || {
            // No GIL here: plain Rust work, and Python threads keep running.
            let doubled = numbers
                .iter()
                .map(|x| x.checked_mul(2))
                .collect::<Option<Vec<i64>>>()
                .ok_or_else(|| PyOverflowError::new_err("a doubled number overflows 64 bits"))?;
            Python::attach(|py| {
                say("Rust: Acquire GIL...");
                // Holding the GIL: every Python thread waits until this returns.
                thread::sleep(hold);
                let doubled = PyList::new(py, doubled)?;
                say("Rust: Exit...");
                result.bind(py).set_item(idx, doubled)
            })
        })
    }
{%- endif %}

    #[cfg(test)]
    mod tests {
        use super::*;

        /// fib(0..n) computed iteratively, as a reference for the naive recursion.
        fn reference(count: u64) -> Vec<u64> {
            let (mut a, mut b) = (0u64, 1u64);
            (0..count)
                .map(|_| {
                    let current = a;
                    (a, b) = (b, a + b);
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
        fn max_n_is_the_last_n_whose_fibonacci_number_fits_in_u64() {
            // Iteratively: the naive recursion would never finish for n = 93.
            let (mut a, mut b, mut n) = (0u64, 1u64, 0u64);
            while let Some(next) = a.checked_add(b) {
                (a, b, n) = (b, next, n + 1);
            }
            // Here b = fib(n + 1) and fib(n + 2) overflows.
            assert_eq!(n + 1, MAX_N);
            assert_eq!(b, 12_200_160_415_121_876_738);
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
                let err = run(94).unwrap_err();
                assert!(err.is_instance_of::<PyOverflowError>(py));
                assert!(err.value(py).to_string().contains("n must be <= 93"));
            });
        }
{%- if gil_demo == "true" %}

        #[test]
        fn run_detached_agrees_with_run() {
            Python::initialize();
            Python::attach(|py| {
                for n in 0..25 {
                    assert_eq!(run_detached(py, n).unwrap(), run(n).unwrap());
                }
                let err = run_detached(py, -5).unwrap_err();
                assert!(err.is_instance_of::<PyValueError>(py));
            });
        }
{%- endif %}
    }
}
