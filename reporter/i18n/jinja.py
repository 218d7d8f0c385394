"""The one Jinja2 environment factory, for the report, the portal and the e-mail templates.

Each tree of ``templates/`` is rendered with the catalog of its gettext domain installed,
autoescape on for HTML and XML (data can never inject markup), and one policy for what is not
there (``DataUndefined``). Compiled templates are kept in the cache folder
(``CompiledTemplates``).
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket
from jinja2.utils import missing

from reporter import resources
from reporter.i18n.catalogs import get_translations

#: The gettext domain of each template tree.
TREE_DOMAINS: Mapping[str, str] = {"report": "messages", "portal": "portal", "mail": "portal"}


def _is_data(obj: object) -> bool:
    """Whether ``obj`` is figures the template reads (report.json-like data), where a key
    may be absent, rather than a variable or one of the code's own objects."""
    return obj is None or isinstance(obj, Mapping | list | tuple | jinja2.Undefined)


class DataUndefined(jinja2.ChainableUndefined):
    """What a template reads that is not there.

    A key missing from the data (a dict, a list, or under a null) is a missing figure: it chains
    to an empty, false value that the filters show as "—", as a report with null figures must
    render. A name the renderer did not pass, or an attribute one of the code's own objects
    (dataclasses) lacks, is a bug in the template or the code: it fails loudly, at once.
    """

    __slots__ = ()

    def _check(self) -> None:
        if self._undefined_obj is missing or not _is_data(self._undefined_obj):
            self._fail_with_undefined_error()

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        self._check()
        return self

    # Jinja types Undefined.__getitem__ as always raising (-> Never); this one returns itself
    # for a lookup into data, as Jinja's own ChainableUndefined does (with the same ignore).
    def __getitem__(self, _name: str) -> DataUndefined:  # type: ignore[override]
        self._check()
        return self

    def __str__(self) -> str:
        self._check()
        return ""

    def __html__(self) -> str:
        return str(self)

    def __iter__(self) -> Any:
        self._check()
        return iter(())

    def __len__(self) -> int:
        self._check()
        return 0

    def __bool__(self) -> bool:
        self._check()
        return False

    def __eq__(self, other: object) -> bool:
        self._check()
        return type(self) is type(other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return id(type(self))


class CompiledTemplates(jinja2.BytecodeCache):
    """Each template's compiled code, kept in the cache folder: a run loads it instead of
    parsing and compiling the template again, which took a quarter of a second of every run.

    Jinja checks the template's source against the checksum kept with the code and compiles
    again when it changed. The folder is named by Jinja's version and Python's, since the code
    is Python bytecode written by that Jinja; every environment shares it, which holds because
    ``make_environment`` gives them all the same compile options. A folder that cannot be read
    or written, or a damaged file, costs the compile and nothing else."""

    def folder(self) -> Path:
        """Looked up at each use: the cache folder can change during a process (tests)."""
        version = f"jinja-{jinja2.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}"
        return resources.cache_dir() / "templates" / version

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self.folder() / f"{bucket.key}.bin"
        try:
            if not path.is_file():  # not there yet (or not a file: never read a pipe)
                return
            data = path.read_bytes()
        except OSError:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # a damaged file: compile as if it were not there
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            resources.keep_in_cache(self.folder() / f"{bucket.key}.bin",
                                    bucket.bytecode_to_string())


def make_environment(
    tree: str,
    locale: str,
    *,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    globals: Mapping[str, Any] | None = None,
) -> jinja2.Environment:
    """A new environment for ``templates/<tree>`` in ``locale``, with ``filters`` and
    ``globals`` added (callers that add their own cache the result)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.templates_dir(tree))),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=DataUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=CompiledTemplates(),
    )
    translations = get_translations(TREE_DOMAINS[tree], locale)
    # added to the environment at run time by the i18n extension: not in Jinja's types
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(filters or {})
    env.globals.update(globals or {})
    return env


@functools.lru_cache(maxsize=16)
def environment(tree: str, locale: str) -> jinja2.Environment:
    """The shared environment of ``templates/<tree>`` in ``locale``, built once."""
    return make_environment(tree, locale)
