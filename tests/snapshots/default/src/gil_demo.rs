//! The GIL demo's Rust code: `run_detached`, which computes with the GIL released, and
//! the two functions that run beside a Python thread in gil_demo.py's two acts,
//! `double_list` (act 1, the course's, holding the GIL) and `double_list_detached`
//! (act 2, with the GIL released). The module in src/lib.rs exports all three.

use pyo3::exceptions::{PyOverflowError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;
use std::io::Write;
use std::thread;
use std::time::Duration;

use crate::fib_demo::{checked, fib};

/// fib(n) like `run`, but with the GIL released while Rust computes, so other
/// Python threads run meanwhile (and several calls run on several cores).
#[pyfunction]
pub fn run_detached(py: Python<'_>, n: i64) -> PyResult<u64> {
    let n = checked(n)?;
    Ok(py.detach(move || fib(n)))
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
pub fn double_list(
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
pub fn double_list_detached(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubled_doubles_and_refuses_an_overflow() {
        assert_eq!(doubled(&[1, -2, 3]).ok(), Some(vec![2, -4, 6]));
        assert!(doubled(&[i64::MAX / 2 + 1]).is_err());
    }

    /// The tests that call into Python (see the module of the same name in src/lib.rs).
    #[cfg(not(PyPy))]
    mod calling_python {
        use super::*;

        #[test]
        fn run_detached_computes_fib_and_checks_n_like_run() {
            Python::initialize();
            Python::attach(|py| {
                for n in 0..25 {
                    assert_eq!(run_detached(py, n).unwrap(), fib(n as u64));
                }
                let err = run_detached(py, -5).unwrap_err();
                assert!(err.is_instance_of::<PyValueError>(py));
                let err = run_detached(py, 94).unwrap_err();
                assert!(err.is_instance_of::<PyOverflowError>(py));
            });
        }
    }

    #[cfg(PyPy)]
    #[test]
    #[ignore = "PyPy cannot be embedded in a test binary: the tests that call into Python run on CPython"]
    fn tests_that_call_into_python() {}
}
