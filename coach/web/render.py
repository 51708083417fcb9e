"""The page's HTML: Jinja templates rendered on the server, escaped by default, a whole page or one fragment."""

from __future__ import annotations

from functools import cache

from coach.llm.gate import printable


@cache
def environment():
    """Return the templates' environment: autoescaped, strict about undefined names, with the page's filters."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    from coach.display.layout import counted

    env = Environment(loader=PackageLoader("coach.web", "templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["seconds"] = lambda s: "" if s is None else f"{s:.0f}s" if s >= 10 else f"{s:.1f}s"
    env.filters["tenths"] = lambda s: "" if s is None else f"{s:.1f}s"  # a take as measured: 60.3s is over 45-60s
    env.filters["printable"] = printable
    env.filters["plural"] = counted
    return env


def fragment(name: str, **context) -> str:
    """Render a template (a whole page or a part of one) to HTML."""
    return environment().get_template(name).render(**context)


def page(request, name: str, code: int = 200, **context):
    """Answer a GET with a whole page: the template with the layout's context (the CSRF token, where we are)."""
    from starlette.responses import HTMLResponse

    state = request.app.state
    html = fragment(name, csrf=state.csrf, path=request.url.path, company=_company(state), **context)
    return HTMLResponse(html, status_code=code)


def problem(request, sentence: str, status: int = 400, title: str | None = None):
    """Answer a GET that cannot be served with a page holding one sentence that says what to do."""
    title = title or ("Not found" if status == 404 else "Problem")
    return page(request, "problem.html", code=status, sentence=sentence, title=title)


def _company(state) -> str:
    try:
        return state.bank().settings().company
    except Exception:  # an unreadable coach.yaml is said on the page that needs it, not in the layout
        return ""
