"""Enumeration of the leading crossed (X, Ψ) diagrams (issue 10, item 1).

The count is derived by hand: four impurity nodes on a loop with two vertices, split
n_R + n_A = 4; of the three pairings exactly one crosses for (2,2) (X) and one for each of
(3,1), (1,3) (Ψ_R, Ψ_A); (4,0), (0,4) are dropped (no R–A pair).  Each unique diagram
comes from 2 labellings (q1 ↔ q2).
"""
from __future__ import annotations

import pytest

from streda.diagrams import (DiagramError, crossed_diagrams, dedupe, naive_crossed, to_dot,
                             to_ladder, to_tikz_feynman, validate)


def test_three_unique_diagrams_with_hand_counts():
    found = crossed_diagrams()
    assert [D.graph["family"] for D, _ in found] == ["Psi_A", "X", "Psi_R"]
    assert [m for _, m in found] == [2, 2, 2]
    assert len(list(naive_crossed())) == 6


def test_every_diagram_is_valid_and_crossing():
    for D, _ in crossed_diagrams():
        validate(D)                                   # momenta conserved along each line
        with pytest.raises(DiagramError, match="not a rung"):
            to_ladder(D)                              # not a non-crossing ladder


def test_momenta_close_the_loop():
    for D, _ in crossed_diagrams():
        labels = [d["momentum"] for _, _, d in D.edges(data=True) if d["kind"] == "G"]
        assert labels[0] == labels[-1] == "p"


def test_export_dot_and_tikz():
    X = crossed_diagrams()[1][0]
    dot = to_dot(X)
    assert dot.count("style=dotted") == 2 and '"crossed X"' in dot
    assert "\\begin{tikzpicture}" in to_tikz_feynman(X)


def test_control_nested_pairing_is_a_ladder():
    # the pairing the crossing test rejects for (n_R, n_A) = (2, 2) is a ladder that
    # to_ladder accepts: the filter, not the construction, makes the X diagram crossed
    from streda.diagrams.crossed import _build, chords_cross

    ring = ["alpha", "iR1", "iR2", "beta", "iA1", "iA2"]
    nested = [("iR1", "iA2"), ("iR2", "iA1")]
    assert not chords_cross(nested[0], nested[1], ring)
    D = _build(ring, "RRRAAA", nested, ("q1", "q2"), "v_x", "v_y")
    validate(D)
    assert to_ladder(D) is not None


def test_bad_vertex_refused():
    with pytest.raises(DiagramError, match="unknown vertex op"):
        list(naive_crossed("Gamma", "v_y"))


# ---------------------------------------------------------------------------------------
# evaluation of the crossed diagrams (integrals.crossed): physics checks, not snapshots
# ---------------------------------------------------------------------------------------
import math  # noqa: E402

from streda.integrals.crossed import DEFAULT_TERMS, block_structure, dirac_crossed  # noqa: E402


def _total(r):
    return sum(r[k] for k in ("X", "Psi_R", "Psi_A")).real


def test_graph_data_give_the_evaluated_terms():
    from streda.verify.cmd_hall import crossed_terms

    assert crossed_terms() == DEFAULT_TERMS
    # X: Tr[P(p) G^R(k) P(p2) G^A(p + p2 - k)]; Psi_R: G^R(k) G^R(k - p + p2) before P(p2)
    assert block_structure(DEFAULT_TERMS[1])[2] == (1, 1, -1)
    assert block_structure(DEFAULT_TERMS[2]) == (("R", "R"), (0, 0, 1), (-1, 1, 1), (0, 0))


@pytest.mark.parametrize("eps", [1.25, math.sqrt(2), 3.0])
def test_ladder_plus_crossed_is_the_epl_form(eps):
    # ladder: -4 eps m (eps^2+m^2)/(eps^2+3m^2)^2 (Sinitsyn 2007, exact in hall.py); the
    # EPL total -8 eps m^3/(eps^2+3m^2)^2 (verify/printed) then needs X + Psi = the difference
    from streda.verify.printed import literature as lit

    m = 1.0
    r = dirac_crossed(eps, m)
    want = float(lit.dirac_crossed(eps, m) - lit.dirac_nc(eps, m))
    assert abs(_total(r) - want) < 1e-9 * abs(want)
    assert r["error"] < 1e-10 and r["log_cutoff"] < 1e-12 and r["imag"] < 1e-12


