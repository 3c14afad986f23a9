"""The modules of records/ import one another in one direction only, and at the top of the module.

An import hidden inside a function is how a cycle is usually broken; the only
ones allowed are in AppConfig.ready, where Django wants signal wiring done
once every model is loaded.
"""

import ast
from pathlib import Path

import records

ROOT = Path(records.__file__).parent


def modules():
    """{dotted name: parsed module} of every module of records/ but the migrations."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT.parent).with_suffix("")
        if "migrations" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        found[".".join(parts)] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return found


def imported(name, path, node, known):
    """The modules of records/ an import statement names."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        origin = ".".join([*base, node.module] if node.module else base)
    else:
        origin = node.module
    targets = set()
    for alias in node.names:
        submodule = f"{origin}.{alias.name}"
        if submodule in known:
            targets.add(submodule)
        elif origin in known:
            targets.add(origin)
    return targets


def top_level_imports(tree):
    """Import statements run when the module loads: at its top, or under a top-level if or try."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If | ast.Try):
            pending += [*node.body, *node.orelse, *getattr(node, "handlers", []), *getattr(node, "finalbody", [])]
        elif isinstance(node, ast.ExceptHandler):
            pending += node.body


def graph():
    known = modules()
    return {
        name: set().union(*(imported(name, path, node, known) for node in top_level_imports(tree))) - {name}
        for name, (path, tree) in known.items()
    }


def cycles(edges):
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read_from_the_code():
    edges = graph()
    assert "records.batch.importing" in edges["records.resources"]  # from .batch.importing import Import
    assert "records.batch.survey" in edges["records.batch.importing"]  # from .survey import Survey
    assert "records.models" in edges["records.batch.schema"]  # from ..models import (...): the package
    assert "records.derived" in edges["records.models.base"]  # from records import derived: a submodule


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules_of_records():
    assert cycles(graph()) == []


def test_no_import_inside_a_function_but_in_app_ready():
    hidden = []
    for name, (_, tree) in modules().items():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if name == "records.apps" and function.name == "ready":
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    hidden.append(f"{name}.{function.name} (line {node.lineno})")
    assert hidden == []
