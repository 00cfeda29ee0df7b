{% if lang_ko -%}
//! GIL 데모의 러스트 코드: GIL을 놓고 계산하는 `run_detached`, 그리고 gil_demo.py의 2막에서
//! 파이썬 스레드 옆에서 도는 `double_list`(1막: 강의 그대로 GIL을 쥔 채)와
//! `double_list_detached`(2막: GIL을 놓고). 세 함수 모두 src/lib.rs의 모듈이 내보냅니다.
{%- else -%}
//! The GIL demo's Rust code: `run_detached`, which computes with the GIL released, and
//! the two functions that run beside a Python thread in gil_demo.py's two acts,
//! `double_list` (act 1, the course's, holding the GIL) and `double_list_detached`
//! (act 2, with the GIL released). The module in src/lib.rs exports all three.
{%- endif %}

use pyo3::exceptions::{PyOverflowError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;
use std::io::Write;
use std::thread;
use std::time::Duration;

use crate::{{module_name}}::{checked, fib};

{% if lang_ko -%}
/// `run`처럼 fib(n)을 계산하되, 러스트가 계산하는 동안 GIL을 놓습니다. 그동안 다른 파이썬
/// 스레드가 돌고, 여러 호출이 여러 코어에서 동시에 돕니다.
{%- else -%}
/// fib(n) like `run`, but with the GIL released while Rust computes, so other
/// Python threads run meanwhile (and several calls run on several cores).
{%- endif %}
#[pyfunction]
pub fn run_detached(py: Python<'_>, n: i64) -> PyResult<u64> {
    let n = checked(n)?;
    Ok(py.detach(move || fib(n)))
}

{% if lang_ko -%}
/// 1막, 강의의 `double_list`: `numbers`를 두 배로 만들어 `result[idx]`에 넣고, 그동안 내내
/// GIL을 쥐고 있습니다.
///
/// `#[pyfunction]`은 GIL을 쥔 채(파이썬에 붙은 채) 실행되고, 여기서는 아무것도 GIL을 놓지
/// 않습니다. `Python::attach`는 이 호출이 이미 쥔 GIL을 다시 잡을 뿐입니다. 강의의
/// `Python::with_gil`도 그랬습니다. "Acquire GIL..."을 찍은 다음 `on_hold`를(주어졌으면)
/// 부르고 `hold_seconds` 동안 GIL을 쥐고 있으므로, 그동안 모든 파이썬 스레드가 기다립니다.
{%- else -%}
/// Act 1 of the GIL demo, the course's `double_list`: doubles `numbers` into
/// `result[idx]`, holding the GIL the whole time.
///
/// A `#[pyfunction]` runs with the GIL held (attached to Python), and nothing here
/// lets go of it: `Python::attach` only re-enters the GIL this call already holds,
/// as `Python::with_gil` did in the course. After printing "Acquire GIL...", it
/// calls `on_hold` (if given) and holds the GIL for `hold_seconds`; every Python
/// thread waits meanwhile.
{%- endif %}
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
        {% if lang_ko -%}
        // GIL을 쥐고 있습니다: 이 함수가 돌아갈 때까지 모든 파이썬 스레드가 기다립니다.
        {%- else -%}
        // Holding the GIL: every Python thread waits until this returns.
        {%- endif %}
        thread::sleep(hold);
        let doubled = PyList::new(py, doubled)?;
        say("Rust: Exit...");
        result.set_item(idx, doubled)
    })
}

{% if lang_ko -%}
/// 2막, 강의가 뜻한 것: 같은 두 배 계산을 하되, 러스트의 `work_seconds` 동안의 일을 GIL을
/// 놓고(`py.detach`) 하므로 그동안 파이썬 스레드가 돕니다.
///
/// `on_release`는(주어졌으면) GIL을 놓기 직전에 부릅니다. `wait_for`는(주어졌으면
/// `threading.Event`) 일이 끝난 뒤, 러스트가 GIL을 다시 잡기 전에 기다립니다.
/// gil_demo.py는 파이썬 스레드가 끝나면 이 이벤트를 설정하므로, 찍히는 순서가 타이밍에
/// 기대지 않습니다. (이벤트의 `wait()`는 기다리는 동안 GIL을 놓습니다.)
{%- else -%}
/// Act 2 of the GIL demo, what the course meant: the same doubling, with Rust's
/// `work_seconds` of work done with the GIL released (`py.detach`), so that Python
/// threads run during it.
///
/// `on_release` (if given) is called just before the GIL is released. `wait_for`
/// (if given, a `threading.Event`) is waited for at the end of the work, before
/// Rust takes the GIL back: gil_demo.py sets it when its Python thread has
/// finished, so its printed order never depends on timing. (Its `wait()` lets go
/// of the GIL while it waits.)
{%- endif %}
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
        {% if lang_ko -%}
        // 여기에는 GIL이 없습니다: 순수한 러스트의 일이고, 파이썬 스레드는 계속 돕니다.
        {%- else -%}
        // No GIL here: plain Rust work, and Python threads keep running.
        {%- endif %}
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

{% if lang_ko -%}
/// GIL 데모의 한 줄을 찍습니다. `println!`과 달리 stdout이 닫혀 있어도(예를 들어 `head`로
/// 파이프했을 때) 패닉하지 않고, 데모는 계속됩니다.
{%- else -%}
/// Prints one line of the GIL demo. Unlike `println!`, it does not panic when
/// stdout has been closed (say, piped into `head`): the demo just goes on.
{%- endif %}
fn say(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

{% if lang_ko -%}
/// 초 단위의 수를 `Duration`으로 바꾸거나, 인자의 이름을 밝힌 ValueError를 냅니다.
{%- else -%}
/// A number of seconds as a `Duration`, or ValueError naming the argument.
{%- endif %}
fn seconds(name: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        PyValueError::new_err(format!("{name} must be a finite number >= 0, got {value}"))
    })
}

{% if lang_ko -%}
/// `numbers`의 각 수를 두 배로 만듭니다. 64비트를 넘는 수가 있으면 OverflowError.
{%- else -%}
/// `numbers`, each doubled, or OverflowError if one does not fit in 64 bits.
{%- endif %}
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

    {% if lang_ko -%}
    /// 파이썬을 부르는 테스트 (src/lib.rs의 같은 이름의 모듈을 보세요).
    {%- else -%}
    /// The tests that call into Python (see the module of the same name in src/lib.rs).
    {%- endif %}
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
    #[ignore = "{% if lang_ko %}PyPy는 테스트 바이너리에 임베드할 수 없습니다: 파이썬을 부르는 테스트는 CPython에서 실행됩니다{% else %}PyPy cannot be embedded in a test binary: the tests that call into Python run on CPython{% endif %}"]
    fn tests_that_call_into_python() {}
}
