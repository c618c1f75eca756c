"""Input quoted in messages: escaped, shortened, one line, in the engine's errors and the CLI's (issue 8, item 4)."""

import contextlib
import io
import json

import pytest

from nngui.cli.train import main as cli_main
from nngui.engine import Experiment, ExperimentError
from nngui.files import experiment_io
from nngui.engine.checks import MAX_MESSAGE, MAX_SHOWN, one_line, shown, shown_path

#: what a hostile key may hold: a newline, a terminal-title escape, a NUL, a right-to-left override
HOSTILE = "a\nb\x1b]0;pwned\x07c\x00d\u202ee"


def printable_line(text):
    return text.isprintable() and "\x1b" not in text


def test_control_characters_are_escaped_like_a_python_string():
    assert shown("a\nb") == "a\\nb"
    assert shown("\x1b]0;title\x07") == "\\x1b]0;title\\x07"
    assert shown("nul\x00") == "nul\\x00"
    assert shown("tab\there") == "tab\\there"
    assert shown("\u202e\u2028\x9b") == "\\u202e\\u2028\\x9b"  # bidi override, line separator, C1 CSI
    assert shown("back\\slash") == "back\\\\slash"  # so a real backslash-n differs from a newline
    assert shown("café ∑ 漢字") == "café ∑ 漢字"  # printable text stays as it is


def test_long_input_is_cut_with_an_ellipsis_without_reading_all_of_it():
    assert shown("x" * MAX_SHOWN) == "x" * MAX_SHOWN
    cut = shown("x" * 500_000)
    assert cut == "x" * (MAX_SHOWN - 1) + "…" and len(cut) == MAX_SHOWN
    # escapes count by what is shown, and are never cut in half
    cut = shown("\x1b" * 100)
    assert len(cut) <= MAX_SHOWN and cut.endswith("\\x1b…")


def test_a_long_path_keeps_its_start_and_its_file_name():
    path = "/home/" + "d" * 300 + "/lesson.json"
    text = shown_path(path)
    assert len(text) <= 120 and text.startswith("/home/ddd") and text.endswith("d/lesson.json") and "…" in text
    assert shown_path("/tmp/a\nb.json") == "/tmp/a\\nb.json"
    assert shown_path("C:\\Users\\x.json") == "C:\\Users\\x.json"


def test_one_line_escapes_what_is_left_and_caps_the_length_but_never_escapes_twice():
    assert one_line("field: bad\nvalue") == "field: bad\\nvalue"
    assert one_line(shown("a\nb")) == "a\\nb"
    assert len(one_line("y" * 10_000)) == MAX_MESSAGE


@pytest.mark.parametrize("key", [HOSTILE, "k" * 500_000])
def test_an_unknown_key_is_named_escaped_and_short(key):
    data = json.loads(experiment_io.dumps(Experiment()))
    data[key] = 1
    with pytest.raises(ExperimentError) as caught:
        experiment_io.read_dict(data)
    message = str(caught.value)
    assert printable_line(message) and len(message) <= MAX_MESSAGE
    assert message.startswith(shown(key) + ": unknown key (expected one of format, version")
    if key == HOSTILE:
        assert message.startswith("a\\nb\\x1b]0;pwned\\x07c\\x00d\\u202ee: unknown key")


def test_an_unknown_key_inside_a_section_is_escaped_too():
    data = json.loads(experiment_io.dumps(Experiment()))
    data["dataset"]["size\n"] = 1
    with pytest.raises(ExperimentError, match=r"^dataset\.size\\n: unknown key"):
        experiment_io.read_dict(data)


@pytest.mark.parametrize("key", [HOSTILE, "d" * 400_000])  # twice fits in 1 MB
def test_a_duplicate_key_is_named_escaped_and_short(key):
    text = experiment_io.dumps(Experiment()).replace('"seed": 0',
                                                     f'{json.dumps(key)}: 1, {json.dumps(key)}: 2, "seed": 0')
    with pytest.raises(ExperimentError) as caught:
        experiment_io.loads(text)
    message = str(caught.value)
    assert message == shown(key) + ": appears twice in the same object"
    assert printable_line(message) and len(message) <= MAX_MESSAGE


def test_a_file_name_with_control_characters_is_escaped_in_the_error(tmp_path):
    path = tmp_path / "evil\x1b]0;x\x07\n.json"
    path.write_text("{")
    with pytest.raises(ExperimentError) as caught:
        experiment_io.read(path)
    assert str(caught.value).startswith(shown_path(path) + ": invalid JSON")
    assert printable_line(str(caught.value))
    assert caught.value.source == str(path)  # the error still knows the real path


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("key", [HOSTILE, "k" * 500_000])
def test_the_cli_prints_one_short_escaped_line_for_a_hostile_key(tmp_path, key):
    data = json.loads(experiment_io.dumps(Experiment()))
    data[key] = 1
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data))
    code, out, err = run(["--config", str(path)])
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.endswith("\n")
    line = err[:-1]
    assert printable_line(line) and len(line) <= len("nngui train: error: ") + MAX_MESSAGE
    assert line.startswith(f"nngui train: error: {path}: {shown(key)}: unknown key")


@pytest.mark.parametrize("argv", [["\x1b]0;pwned\x07"], ["--optimizer", "\x1b[2J" + "a" * 500_000],
                                  ["--hidden", "1\n2"]])
def test_the_cli_escapes_words_that_argparse_quotes(argv):
    code, out, err = run(argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert printable_line(err[:-1]) and len(err) < 500
