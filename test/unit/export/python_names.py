"""Parses generated Python with `ast` and lists the library names it uses, without running it.

Reads a JSON list of {"id", "code"} on stdin; writes a JSON list of {"id", "error"} or
{"id", "imports", "names", "methods"}: `names` are the dotted names rooted at an imported module
alias (jnp.where, tf.math.log), `methods` the attributes taken of anything else (.astype, .dtype).
Also says which of the fully qualified names it is asked to look up (torch.nn.functional.softplus,
numpy.take_along_axis) exist in the installed PyTorch and NumPy.
"""

import ast
import importlib
import json
import sys


def dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def names_of(code):
    tree = ast.parse(code)
    aliases, imports, names, methods = set(), [], set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                imports.append(f"import {a.name}" + (f" as {a.asname}" if a.asname else ""))
                aliases.add(a.asname or a.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            for a in node.names:
                imports.append(f"from {node.module} import {a.name}" + (f" as {a.asname}" if a.asname else ""))
                aliases.add(a.asname or a.name)
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            # Only the outermost attribute of a chain: jax.nn.softplus, not also jax.nn.
            value = node.value
            while isinstance(value, ast.Attribute):
                inner.add(id(value))
                value = value.value
            name = dotted(node)
            root = name.split(".")[0] if name is not None else None
            if root in aliases:
                names.add(name)
            elif root != "self":  # the module's own attributes: self.gamma, self.reduction
                methods.add("." + node.attr)
    return {"imports": imports, "names": sorted(names), "methods": sorted(methods)}


def main():
    request = json.load(sys.stdin)
    out = []
    for item in request["programs"]:
        try:
            out.append({"id": item["id"], **names_of(item["code"])})
        except SyntaxError as e:
            out.append({"id": item["id"], "error": f"{e.msg} at line {e.lineno}: {e.text}"})
    json.dump({"programs": out, "found": [name for name in request["lookups"] if exists(name)]}, sys.stdout)


def exists(name):
    root, *attributes = name.split(".")
    value = importlib.import_module(root)
    for a in attributes:
        if not hasattr(value, a):
            return False
        value = getattr(value, a)
    return True


if __name__ == "__main__":
    main()
