"""The backend interface is declared once (:class:`streda.integrals.backend.Backend`) and
every evaluation backend provides all of it; the shared algorithms probe nothing."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from streda.integrals.backend import Backend
from streda.integrals.exact import ExactBackend
from streda.integrals.modular import DegreeBoundBackend, ModularBackend
from streda.integrals.pointwise import BallBackend, RationalPointBackend

BACKENDS = {
    "exact": lambda: ExactBackend(),
    "exact-spin": lambda: ExactBackend(spin_dependent=True),
    "rational": lambda: RationalPointBackend(s=3, t=2, a=1, M=1),
    "ball": lambda: BallBackend(eps=1, gamma="1/10", Delta=1, Mz="1/2"),
    "modular": lambda: ModularBackend(101, s=3, t=2, a=1, M=5),
    "degree": lambda: DegreeBoundBackend(),
}

MEMBERS = sorted(set(Backend.__annotations__) | {
    n for n, v in vars(Backend).items() if inspect.isfunction(v) and not n.startswith("_")})


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_every_backend_provides_every_member(name):
    B = BACKENDS[name]()
    assert isinstance(B, Backend)
    missing = [m for m in MEMBERS if m not in dir(B)]
    assert missing == [], missing
    assert isinstance(B.products, dict) and B.products == {}


def test_protocol_members_are_the_used_ones():
    """Negative control of the isinstance check: an object lacking one member is refused."""
    assert {"P", "alpha_d", "model", "products", "zero_value", "add_all"} <= set(MEMBERS)

    class Partial:
        pass
    p = Partial()
    for m in MEMBERS:
        if m != "alpha_d":
            setattr(p, m, lambda *args: 0)
    assert not isinstance(p, Backend)
    p.alpha_d = lambda: 0
    assert isinstance(p, Backend)


def test_caches_are_per_backend():
    B1, B2 = BACKENDS["rational"](), BACKENDS["rational"]()
    assert B1.products is not B2.products and B1.pole_cache is not B2.pole_cache


# legitimate uses of getattr in integrals/, each with its reason (path, line text)
ALLOWED = {
    ("__init__.py", 'return getattr(importlib.import_module(f"{__name__}.{mod}"), name)'):
        "lazy package attribute access (module __getattr__), not a backend",
    ("model.py", "v = getattr(self, f.name)"): "dataclass field iteration of a model point",
    ("model.py", "return mpmath.mpmathify(sympy.N(getattr(self, name), mpmath.mp.dps + 5))"):
        "named field of a model point",
    ("model.py", "return {f.name: str(getattr(self, f.name)) for f in fields(self)}"):
        "dataclass field iteration of a model point",
}


def test_no_probing_in_integrals():
    import streda.integrals as pkg
    root = Path(pkg.__file__).parent
    bad = []
    for f in sorted(root.rglob("*.py")):
        for line in f.read_text().splitlines():
            text = line.strip()
            if re.search(r"\bhasattr\(|\bgetattr\(|__dict__", text) and (f.name, text) not in ALLOWED:
                bad.append(f"{f.name}: {text}")
    assert bad == [], bad
