"""The domain: corridor's words as frozen dataclasses, and pure functions over them.

Imports only the standard library and itself (an import-linter contract in the
test suite enforces it), so every rule here runs the same in the planner, the
simulator, the API and the tests.
"""
