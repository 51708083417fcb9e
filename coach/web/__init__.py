"""`coach serve`: a page on this machine over the same bank, use cases and files as the command line.

The web layer is a driver, like `coach.cli`: each page calls the use case the command calls and renders what it
returns; no decision about a story lives here. Nothing is reachable from another machine (127.0.0.1 only), nor
from another user or web page on this one (a token, a loopback Host header and a CSRF check on every change).

app.py       the app: its routes and the seams tests replace    guard.py     token, Host and CSRF, on every request
render.py    the templates, a page and a fragment                streams.py   long work streamed to the page
charts.py    the progress charts, as SVG                          pages/       one module per page and its actions
templates/   the HTML, server-rendered                            static/      the stylesheet and the small scripts
"""
