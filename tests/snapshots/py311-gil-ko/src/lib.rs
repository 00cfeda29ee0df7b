//! gil: 파이썬에서 부르는 러스트 코드. PyO3로 바인딩을 만들고 maturin으로 빌드합니다.

use pyo3::prelude::*;

// GIL 데모: 아래의 모듈이 그 함수들을 내보냅니다.
mod gil_demo;

/// 피보나치 수를 러스트로 계산합니다.
///
/// 모듈 이름은 Cargo.toml의 `[lib] name`과 같아야 합니다. 파이썬은 import하는
/// 라이브러리에서 `PyInit_gil`을 찾습니다.
///
/// `gil_used = false`는 이 모듈이 프리스레드 파이썬(GIL 없이 실행되는 3.14t 이후)에서도
/// 안전하다는 선언입니다. 모듈에는 자기 상태가 없고 모든 함수는 인자만 다루므로, 여러
/// 스레드가 동시에 불러도 경쟁이 생기지 않습니다. (PyO3 0.28부터 기본값이지만 약속이라서
/// 적어 둡니다. 공유되는 변경 가능한 상태를 더하는 모듈은 이 약속을 지키거나
/// `gil_used = true`라고 써야 하고, 그러면 프리스레드 파이썬은 모듈을 import할 때 GIL을
/// 다시 켭니다.)
#[pymodule(gil_used = false)]
mod gil {
    use pyo3::exceptions::{PyOverflowError, PyValueError};
    use pyo3::prelude::*;

    /// 패키지의 버전 (Cargo.toml의 버전이고, maturin이 휠에도 씁니다).
    #[pymodule_export]
    #[allow(non_upper_case_globals)]
    const __version__: &str = env!("CARGO_PKG_VERSION");

    /// 피보나치 수가 64비트에 들어가는 가장 큰 `n`:
    /// fib(93) = 12200160415121876738 < 2**64 <= fib(94).
    #[pymodule_export]
    const MAX_N: u64 = 93;

    /// 최적화하지 않은 빌드(`maturin develop`)이면 True, 릴리즈 빌드(`maturin develop
    /// --release`, `maturin build --release`)이면 False.
    #[pymodule_export]
    const DEBUG_BUILD: bool = cfg!(debug_assertions);

    /// 일부러 고른 단순한 이중 재귀 정의입니다. 이것이 벤치마크이고, main.py는 똑같은
    /// 알고리즘을 파이썬으로 실행합니다.
    pub(crate) fn fib(n: u64) -> u64 {
        match n {
            0 => 0,
            1 => 1,
            _ => fib(n - 1) + fib(n - 2),
        }
    }

    /// 계산을 시작하기 전에 `n`을 검사합니다. 음수 `n`의 피보나치 수는 없고, `MAX_N`보다
    /// 큰 `n`은 사실상 끝나지 않는 계산 끝에 `u64`를 넘칩니다.
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

    /// 단순 재귀로 fib(n)을 러스트에서 계산합니다. 실행하는 동안 GIL을 쥐고 있습니다.
    #[pyfunction]
    fn run(n: i64) -> PyResult<u64> {
        checked(n).map(fib)
    }

    // GIL 데모의 함수들: src/gil_demo.rs에 있습니다.
    #[pymodule_export]
    use crate::gil_demo::{double_list, double_list_detached, run_detached};

    #[cfg(test)]
    mod tests {
        use super::*;

        /// 단순 재귀와 비교할 기준: fib(0..count)를 반복문으로 계산합니다.
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
            // 반복문으로 셉니다. 단순 재귀로는 n = 93이 끝나지 않습니다.
            let (mut a, mut b, mut n) = (0u64, 1u64, 0u64);
            while let Some(next) = a.checked_add(b) {
                (a, b, n) = (b, next, n + 1);
            }
            // 여기서 b = fib(n + 1)이고 fib(n + 2)는 넘칩니다.
            assert_eq!(n + 1, MAX_N);
            assert_eq!(MAX_N, 93);
            assert_eq!(b, 12_200_160_415_121_876_738);
            assert_eq!(reference(94)[93], 12_200_160_415_121_876_738);
        }

        #[test]
        fn checked_accepts_every_n_from_0_to_max_n() {
            // `run`은 `checked`가 n을 받아들인 다음에야 단순 재귀를 부르고, run(93)은
            // 기다릴 수 없을 만큼 오래 걸립니다: 경계는 여기서 증명합니다.
            for n in [0, 1, 93] {
                assert_eq!(checked(n).ok(), Some(n as u64), "{n}");
            }
        }

        /// 파이썬을 부르는 테스트: 예외의 종류와 메시지를 보려면 인터프리터가 있어야
        /// 하므로, 각 테스트는 먼저 테스트 바이너리 안에 인터프리터를 띄웁니다
        /// (`Python::initialize`). PyPy는 이렇게 임베드할 수 없어서 PyPy에서는 컴파일되지
        /// 않고, 그 대신 무시된 테스트 하나가 이유를 알립니다.
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
        #[ignore = "PyPy는 테스트 바이너리에 임베드할 수 없습니다: 파이썬을 부르는 테스트는 CPython에서 실행됩니다"]
        fn tests_that_call_into_python() {}
    }
}
