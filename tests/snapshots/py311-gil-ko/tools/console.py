"""한국어 출력이 어느 콘솔에서도 깨지지 않게 합니다: 스크립트들이 맨 먼저 부릅니다.

파이썬 3.15 이전의 윈도우는 출력을 파이프나 파일로 보낼 때(`python main.py > out.txt`,
GitHub Actions의 로그) 시스템의 코드 페이지로 씁니다. 영어 윈도우의 cp1252에는 한글이
없어서, 한글을 찍는 순간 UnicodeEncodeError로 스크립트가 멈춥니다. 그런 출력에서는 UTF-8로
씁니다(파이썬 3.15부터는 이것이 기본입니다, PEP 686). 한글을 쓸 수 있는 출력(한국어
윈도우의 cp949, 대부분의 터미널)은 그대로 둡니다.
"""

from __future__ import annotations

import io
import sys


def utf8_output() -> None:
    """한글을 쓸 수 없는 stdout과 stderr를 UTF-8로 바꿉니다."""
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue
        try:
            "한글".encode(stream.encoding)
        except UnicodeEncodeError:
            stream.reconfigure(encoding="utf-8")
