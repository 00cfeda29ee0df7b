"""프로젝트의 도구: 강의의 코드가 아니라 그 코드를 빌드하고 검사하고 최신으로 유지하는 것들.

- check.py: `pipenv run check`, CI가 하는 검사 전부를 CI의 순서대로.
- cargo_env.py: `pipenv run cargo ...`, maturin이 빌드하는 환경 그대로의 cargo.
- mypy_hook.py: pre-commit의 mypy 훅 (PyPy에서는 해당 없음이라고 알립니다).
- test_wheel.py: 빌드한 휠을 새 가상환경에 설치해서 테스트합니다 (릴리즈 워크플로가 씁니다).
- update_template.py: `pipenv run update-template`, 템플릿의 이후 변경 사항을 가져옵니다.
- console.py: 한국어 출력이 어느 콘솔에서도 깨지지 않게 합니다.

`python -m tools.check`처럼 프로젝트 디렉터리에서 모듈로 실행합니다(Pipfile의 [scripts]).
"""
