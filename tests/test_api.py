"""The public API ``streda.integrals.tensor``: same numbers as the CLI, one normalisation,
models as objects, refusals in one line.

Independent expectations: the normalisation K = (e/8π)(2RA − RR − AA) is checked against
the quadrature path (mpmath, matrices built from the model's H; a second method), the
dressed Dresselhaus tensor against the mapping K_D(M) = −O K_R(O M) (Eq. 19) applied to the
Rashba tensor, and the general ladder solver against the closed form Γ = p/m for scalar
disorder.  Failing controls: a flipped normalisation, the wrong mapping sign.
"""
from __future__ import annotations

import json
import subprocess
import sys

import mpmath
import pytest

from streda.integrals import tensor
from streda.integrals.disorder import Disorder
from streda.integrals.dressing import closed_form_vertex_holds, vertex_residual
from streda.integrals.model import ModelError
from streda.integrals.models import get_model
from streda.integrals.quadrature import integrate_word_quad

P = "eps=1,gamma=1/10,Delta=3/10,Mz=2/5"


def test_to_json_is_the_cli_json(tmp_path):
    f = tmp_path / "k.json"
    subprocess.run([sys.executable, "-m", "streda.verify.cli", "tensor", "K", "--params", P, "--mx-order", "1",
                    "--dps", "20", "--dressing", "ladder", "--json", str(f)], check=True, capture_output=True)
    r = tensor("K", model="rashba", params=P, dressing="ladder", mx_order=1, dps=20)
    assert r.to_json() == json.loads(f.read_text())


def test_model_object_and_name_agree():
    a = tensor("sigma", model="dresselhaus", params=P, mx_order=1, dps=20)
    b = tensor("sigma", model=get_model("dresselhaus"), params=get_model("dresselhaus").point(P), mx_order=1, dps=20)
    assert a.to_json() == b.to_json()
    assert isinstance(a.value(0, "xx"), mpmath.mpc)


def test_normalisation_against_quadrature():
    """K_yx^(0) = (e/8π)·2·Tr[σ_y ∫G^R v_x G^A] (RR = AA = 0) by the independent quadrature path."""
    r = tensor("K", params=P, mx_order=0, dps=20)
    pt = get_model("rashba").point(P)
    for row, col in (("y", "x"), ("x", "x")):
        c = integrate_word_quad(f"s{row} GR v{col} GA", pt, dps=20)
        want = 2 * (2 * c["0"]) / (8 * mpmath.pi)
        got = r.value(0, row + col)
        assert abs(got - want) < 1e-15 * abs(want)
        assert abs(got + want) > 1e-3 * abs(want)          # control: the flipped sign is far off


def test_dressed_dresselhaus_equals_the_mapping_of_rashba():
    """K_D(M_z) = −O K_R(−M_z) (O swaps x, y and flips z; M = (0, 0, M_z)), ladder-dressed, order 0."""
    d = tensor("K", model="dresselhaus", params=P, dressing="ladder", mx_order=0, dps=20)
    r = tensor("K", model="rashba", params="eps=1,gamma=1/10,Delta=3/10,Mz=-2/5", dressing="ladder",
               mx_order=0, dps=20)
    O = {"x": ("y", 1), "y": ("x", 1), "z": ("z", -1)}       # U σ_a U = s_a σ_O(a), Eq. (19)
    control_fails = False
    for a in "xyz":
        for b in "xy":
            a2, sa = O[a]
            want = -sa * r.value(0, a2 + b)
            got = d.value(0, a + b)
            assert abs(got - want) <= 1e-14 * max(1, abs(want)), (a, b)   # 15-digit context
            control_fails |= abs(got + want) > 1e-6           # the mapping without the velocity flip
    assert control_fails


def test_general_ladder_solver_equals_closed_form_for_scalar_disorder():
    import flint

    from streda.integrals import evaluate as ev
    from streda.integrals.dressing import dressed_K_value
    from streda.integrals.ladder import dressed_K_numeric
    from streda.integrals.model import RashbaModel

    pt = RashbaModel.from_string(P)
    with ev.flint_precision(40):
        B = ev.ball_backend(pt)
        for r in "xyz":
            gen = dressed_K_numeric(B, r, "x", 1, Disorder.scalar())
            for n in range(2):
                diff = gen[n] - dressed_K_value(n, r, "x", B)
                assert diff.contains(0) and ev.ball_radius(diff) < mpmath.mpf(10) ** -25
    assert flint is not None


def test_closed_form_vertex_only_where_it_holds():
    assert closed_form_vertex_holds("rashba") and closed_form_vertex_holds("dresselhaus")
    assert not closed_form_vertex_holds("rashba", Disorder.magnetic(uz=1))
    # control: the identity is not 0 = 0 -- the integral alone is non-zero
    from streda.integrals import evaluate as ev
    from streda.integrals.bubble import integrate_word
    from streda.integrals.word import parse_word

    vals = integrate_word(parse_word("GA px GR"), ev.exact_backend())
    assert not all(v.is_zero() for v in vals.values())
    assert all(v.is_zero() for v in vertex_residual("x").values())


@pytest.mark.parametrize("kwargs, msg", [
    (dict(kind="K", model="graphene"), "unknown model"),
    (dict(kind="L"), "kind must be"),
    (dict(kind="K", dressing="crossed"), "dressing must be"),
    (dict(kind="K", xi_range="half"), "xi_range must be"),
    (dict(kind="K", mx_order=10 ** 9), "mx_order must be"),
    (dict(kind="K", dps=0), "dps must be"),
    (dict(kind="K", params="gamma=0"), "gamma must be"),
    (dict(kind="K", dressing="ladder", xi_range="physical"), "physical xi axis is not implemented"),
])
def test_refusals_are_one_line_model_errors(kwargs, msg):
    kind = kwargs.pop("kind")
    with pytest.raises(ModelError, match=msg) as exc:
        tensor(kind, params=kwargs.pop("params", P) if "params" not in kwargs else kwargs.pop("params"),
               **{"mx_order": 0, "dps": 15, **kwargs})
    assert "\n" not in str(exc.value)


def test_missing_capability_is_named():
    with pytest.raises(ModelError, match="lacks the capability 'ball'"):
        tensor("K", model="rashba+dresselhaus", dressing="ladder", mx_order=0)


def test_import_is_cheap_and_side_effect_free():
    out = subprocess.run([sys.executable, "-c", "import sys, streda.integrals as I; "
                          "print(sorted(m for m in sys.modules if m.startswith('streda')))"],
                         check=True, capture_output=True, text=True).stdout
    assert out.strip() == "['streda', 'streda.integrals']"
