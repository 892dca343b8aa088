"""The MkDocs plugin: ``plugins: [flowzap]`` and every ```` ```flowzap ```` fence becomes a diagram.

What it does, hook by hook:

- ``on_config``: checks the options, keeps one Renderer (so ``mkdocs serve`` rebuilds reuse its
  memory cache), adds our Markdown extension, and, when SuperFences is enabled, registers our
  fence in its ``custom_fences`` (then fences work in admonitions, tabs and lists too).
- ``on_page_markdown``: tells the fence formatter which page it is on (file name for messages,
  the raw file to find fence lines - read only if the page has a fence -, the page URL for
  ``img`` files, the page language).
- ``on_page_content``: a page that drew a diagram gets the tags of our stylesheet (and scripts)
  at the end of its content (:mod:`flowzap_docs.assets` says why there and not in ``<head>``).
- ``on_serve`` / ``on_post_build``: watches the ``src=`` files; writes those assets into the site
  when a page used them; logs the one summary line.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from flowzap_docs.assets import SITE_FOLDER, page_assets, page_tags, write_assets
from flowzap_docs.html import DEFAULT_FIT, FITS
from flowzap_docs.pipeline import Renderer, Translate
from flowzap_docs.site_i18n import mkdocs_translator, page_language, user_theme_language
from flowzap_docs.sources import site_folders

from .context import FlowZapContext, PageInfo, Settings, relative_url
from .extension import FlowZapExtension
from .fence import LANGUAGE, OUR_FORMATTERS, custom_fence
from .options import FORMATS, VIEWS, check_lang, check_theme

log = logging.getLogger("mkdocs.plugins.flowzap")

SUPERFENCES = "pymdownx.superfences"


class _Theme(c.Type):
    """A theme name the SVG core knows."""

    def __init__(self, default: str = "default"):
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        reason = check_theme(value)
        if reason:
            raise c.ValidationError(f"unknown theme {value!r}: {reason}")
        return value


class _Lang(c.Type):
    """A language code (``fr``, ``pt_BR``)."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        reason = check_lang(value)
        if reason:
            raise c.ValidationError(f"bad language {value!r}: {reason}")
        return value


class _CacheDir(c.BaseConfigOption[Any]):
    """A folder (relative to mkdocs.yml), or ``false`` to keep the cache in memory only."""

    def __init__(self, default: str = ".cache/flowzap"):
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str | None:
        if value is False or value is None:
            return None
        if value is True:
            return self.default
        if isinstance(value, str) and value.strip():
            return value
        raise c.ValidationError(f"expected a folder or false, not {value!r}")


class _Folders(c.BaseConfigOption[list[str]]):
    """A folder or a list of folders (relative ones from the folder of mkdocs.yml)."""

    def __init__(self) -> None:
        super().__init__()
        self.default: list[str] = []

    def run_validation(self, value: object) -> list[str]:
        if value is None:
            return []
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
            raise c.ValidationError(f"expected a folder or a list of folders, not {value!r}")
        return list(items)


#: What a refused ``src=`` suggests.
HOW_TO_ALLOW = ("src= files are read only inside docs_dir and the folder of mkdocs.yml; to allow another folder, "
                "list it under the flowzap plugin's base_path option in mkdocs.yml")


class FlowZapConfig(base.Config):
    view = c.Choice(VIEWS, default="workflow")
    theme = _Theme()
    format = c.Choice(FORMATS, default="inline")
    fit = c.Choice(FITS, default=DEFAULT_FIT)
    cache_dir = _CacheDir()
    locale_dir = c.Type(str, default="locales")
    lang = c.Optional(_Lang())
    zoom = c.Type(bool, default=True)
    base_path = _Folders()


