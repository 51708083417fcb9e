"""Prompt templates: Jinja files with a system and a user block, rendered with StrictUndefined in Jinja's sandbox.

coach's own are in `prompts/`. A bank may replace any of them with its own `prompts/NAME.jinja` beside its
`coach.yaml` (as it replaces story types and company profiles), and such a file may build on coach's by extending
`coach/NAME.jinja` and changing one block. A bank's template is the user's text, perhaps copied from someone else's
bank: it runs in the sandbox (no Python reachable from it), is read only when it is a regular file of at most
256 KiB, and whatever it makes the model answer still passes every check.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import jinja2
from jinja2 import meta, nodes
from jinja2.loaders import split_template_path
from jinja2.sandbox import SecurityError

from coach.errors import CoachError
from coach.llm.sandbox import STEPS, Budgeted, bounded

PACKAGE = Path(__file__).parent.parent  # the coach package
OWN = "prompts"  # a bank's own prompts: a folder beside its coach.yaml
BUILT_IN = "coach"  # `{% extends "coach/refine.jinja" %}` names coach's own refine prompt from a bank's
LIMIT = 256 * 1024  # bytes: a prompt template bigger than this is not one
ROLES = ("system", "user")


def prompts_dir() -> Path:
    """Return the prompts folder: inside the installed package, or beside it in a source checkout."""
    for candidate in (PACKAGE / "prompts", PACKAGE.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise CoachError("the prompts folder is missing from this installation; reinstall coach")


def _read_template(path: Path) -> str:
    """Read a bank's template through the bank's bounded reader (a regular file, opened without blocking, at most
    LIMIT bytes read whatever size it claims), as UTF-8."""
    from coach.bank.bounded import NotRegular, TooBig, read_bytes

    try:
        data = read_bytes(path, LIMIT, "a prompt template")
    except (NotRegular, IsADirectoryError):
        raise CoachError(f"{path}: is not a regular file; a prompt template must be a .jinja text file") from None
    except TooBig:
        raise CoachError(f"{path}: is over 256 KiB; a prompt template is at most 256 KiB, shorten it") from None
    except OSError as error:
        raise CoachError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CoachError(f"{path}: is not UTF-8 text; save it as UTF-8") from None


class _OwnLoader(jinja2.BaseLoader):
    """Load a bank's own templates: regular UTF-8 files of at most LIMIT bytes that lie inside the bank's prompts/
    folder once links are followed (a template is pasted into what the model is sent and `--show-prompt` prints, so
    a link to ~/.ssh or /proc/self/environ must not be read), never a FIFO or a device that would hang the read, never
    a path out of the folder (`split_template_path` refuses `..`)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_source(self, environment, template):
        """Return the template's text, its file name and a check of whether it changed since."""
        path = self.folder.joinpath(*split_template_path(template))
        if not path.exists() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)
        try:
            inside = path.resolve().is_relative_to(self.folder.resolve())
        except (OSError, RuntimeError):  # a loop of links
            inside = False
        if not inside:
            raise CoachError(f"{path}: leads out of {self.folder} (a link); a prompt template must be a file in it")
        seen = _stamp(path)
        return _read_template(path), str(path), lambda: seen is not None and _stamp(path) == seen


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """Return what changes when a file is edited or replaced (time, size, inode), or None when it is gone."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


class _Shadowed(jinja2.ChoiceLoader):
    """Load from the first loader that has the template; one of coach's stays loaded only while the bank has no file
    of the same name, so a template the bank adds while a server runs is rendered from then on."""

    def __init__(self, loaders: list, own: Path | None):
        super().__init__(loaders)
        self.own = own

    def load(self, environment, name, globals=None):
        """Compile the template from `get_source` below (ChoiceLoader's own `load` would bypass it)."""
        return jinja2.BaseLoader.load(self, environment, name, globals)

    def get_source(self, environment, template):
        """Return the template's text, file name and up-to-date check, which for one of coach's asks the bank too."""
        text, filename, uptodate = super().get_source(environment, template)
        if self.own is None or Path(filename).parent == self.own:
            return text, filename, uptodate
        shadow = self.own.joinpath(*split_template_path(template))
        return text, filename, lambda: (uptodate is None or uptodate()) and not shadow.exists()


@dataclass(frozen=True)
class Source:
    """One prompt as a bank renders it: its name, the file it comes from, and whether that file is the bank's."""

    name: str
    path: Path
    own: bool
    text: str


class Prompts:
    """The prompts one bank renders: coach's own, each replaced by the bank's `prompts/NAME.jinja` when it has one."""

    def __init__(self, own: Path | None = None):
        self.own = own
        built_in = jinja2.FileSystemLoader(prompts_dir())
        loaders = [jinja2.PrefixLoader({BUILT_IN: built_in}, delimiter="/")]
        if own is not None:
            loaders.append(_OwnLoader(own))
        self.environment = Budgeted(
            loader=_Shadowed([*loaders, built_in], own),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=True,
        )

    def render(self, name: str, **variables) -> list[dict[str, str]]:
        """Render prompt NAME into chat messages; story text is passed as data, never compiled. A template that
        breaks, loops or grows past its budget stops with one sentence naming its file."""
        shown = self._shown(name)
        steps = STEPS.set(0)
        try:
            template = self.environment.get_template(f"{name}.jinja")
            context = template.new_context(variables)
            written = bounded(template.root_render_func(context), 0)  # an extending template's parents add blocks
            messages = []
            for role in ROLES:
                if role not in context.blocks:
                    raise CoachError(f"{shown} has no {{% block {role} %}}; add one")
                parts: list[str] = []
                written = bounded(context.blocks[role][0](context), written, parts)
                messages.append({"role": role, "content": "".join(parts).strip()})
            return messages
        except CoachError:
            raise
        except jinja2.TemplateNotFound as missing:
            if missing.name != f"{name}.jinja":
                raise CoachError(f"{shown} includes or extends '{missing.name}', which is neither the bank's nor "
                                 "coach's") from None
            raise CoachError(f"no prompt named '{name}' in {prompts_dir()}") from None
        except jinja2.UndefinedError as error:
            raise CoachError(f"{shown} uses something it is not given ({str(error.message).rstrip('.')}); "
                             f"`coach prompts` lists what each prompt is given") from None
        except jinja2.TemplateSyntaxError as error:
            raise CoachError(f"{error.filename or shown}:{error.lineno}: {error.message}") from None
        except SecurityError as error:
            raise CoachError(f"{shown} tries what a prompt may not: {str(error).rstrip('.')}; take it out") from None
        except RecursionError:
            raise CoachError(f"{shown} nests too deeply, or includes or calls itself without end; take that out") from None
        except Exception as error:  # 1/0, "a" + 1, a filter given a bad argument: the template's, not coach's
            raise CoachError(f"{shown} fails when rendered ({type(error).__name__}: {str(error).rstrip('.')}); "
                             "fix the template or remove it") from None
        finally:
            STEPS.reset(steps)

    def own_file(self, name: str) -> str:
        """Return the bank's own file that replaces prompt NAME, or "" when coach's is rendered."""
        path = self.own / f"{name}.jinja" if self.own is not None else None
        return str(path) if path is not None and path.is_file() else ""

    def bank_files(self, name: str) -> list[str]:
        """Return every file of the bank's that prompt NAME renders: its own template, and the parts it (or coach's
        template in its place) includes from the bank (a bank's `_story.jinja` is in five prompts)."""
        if self.own is None or not self.own.is_dir():
            return []
        try:
            return [filename for filename, _ in _closure(self.environment, [f"{name}.jinja"])
                    if Path(filename).parent == self.own]
        except RecursionError:
            return []

    def _shown(self, name: str) -> str:
        """Return how a message names prompt NAME's file: the bank's path, or coach's prompts/NAME.jinja."""
        return self.own_file(name) or f"prompts/{name}.jinja"

    def source(self, name: str, *, built_in: bool = False) -> Source:
        """Return prompt NAME as this bank renders it (or coach's own with built_in)."""
        if name not in names():
            raise CoachError(f"no prompt named '{name}'; the prompts are: {', '.join(names())}")
        key = f"{BUILT_IN}/{name}.jinja" if built_in else f"{name}.jinja"
        text, filename, _ = self.environment.loader.get_source(self.environment, key)
        path = Path(filename)
        return Source(name, path, self.own is not None and path.parent == self.own, text)

    def own_files(self) -> list[Path]:
        """Return the bank's own template files (and anything else named *.jinja there, which is a problem)."""
        if self.own is None or not self.own.is_dir():
            return []
        return sorted(self.own.glob("*.jinja"))

    def problems(self) -> list[str]:
        """Return what is wrong with the bank's own templates, found without rendering them: each a sentence."""
        found = []
        for path in self.own_files():
            try:
                found += self._problems_of(path)
            except RecursionError:
                found.append(f"{path}: nests too deeply, or includes itself through another part")
        return found

    def _problems_of(self, path: Path) -> list[str]:
        """Return what is wrong with one of the bank's templates."""
        name = path.stem
        try:
            text, _, _ = self.environment.loader.get_source(self.environment, path.name)
            tree = self.environment.parse(text, name, str(path))
        except jinja2.TemplateSyntaxError as error:
            return [f"{path}:{error.lineno}: {error.message}"]
        except CoachError as error:
            return [str(error)]
        except jinja2.TemplateNotFound:
            return [f"{path}: is not a regular file; a prompt template must be a .jinja text file"]
        found = []
        for key in meta.find_referenced_templates(tree):
            if key == path.name:
                return [f"{path}: includes itself, which never ends; include coach/{path.name} instead"]
            try:
                if key is not None:
                    self.environment.loader.get_source(self.environment, key)
            except jinja2.TemplateNotFound:
                found.append(f"{path}: includes or extends '{key}', which is neither the bank's nor coach's")
            except CoachError as error:
                found.append(str(error))
        if name.startswith("_"):
            return found  # a part other templates include
        if name not in names():
            return [*found, f"{path}: replaces no prompt of coach's (they are: {', '.join(names())}); rename it, "
                            "or start its name with _ if other prompts include it"]
        if not any(tree.find_all(nodes.Extends)):
            lacking = [role for role in ROLES if role not in {block.name for block in tree.find_all(nodes.Block)}]
            if lacking:
                found.append(f"{path}: has no {{% block {lacking[0]} %}}; add one, or extend coach/{name}.jinja")
        unknown = sorted(_used(self.environment, tree) - given(name) - set(self.environment.globals))
        if unknown:
            found.append(f"{path}: uses {', '.join(unknown)}, which coach does not give the {name} prompt "
                         f"(it gives {', '.join(sorted(given(name)))})")
        return found


def _closure(environment: jinja2.Environment, keys: list):
    """Yield the file name and parsed tree of each template the named ones include or extend, theirs too, once each
    (a name that is not there, cannot be read or does not parse is left out: `problems` says so)."""
    seen: set[str] = set()
    todo = list(keys)
    while todo:
        key = todo.pop(0)
        if key is None or key in seen:
            continue
        seen.add(key)
        try:
            text, filename, _ = environment.loader.get_source(environment, key)
            tree = environment.parse(text, key, filename)
        except (jinja2.TemplateError, CoachError):
            continue
        todo += meta.find_referenced_templates(tree)
        yield filename, tree


def _used(environment: jinja2.Environment, tree: nodes.Template) -> set[str]:
    """Return the variables a template takes from its caller, its includes' and parents' too (where named)."""
    used = set(meta.find_undeclared_variables(tree))
    for _, part in _closure(environment, list(meta.find_referenced_templates(tree))):
        used |= meta.find_undeclared_variables(part)
    return used


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """Return the names of coach's own prompts (its parts, named with a leading _, left out)."""
    return tuple(sorted(p.stem for p in prompts_dir().glob("*.jinja") if not p.name.startswith("_")))


NAMING = frozenset({"company", "the_company", "role", "the_role"})  # every prompt is given these (`bank.phrases`)
ALSO_GIVEN = {"analyze": {"wpm"}, "followup-answers": {"refined"}}  # given, though coach's own template leaves them out


@cache
def given(name: str) -> frozenset[str]:
    """Return the variables coach renders prompt NAME with: those its own template and the parts it includes use,
    and those it is given besides (a test holds this to what each job passes)."""
    environment = built_in().environment
    text, filename, _ = environment.loader.get_source(environment, f"{BUILT_IN}/{name}.jinja")
    return frozenset(_used(environment, environment.parse(text, name, filename)) | NAMING | ALSO_GIVEN.get(name, set()))


@lru_cache(maxsize=1)
def built_in() -> Prompts:
    """Return coach's own prompts, which a job renders when it knows no bank."""
    return Prompts()


@lru_cache(maxsize=16)
def _for_folder(own: Path, where: Path) -> Prompts:
    return Prompts(own)  # `where` keys the cache: the same relative folder from another working folder is another


def for_bank(root: Path) -> Prompts:
    """Return the prompts the bank at `root` renders: its own `prompts/` first (picked up when edited)."""
    return _for_folder(Path(root) / OWN, Path(root).absolute() / OWN)


def render_prompt(name: str, **variables) -> list[dict[str, str]]:
    """Render coach's own prompt NAME into chat messages."""
    return built_in().render(name, **variables)
