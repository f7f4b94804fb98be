"""The writer registry is the one source of the format list: CLI help, README table, kind checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from simvision.errors import UserError
from simvision.pipeline import check_formats
from simvision.registry import generator_names, get_generator
from simvision.writers.registry import format_help, markdown_table, writers

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_format_table_is_the_registry():
    assert markdown_table() in README.read_text(encoding="utf-8"), (
        "README table: run `simvision formats --markdown`"
    )


def test_every_writer_is_in_the_format_help():
    assert all(name in format_help() for name in writers())


def test_kind_specific_writers_are_refused_for_other_kinds():
    for kind_name in generator_names():
        kind = get_generator(kind_name)
        for name, w in writers().items():
            if w.supports(kind):
                assert check_formats(name, kind_name) == (name,)
            else:
                with pytest.raises(UserError, match=f"not for {kind.name}"):
                    check_formats(name, kind_name)


def test_every_kind_formats_entry_is_a_registered_writer():
    for kind_name in generator_names():
        assert get_generator(kind_name).formats <= set(writers()), kind_name
