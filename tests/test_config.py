"""Configuration: discovery (closest wins), validation (one-line errors), selection, globs."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.project.config import (
    Config,
    ConfigError,
    ConfigResolver,
    describe,
    find_config,
    glob_match,
    is_included,
    load_config,
    rule_enabled,
    with_overrides,
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults():
    config = load_config(None)
    assert config == Config()
    assert config.select == ["CC"] and config.ignore == [] and config.fail_on == "unsupported"
    assert config.min_confidence == 0.0 and config.format == "text" and config.exclude == []
    assert config.include == ["**/*.txt", "**/*.text", "**/*.md", "**/*.markdown", "**/*.mdx", "**/*.html", "**/*.htm"]
    assert set(config.sources.values()) == {"default"}


def test_find_config_closest_wins_and_claimcheck_toml_before_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.claimcheck]\nfail-on = 'mixed'\n")
    page = write(tmp_path / "site" / "blog" / "post.md", "x")
    assert find_config(page) == (tmp_path / "pyproject.toml").resolve()
    # A pyproject.toml without our table is not a config file.
    write(tmp_path / "site" / "pyproject.toml", "[tool.black]\nline-length = 80\n")
    assert find_config(page) == (tmp_path / "pyproject.toml").resolve()
    # Closer claimcheck.toml wins; in one folder claimcheck.toml beats pyproject.toml.
    write(tmp_path / "site" / "blog" / "pyproject.toml", "[tool.claimcheck]\n")
    assert find_config(page) == (tmp_path / "site" / "blog" / "pyproject.toml").resolve()
    write(tmp_path / "site" / "blog" / "claimcheck.toml", "")
    assert find_config(page) == (tmp_path / "site" / "blog" / "claimcheck.toml").resolve()
    # A folder works as a start too.
    assert find_config(tmp_path / "site") == (tmp_path / "pyproject.toml").resolve()


def test_find_config_none(tmp_path):
    page = write(tmp_path / "a" / "page.md", "x")
    found = find_config(page)
    assert found is None or not found.is_relative_to(tmp_path)


def test_load_pyproject_values_and_sources(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = write(
        tmp_path / "pyproject.toml",
        """
[project]
name = "site"