class FlowZapPlugin(BasePlugin[FlowZapConfig]):
    """Persistent across ``mkdocs serve`` rebuilds (it defines ``on_startup``), like its Renderer."""

    def __init__(self) -> None:
        self.context: FlowZapContext | None = None
        self.extension: FlowZapExtension | None = None
        self.last_summary: str = ""
        self._server: Any = None
        self._watched: set[str] = set()
        self._page_ids: set[str] = set()
        self._asset_pages = 0  # pages of this build that link our assets
        self._viewer_pages = 0  # ... and the viewer's
        self._config_dir = os.getcwd()
        self._config_file: str | None = None
        self._dirty = False
        self._partial = False
        self._catalog_warnings: set[str] = set()
        # Facts of one build, found at their first use and forgotten at on_config/on_pre_build
        # (so `mkdocs serve` sees a changed mkdocs.yml or catalog, and each language build of
        # mkdocs-static-i18n its own theme language): not looked up again for every page or fence.
        self._theme_language: tuple[str | None, str | None] | None = None
        self._translators: dict[str | None, tuple[Translate | None, str]] = {}

    def _forget_build_facts(self) -> None:
        self._theme_language = None
        self._translators = {}

    # -- lifecycle ---------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Present so MkDocs keeps this object (and its in-memory cache) across rebuilds."""
        self._dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._forget_build_facts()
        self._config_file = os.path.abspath(config.config_file_path or "mkdocs.yml")
        self._config_dir = os.path.dirname(self._config_file)
        cache_dir = self.config.cache_dir
        if cache_dir is not None:
            cache_dir = os.path.normpath(os.path.join(self._config_dir, cache_dir))
        docs_dir = os.path.abspath(config.docs_dir)
        allowed = site_folders([docs_dir, self._config_dir], self.config.base_path, relative_to=self._config_dir,
                               how_to_allow=HOW_TO_ALLOW)
        settings = Settings(view=self.config.view, theme=self.config.theme, format=self.config.format,
                            fit=self.config.fit, lang=self.config.lang, base_dir=self._config_dir,
                            zoom=self.config.zoom, docs_dir=docs_dir, allowed=allowed)
        if self.context is None or self.context.renderer.cache_dir != cache_dir:
            # the cache's one warning (an unwritable folder: everything is drawn) goes where MkDocs shows it
            renderer = Renderer(cache_dir=cache_dir, on_warning=log.warning)
            self.context = FlowZapContext(settings=settings, renderer=renderer, logger=log)
        else:
            self.context.settings = settings
        self.context.translations = self.translations
        if self.extension is None:
            self.extension = FlowZapExtension(context=self.context)
        self.extension.context = self.context
        if self.extension not in config.markdown_extensions:
            config.markdown_extensions.append(self.extension)  # type: ignore[arg-type]
        if _has_superfences(config):
            _register_fence(config)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        assert self.context is not None
        self._forget_build_facts()
        self.context.renderer.begin_build()
        self.context.begin_build()
        self._page_ids = set()
        self._asset_pages = 0
        self._viewer_pages = 0
        # Pruning needs every page of the site: not known in a dirty build, nor in one of the
        # per-language builds of mkdocs-static-i18n (each sees its own language's pages).
        self._partial = self._dirty or config.plugins.get("i18n") is not None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """``mkdocs serve --dirty`` rebuilds only pages newer than their HTML: make a page whose
        ``src=`` file changed look newer, by ageing its HTML (it is rewritten at once)."""
        if not self._dirty or self.context is None:
            return files
        for file in files.documentation_pages():
            deps = self.context.dependencies.get(self._page_name(file.abs_src_path)) if file.abs_src_path else None
            if not deps or not os.path.exists(file.abs_dest_path):
                continue
            built = os.path.getmtime(file.abs_dest_path)
            if any(not os.path.exists(dep) or os.path.getmtime(dep) > built for dep in deps):
                os.utime(file.abs_dest_path, (0, 0))
        return files

    # -- pages -------------------------------------------------------------------------------

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.context is not None
        src_path = page.file.abs_src_path
        built_lang = _i18n_language(page, config)
        page_id = page.file.src_uri + (f"@{built_lang}" if built_lang else "")
        self._page_ids.add(page_id)
        self.context.renderer.begin_page(page_id)
        self.context.page = PageInfo(
            filename=self._page_name(src_path) if src_path else page.file.src_uri,
            uri=page.file.src_uri,
            src_path=src_path,
            url=page.url,
            site_dir=config.site_dir,
            lang=self._page_language(built_lang, config),
            page_id=page_id,
            read_source=functools.partial(_page_source, page, markdown),
        )
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Link our assets from a page that shows a diagram (at the end of its content)."""
        if self.context is None:
            return html
        info, self.context.page = self.context.page, None
        if info is None or not info.diagrams:
            return html
        self._asset_pages += 1
        self._viewer_pages += info.zoomable > 0
        assets = page_assets(viewer=info.zoomable > 0)
        return html + "\n" + page_tags(assets, relative_url(SITE_FOLDER, page.url)) + "\n"

    def page_language(self, page: Page, config: MkDocsConfig) -> str | None:
        """The language of a page's diagrams (a fence's ``lang=`` still wins), by the core's
        MkDocs rules (:func:`flowzap_docs.site_i18n.page_language`): the language
        mkdocs-static-i18n is building, else the theme language the user set, else ``lang``."""
        return self._page_language(_i18n_language(page, config), config)

    def _page_language(self, i18n_language: str | None, config: MkDocsConfig) -> str | None:
        if self._theme_language is None:  # the same for every page of a build
            self._theme_language = user_theme_language(_chosen_theme_language(config))
        theme_language, theme_locale = self._theme_language
        return page_language(i18n_language=i18n_language, theme_language=theme_language,
                             theme_locale=theme_locale, plugin_lang=self.config.lang)

    def translations(self, lang: str | None) -> tuple[Translate | None, str]:
        """The catalog for ``lang`` (``locale_dir``/<lang>/LC_MESSAGES/flowzap.po or .mo, read by
        the core) as a translate function, and its fingerprint for the cache key.

        Looked up once per language and build: the core re-checks the catalog files at each
        call, which a build of 400 diagrams in one language needs once, not 400 times."""
        found = self._translators.get(lang)
        if found is None:
            found = self._translators[lang] = self._load_translations(lang)
        return found

    def _load_translations(self, lang: str | None) -> tuple[Translate | None, str]:
        translator = mkdocs_translator(self._config_file, lang, self.config.locale_dir)
        if translator is None:
            return None, ""
        for problem in translator.problems:
            text = problem.format()
            if text not in self._catalog_warnings:  # once per process, not once per diagram
                self._catalog_warnings.add(text)
                log.warning(text)
        return translator, translator.fingerprint

    # -- serve and end of build --------------------------------------------------------------

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        self._server = server
        self._watch_dependencies()
        return server

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.context is None:
            return
        self._watch_dependencies()
        if self._asset_pages:
            assets = page_assets(viewer=self._viewer_pages > 0)
            try:
                write_assets(assets, os.path.join(config.site_dir, SITE_FOLDER))
            except OSError as err:
                log.warning("flowzap: cannot write %s into the site (%s); diagrams show without it",
                            ", ".join(asset.name for asset in assets), err)
        used = None if self._partial or not self._page_ids else set(self._page_ids)
        self.last_summary = self.context.renderer.finish_build(used_pages=used)
        log.info(self.last_summary)

    def _watch_dependencies(self) -> None:
        """``src=`` files: watched by ``mkdocs serve`` (those outside docs_dir are not otherwise)."""
        if self._server is None or self.context is None:
            return
        for paths in self.context.dependencies.values():
            for path in sorted(paths - self._watched):
                if os.path.exists(path):
                    self._server.watch(path)
                    self._watched.add(path)

    @property
    def watched_files(self) -> set[str]:
        """Every ``src=`` file a page of the last build read."""
        if self.context is None:
            return set()
        return set().union(*self.context.dependencies.values()) if self.context.dependencies else set()

    def _page_name(self, path: str) -> str:
        prefix = os.path.join(self._config_dir, "")
        if path.startswith(prefix) and os.path.normpath(path) == path:  # relpath's answer, without its work
            rel = path[len(prefix):]
        else:
            rel = os.path.relpath(path, self._config_dir)
        return rel.replace(os.sep, "/")


#: What ``mkdocs.theme.Theme`` sets for every theme before its ``mkdocs_theme.yml`` is read
#: (Material's file has no ``locale``, so the built-in ``en`` would pass for a user choice).
MKDOCS_THEME_DEFAULTS: dict[str, str] = {"locale": "en"}


def _chosen_theme_language(config: MkDocsConfig) -> dict[str, str]:
    """The theme's ``language``/``locale`` when the user chose them, i.e. when they differ from
    the theme's own default (Material always says ``en``, which must not hide the ``lang`` option)."""
    theme = config.theme
    defaults = {**MKDOCS_THEME_DEFAULTS, **_theme_defaults(theme.name or "")}
    chosen: dict[str, str] = {}
    for key in ("language", "locale"):
        value = theme.get(key)
        if value and str(value) != str(defaults.get(key) or ""):
            chosen[key] = str(value)
    return chosen


