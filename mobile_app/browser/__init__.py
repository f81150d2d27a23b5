"""Adapters for the browser build (Pyodide): storage persistence, encryption primitives, start-up.

Chosen at start-up by `entry.web_main` (only when running in the browser); the core's rules
and interfaces are the same as on a phone. `sw.js` and `page.html` are copied into the build.
"""