[tool.claimcheck]
evidence = ["evidence", "/abs/evidence"]
select = ["CC1", "cc3"]
ignore = ["CC103"]
per-file-ignores = { "legacy/**" = ["CC2"], "*.txt" = ["CC"] }
include = ["**/*.md"]
exclude = ["drafts"]
fail-on = "mixed"
min-confidence = 0.5
format = "json"
min-verdict = "unsupported"
""",
    )
    config = load_config(cfg)
    assert config.evidence == [(tmp_path / "evidence").resolve(), Path("/abs/evidence")]
    assert config.select == ["CC1", "CC3"] and config.ignore == ["CC103"]
    assert config.per_file_ignores == {"legacy/**": ["CC2"], "*.txt": ["CC"]}
    assert config.fail_on == "mixed" and config.min_confidence == 0.5 and config.format == "json"
    assert config.sources["fail_on"] == "pyproject.toml:tool.claimcheck.fail-on"
    assert config.sources["per_file_ignores"] == "pyproject.toml:tool.claimcheck.per-file-ignores"
    assert config.root == tmp_path.resolve()
    text = describe(config)
    assert len(text.splitlines()) == 10
    assert 'min-verdict = "unsupported"  (from pyproject.toml:tool.claimcheck.min-verdict)' in text
    assert 'fail-on = "mixed"  (from pyproject.toml:tool.claimcheck.fail-on)' in text
    assert "min-confidence = 0.5  (from pyproject.toml:tool.claimcheck.min-confidence)" in text


def test_claimcheck_toml_snake_case_and_alias(tmp_path):
    cfg = write(tmp_path / "claimcheck.toml", "fail_on = 'never'\noutput-format = 'json'\nmin_confidence = 1\n")
    config = load_config(cfg)
    assert config.fail_on == "never" and config.format == "json" and config.min_confidence == 1.0
    assert config.sources["format"].endswith("claimcheck.toml:output-format")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("colour = 'red'", "pyproject.toml: tool.claimcheck.colour: unknown key"),
        ("fail-on = 'sometimes'", 'pyproject.toml: tool.claimcheck.fail-on: "sometimes" is not one of'),
        ("min-confidence = 2", "pyproject.toml: tool.claimcheck.min-confidence: expected a number from 0 to 1"),
        ("min-confidence = true", "tool.claimcheck.min-confidence: expected a number"),
        ("select = 'CC1'", "pyproject.toml: tool.claimcheck.select: expected a list of strings"),
        ("ignore = ['CC1', 'E501']", "pyproject.toml: tool.claimcheck.ignore[1]: 'E501' is not a rule code"),
        ("evidence = [1]", "tool.claimcheck.evidence: expected a list of strings"),
        ("per-file-ignores = ['x']", "tool.claimcheck.per-file-ignores: expected a table"),
        ("per-file-ignores = { 'a/*' = ['XX'] }", "tool.claimcheck.per-file-ignores.\"a/*\"[0]: 'XX'"),
        ("format = 'xml'", 'tool.claimcheck.format: "xml" is not one of'),
        ("min-verdict = 'all'", 'tool.claimcheck.min-verdict: "all" is not one of supported, mixed, unsupported'),
        ("fail-on = 'mixed'\nfail_on = 'any'", "tool.claimcheck.fail_on: same setting as tool.claimcheck.fail-on"),
    ],
)
def test_errors_are_one_line_naming_file_and_key(tmp_path, monkeypatch, body, expected):
    monkeypatch.chdir(tmp_path)
    cfg = write(tmp_path / "pyproject.toml", f"[tool.claimcheck]\n{body}\n")
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("pyproject.toml: tool.claimcheck.") and expected in message, message


def test_invalid_toml_names_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = write(tmp_path / "claimcheck.toml", "select = ['CC'\nfail-on = \n")
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    message = str(info.value)
    assert message.startswith("claimcheck.toml: invalid TOML:") and "line" in message and "\n" not in message


def test_invalid_pyproject_with_our_table_fails_discovery(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.claimcheck\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        find_config(tmp_path / "page.md")


def test_broken_unrelated_pyproject_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.black\n")
    found = find_config(tmp_path / "page.md")
    assert found is None or not found.is_relative_to(tmp_path)


def test_overrides_record_command_line():
    config = with_overrides(Config(), fail_on="never", min_confidence=None, format="json")
    assert config.fail_on == "never" and config.format == "json"
    assert config.sources["fail_on"] == "command line" and config.sources["min_confidence"] == "default"
    with pytest.raises(ConfigError, match="command line: fail-on"):
        with_overrides(Config(), fail_on="loud")


def test_resolver_caches_per_file_and_explicit_overrides(tmp_path):
    write(tmp_path / "a" / "claimcheck.toml", "fail-on = 'mixed'\n")
    write(tmp_path / "b" / "claimcheck.toml", "fail-on = 'any'\n")
    resolver = ConfigResolver(format="json")
    a, b = resolver.for_path(tmp_path / "a" / "x.md"), resolver.for_path(tmp_path / "b" / "y.md")
    assert (a.fail_on, b.fail_on) == ("mixed", "any") and a.format == b.format == "json"
    assert resolver.for_path(tmp_path / "a" / "z.md") is a
    explicit = ConfigResolver(explicit=tmp_path / "b" / "claimcheck.toml")
    assert explicit.for_path(tmp_path / "a" / "x.md").fail_on == "any"


@pytest.mark.parametrize(
    ("select", "ignore", "code", "enabled"),
    [
        (["CC"], [], "CC101", True),
        (["CC"], ["CC1"], "CC101", False),
        (["CC"], ["CC1"], "CC201", True),
        (["CC1"], [], "CC201", False),  # not selected
        (["CC1"], ["CC1"], "CC101", False),  # equal length: ignore wins
        (["CC", "CC101"], ["CC1"], "CC101", True),  # the more specific select wins
        (["CC", "CC101"], ["CC1"], "CC102", False),
        (["CC1"], ["CC"], "CC101", True),  # the more specific select wins over a broad ignore
        (["CC101"], ["CC101"], "CC101", False),
        ([], [], "CC101", False),
    ],
)
def test_rule_enabled_select_ignore(select, ignore, code, enabled):
    assert rule_enabled(Config(select=select, ignore=ignore), code) is enabled


def test_per_file_ignores(tmp_path):
    config = Config(per_file_ignores={"legacy/**": ["CC2"], "*.txt": ["CC"]}, root=tmp_path)
    assert not rule_enabled(config, "CC201", tmp_path / "legacy" / "old" / "page.md")
    assert rule_enabled(config, "CC101", tmp_path / "legacy" / "old" / "page.md")
    assert not rule_enabled(config, "CC101", tmp_path / "notes" / "a.txt")
    assert rule_enabled(config, "CC101", tmp_path / "notes" / "a.md")


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("**/*.md", "a.md", True),
        ("**/*.md", "x/y/a.md", True),
        ("*.md", "x/a.md", True),
        ("docs/*.md", "docs/a/b.md", False),
        ("docs/**", "docs/a/b.md", True),
        ("drafts", "content/drafts/a.md", True),
        ("content/drafts", "content/drafts/a.md", True),
        ("content/drafts", "other/content/drafts/a.md", False),
        ("[a-c]*.md", "b.md", True),
        ("[!a-c]*.md", "b.md", False),
        ("?.md", "ab.md", False),
    ],
)
def test_glob_match(pattern, path, matches):
    assert glob_match(pattern, path) is matches


def test_is_included(tmp_path):
    config = Config(exclude=["drafts", "archive/**"], root=tmp_path)
    assert is_included(config, tmp_path / "blog" / "post.md")
    assert is_included(config, tmp_path / "blog" / "post.HTM")  # the default: every checked suffix, any case
    assert is_included(config, tmp_path / "blog" / "post.mdx") and is_included(config, tmp_path / "notes.text")
    htm = Config(include=["**/*.htm"], root=tmp_path)
    assert is_included(htm, tmp_path / "blog" / "post.HTM") is False  # globs are case-sensitive
    assert is_included(config, tmp_path / "page.htm")
    assert not is_included(config, tmp_path / "blog" / "post.pdf")
    assert not is_included(config, tmp_path / "blog" / "drafts" / "post.md")
    assert not is_included(config, tmp_path / "archive" / "2019" / "post.md")
    # An include pattern without "/" matches file names, not folder names.
    assert not is_included(Config(include=["*.md"], root=tmp_path), tmp_path / "x.md" / "notes.txt")
    # An explicit root beats the config's.
    assert not is_included(Config(include=["blog/*.md"]), tmp_path / "blog" / "a.md", root=tmp_path.parent)
    assert is_included(Config(include=["blog/*.md"]), tmp_path / "blog" / "a.md", root=tmp_path)
