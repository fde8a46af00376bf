"""The crossed X/Ψ diagrams for an isotropic two-band model (integrals.crossed_rashba).

Independent references: for the massive Dirac model the X part is 4εm(ε² − m²)/(ε² + 3m²)²
and Ψ_R + Ψ_A = 0 (the Feynman-parameter/Glauert route of integrals.crossed, itself checked
against the EPL form); for the Rashba ferromagnet the crossed blocks are compared with the
finite-η mpmath route (integrals.crossed_rashba_radial), which shares no limit bookkeeping.
"""
from __future__ import annotations

import warnings

import mpmath as mp
import numpy as np
import pytest

from streda.integrals import crossed_rashba as CR
from streda.integrals import hall as H
from streda.integrals.crossed import DEFAULT_TERMS, block_structure, x_block_odd
from streda.integrals.crossed_rashba_radial import block_radial, mp_model
from streda.integrals.model import ModelError

RASHBA = "eps=1,Delta=3/10,Mz=2/5,m=1"


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _block(bc, fam, n, m, th, h=1 / 32, control=""):
    term = [t for t in DEFAULT_TERMS if t.family == fam][0]
    sides, _, (cp, c2, ck), where = block_structure(term)
    cn, cm = bc.circles[n], bc.circles[m]
    L = (cp * cn[0] + c2 * cm[0] * np.cos(th), c2 * cm[0] * np.sin(th))
    sd = tuple({"R": 1, "A": -1}[x] for x in sides)
    P1, P2 = bc.P(n, 0.0), bc.P(m, th)
    return CR.block_trace(bc, P1, P2, L, ck, sd, where, h, control)[0], (P1, P2, L, ck, sd, where)


def test_dirac_blocks_equal_the_feynman_glauert_route():
    bc = CR.bands_of("dirac", "eps=2,m=1,v=1", vertex=(3 / 7, 0.0))
    for th in (0.7, 2.0, 2.9):
        a = (_block(bc, "X", 0, 0, th)[0] - _block(bc, "X", 0, 0, -th)[0]) / 2
        assert abs(a - x_block_odd(2, 1, th)) < 1e-12 * abs(a)


def test_dirac_sigma_reproduces_exact_x_and_psi_cancellation():
    e, m = 2.0, 1.0
    r = CR.crossed_sigma("dirac", f"eps={e},m={m},v=1", h=1 / 4, phi_ratio=0.5)
    assert abs(r["X"].real - 4 * e * m * (e * e - m * m) / (e * e + 3 * m * m) ** 2) < 1e-7
    assert abs(r["Psi_R"] + r["Psi_A"]) < 1e-6
    assert r["log_cutoff"] < 1e-10


def test_rashba_block_agrees_with_finite_eta_route():
    ip = H.isotropic_point("rashba", RASHBA)
    bc = CR.bands_from_point(ip, (0.0, 0.0))
    a, (P1, P2, L, ck, sd, where) = _block(bc, "Psi_R", 0, 1, 1.0)
    brk, _, _ = CR._phi_breaks(bc, L, ck)
    hfun, Dcoef = mp_model(ip)
    b = block_radial(hfun, Dcoef, mp.matrix(P1.tolist()), mp.matrix(P2.tolist()), L, ck, sd, where,
                     dps=20, breaks=brk, maxdegree=6)
    assert abs(a - b) < 1e-7 * abs(b)
    # control: the RA block (X) without its on-shell part 2π²g₀/|κ| must move
    x, _ = _block(bc, "X", 0, 0, 1.9)
    c, _ = _block(bc, "X", 0, 0, 1.9, control="no-delta")
    assert abs(c - x) > 1e-3 * abs(x)


def test_rashba_dressed_vertex_is_p_over_m_with_both_subbands():
    # the ladder's w^0 vertex cancels the anomalous velocity: Γ_x = p_x/m, so a_n = p_n/m
    bc = CR.bands_of("rashba", RASHBA)
    assert bc.d[0] == pytest.approx(0, abs=1e-14) and bc.d[1] == pytest.approx(np.sqrt(0.3), rel=1e-14)
    for i, c in enumerate(bc.circles):
        a, b = bc.vertex_ab(i)
        assert a == pytest.approx(c[0], rel=1e-12) and abs(b) < 1e-12


def test_crossed_refused_for_models_without_the_route():
    with pytest.raises(ModelError, match="dirac and rashba"):
        H.hall_conductivity("dresselhaus", "eps=1,Delta=3/10,Mz=2/5", "ladder+crossed")


def test_unknown_control_refused():
    with pytest.raises(ValueError, match="unknown control"):
        CR.crossed_sigma("dirac", "eps=2,m=1,v=1", control="nonsense")