def test_symmetries_and_psi_cancellation():
    a, b = dirac_crossed(2.5, 1.0), dirac_crossed(2.5, -1.0)
    assert abs(_total(a) + _total(b)) < 1e-12             # odd in m
    assert abs(a["Psi_R"] + a["Psi_A"]) < 1e-12           # Ψ_A is the conjugate of Ψ_R ...
    assert abs(a["Psi_R"].imag) > 0.1                     # ... and each alone is imaginary
    # scale invariance: sigma_xy depends on eps/m only
    assert abs(_total(dirac_crossed(5.0, 2.0)) - _total(a)) < 1e-11


def test_negative_control_without_on_shell_part_misses():
    r = dirac_crossed(2.0, 1.0, control="no-circle")
    assert abs(_total(r) - 24 / 49) > 0.4


def test_large_density_limit():
    # eps >> m: X + Psi -> 4 m/eps (it cancels the ladder's -4 m/eps at leading order in m/eps)
    e = 200.0
    assert abs(_total(dirac_crossed(e, 1.0)) * e / 4 - 1) < 1e-3


def test_refusals():
    with pytest.raises(ValueError):
        dirac_crossed(0.5, 1.0)
    with pytest.raises(ValueError):
        dirac_crossed(2.0, 0.0)


def test_cli_ladder_plus_crossed(tmp_path):
    import json
    import subprocess
    import sys

    out = tmp_path / "h.json"
    p = subprocess.run([sys.executable, "-m", "streda.verify.cli", "hall", "--model", "dirac", "--params",
                        "eps=2,m=1", "--diagrams", "ladder+crossed", "--json", str(out)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    d = json.loads(out.read_text())
    assert set(d["parts"]) >= {"X", "Psi_R", "Psi_A", "crossed"}
    assert abs(float(d["sigma_xy"][0]) + 16 / 49) < 1e-10
    # rashba now has a crossed route (tests/test_crossed_rashba.py); dresselhaus has none
    p = subprocess.run([sys.executable, "-m", "streda.verify.cli", "hall", "--model", "dresselhaus", "--params",
                        "eps=5/4,Delta=3/10,Mz=2/5", "--diagrams", "ladder+crossed"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "dirac and rashba" in p.stderr


@pytest.mark.slow
def test_x_block_two_routes_agree():
    from streda.integrals.crossed import x_block_odd
    from streda.integrals.crossed_radial import x_block_odd_radial

    for e, m, th in ((2, 1, 0.5), (3, -1, 1.3), (1.25, 1, 2.9)):
        a, b = x_block_odd(e, m, th), x_block_odd_radial(e, m, th, dps=20)
        assert abs(a - b) < 1e-10 * abs(b)


def test_hall_plot_files(tmp_path):
    from streda.verify.hall_plot import hall_curves, hall_plot

    d = hall_curves(eps_over_m=(0.5, 3))
    assert d["ladder"][0] == d["ladder+crossed"][0] == -0.5         # in the gap: no Fermi surface
    assert abs(d["ladder+crossed"][1] - d["printed"][1]) < 1e-9
    paths = hall_plot(tmp_path, d)
    assert [p.suffix for p in paths] == [".svg", ".png"] and all(p.stat().st_size > 1000 for p in paths)
    with pytest.raises(ValueError):
        hall_plot(tmp_path / "missing", d)


def test_hall_dirac_crossed_fails_without_the_skew_sign_reversal(monkeypatch):
    """The check's clause from the EPL abstract (X + Ψ reverses the sign of the ladder's skew term,
    Eq. 12c) must be able to fail: with the skew term's sign flipped in the printed data the
    reversal no longer holds and the check fails, while its digits against the total still agree."""
    from types import SimpleNamespace

    from streda.verify import hall_checks
    from streda.verify.printed import literature as lit

    orig = lit.dirac_nc_parts

    def flipped(eps, m):
        parts = orig(eps, m)
        return {**parts, "skew": -parts["skew"]}

    monkeypatch.setattr(lit, "dirac_nc_parts", flipped)
    r = hall_checks.hall_dirac_crossed(SimpleNamespace(quick=True))
    assert r["status"] == "fail"
    assert all(not rec["skew_sign_reversed_by_X_Psi"] for rec in r["records"] if "skew_sign_reversed_by_X_Psi" in rec)
    assert all(float(rec["digits"]) >= 8 for rec in r["records"] if "skew_sign_reversed_by_X_Psi" in rec)