@functools.lru_cache(maxsize=8)
def _theme_defaults(name: str) -> dict[str, Any]:
    """A theme's ``mkdocs_theme.yml`` (read once per process: it is the same for every page)."""
    try:
        from mkdocs.utils import get_theme_dir, yaml_load

        with open(os.path.join(get_theme_dir(name), "mkdocs_theme.yml"), encoding="utf-8") as fh:
            loaded = yaml_load(fh)
    except Exception:  # a theme without defaults file, or one we cannot read: nothing is "default"
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _i18n_language(page: Page, config: MkDocsConfig) -> str | None:
    """The language mkdocs-static-i18n is building (None without that plugin)."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return None
    lang = getattr(i18n, "current_language", None) or getattr(page.file, "locale", None)
    return str(lang) if lang else None


def _has_superfences(config: MkDocsConfig) -> bool:
    for ext in config.markdown_extensions:
        if ext == SUPERFENCES or type(ext).__name__ == "SuperFencesCodeExtension":
            return True
    return False


def _register_fence(config: MkDocsConfig) -> None:
    """Add our entry to SuperFences' ``custom_fences``; leave any ``flowzap`` entry the user wrote."""
    mdx = config.mdx_configs.setdefault(SUPERFENCES, {})
    if not isinstance(mdx, dict):
        raise PluginError(f"flowzap: the configuration of {SUPERFENCES} is not a mapping")
    fences = mdx.get("custom_fences") or []
    mdx["custom_fences"] = fences
    for entry in fences:
        if isinstance(entry, dict) and entry.get("name") == LANGUAGE:
            if entry.get("format") not in OUR_FORMATTERS:
                log.info("flowzap: SuperFences already has a custom fence named 'flowzap'; leaving it as configured")
            return
    fences.append(custom_fence())


def _page_source(page: Page, markdown: str) -> tuple[str | None, int]:
    """The page file as written and how many of its lines precede ``markdown`` (front matter)."""
    raw = _read_source(page)
    return raw, _front_matter_lines(raw, markdown) if raw is not None else 0


def _read_source(page: Page) -> str | None:
    """The page file as written (front matter included), or None if it is not on disk."""
    try:
        return page.file.content_string
    except (OSError, UnicodeDecodeError, AttributeError, TypeError, ValueError):
        return None


def _front_matter_lines(raw: str, markdown: str) -> int:
    """How many lines of ``raw`` precede the markdown MkDocs converts (YAML front matter)."""
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n")
    body = markdown.replace("\r\n", "\n")
    if body and raw.endswith(body):
        return raw[: len(raw) - len(body)].count("\n")
    head = body.lstrip("\n").split("\n", 1)[0]
    if head:
        index = raw.find(head)
        if index >= 0:
            return raw[:index].count("\n") - (len(body) - len(body.lstrip("\n")))
    return 0
