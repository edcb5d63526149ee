"""The load benchmark's pure helpers: wrk's result line, Lua data, verdicts, results file."""

import pytest

from bench.load.client import Session
from bench.load.pages import PAGE_TARGET, Page, Request, split, split_pairs
from bench.load.summary import Row, table
from bench.load.wrk import Result, lua_page, lua_string, parse_output
from bench.report import write_section

LINE = ('{"wrk": 1, "requests": 500, "duration_us": 10000000, "p50_us": 12000, '
        '"p95_us": 40000, "p99_us": 90000, "max_us": 120000, "socket_errors": 1, '
        '"problems": {"HTTP 302": 2}, "example": null}')


def result(per_second: float, p99_ms: float, problems=None) -> Result:
    return Result(requests=int(per_second * 10), seconds=10.0, p50_ms=1.0, p95_ms=2.0,
                  p99_ms=p99_ms, socket_errors=0, problems=problems or {})


def test_parse_output_reads_the_json_line_among_wrks_own():
    parsed = parse_output("Running 10s test @ http://127.0.0.1:1\n" + LINE + "\n")
    assert parsed.per_second == 50
    assert (parsed.p50_ms, parsed.p95_ms, parsed.p99_ms) == (12, 40, 90)
    assert parsed.errors == 3


def test_parse_output_without_a_result_line_raises():
    with pytest.raises(RuntimeError, match="no result"):
        parse_output("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_lua_strings_escape_quotes_newlines_and_non_ascii():
    assert lua_string('a"b\\c\n') == '"a\\034b\\092c\\010"'
    assert lua_string("é") == '"\\195\\169"'


def test_lua_page_lists_each_threads_requests():
    page = Page("p", [[Request("GET", "/a", {"Cookie": "s=1"})],
                      [Request("POST", "/b", {}, "x=1")]], "ok", None)
    text = lua_page(page)
    assert text.startswith("return {") and 'expect = "ok"' in text
    assert '{method = "GET", path = "/a", headers = {["Cookie"] = "s=1"}, body = nil}' in text
    assert 'body = "x=1"' in text


def test_requests_are_dealt_to_threads_and_pairs_keep_a_person_on_one_thread():
    requests = [Request("GET", f"/{n}") for n in range(5)]
    assert [len(t) for t in split(requests, 2)] == [3, 2]
    assert split(requests[:1], 2) == [requests[:1], requests[:1]]
    people = [Session(f"p{n}", f"c{n}", "t") for n in range(3)]
    threads = split_pairs([(p, o) for p in people for o in (1, 2)], 2)
    assert [{p.email for p, _ in t} for t in threads] == [{"p0", "p2"}, {"p1"}]


def test_verdicts_against_the_ceiling():
    ceiling = Row(Page("hello", [], None, None), result(1000, 10))
    fast = Row(Page("fast", [], None, PAGE_TARGET), result(150, 100))
    slow = Row(Page("slow", [], None, PAGE_TARGET), result(50, 300))
    broken = Row(Page("broken", [], None, PAGE_TARGET), result(500, 5, {"HTTP 302": 4}))
    assert fast.verdict(1000) == "pass"
    assert slow.verdict(1000) == "miss (5% of ceiling, p99 300 ms)"
    assert broken.verdict(1000).startswith("**FAILED**: 4× HTTP 302")
    assert broken.failed and not fast.failed
    rendered = table([ceiling, fast, slow, broken])
    assert "| fast | 150 | 1.0 | 2.0 | 100.0 | 15% | 0 |" in rendered


def test_a_section_replaces_only_its_own_databases(tmp_path):
    path = tmp_path / "load.md"
    write_section(path, "# Title", "## SQLite 3\n\nold\n")
    write_section(path, "# Title", "## PostgreSQL 15\n\npg\n")
    write_section(path, "# Title", "## SQLite 3.4\n\nnew\n")
    text = path.read_text()
    assert text.startswith("# Title\n\n## PostgreSQL 15")
    assert "new" in text and "pg" in text and "old" not in text
