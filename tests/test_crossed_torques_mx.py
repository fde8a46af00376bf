"""Plumbing of the M_x¹ crossed assembly (streda.integrals.crossed_torques_mx): the
two-energy, weighted crossed block and the contour weights, against the isotropic engine."""
import numpy as np

from streda.integrals import crossed_mx as MX
from streda.integrals import crossed_torques as CT
from streda.integrals import crossed_torques_mx as T
from streda.integrals.crossed import DEFAULT_TERMS, block_structure
from streda.integrals.crossed_rashba import block_trace

P = "eps=5/4,Delta=3/10,Mz=2/5,m=1"


def _block(bc, th, bc2=None, weights=None, term=1):
    sides, _, (cp, c2, ck), where = block_structure(DEFAULT_TERMS[term])
    sd = tuple({"R": 1, "A": -1}[x] for x in sides)
    n = m = 0
    L = (cp * bc.circles[n][0] + c2 * bc.circles[m][0] * np.cos(th), c2 * bc.circles[m][0] * np.sin(th))
    return block_trace(bc, bc.P(n, 0.0), bc.P(m, th), L, ck, sd, where, 1 / 2, "", bc2, weights)[0]


def test_weighted_block_is_linear_and_reduces_to_the_plain_block():
    bc = CT.bands("rashba", P)
    for th in (0.7, 2.1):
        plain = _block(bc, th)
        w = _block(bc, th, bc2=bc, weights=lambda a, b, c, d: np.array([np.ones_like(a), 3 * np.ones_like(a)]))
        assert abs(w[0] - plain) < 1e-14 * max(1, abs(plain))
        assert abs(w[1] - 3 * plain) < 1e-13 * max(1, abs(plain))


def test_second_energy_moves_only_the_second_propagator():
    # the block with D₂ at ε + s, against swapping the roles: G(k)G(k₂) with both at ε + s is
    # the ordinary block of the point at ε + s (same projectors)
    bc = CT.bands("rashba", P)
    bs = CT.bands("rashba", P.replace("eps=5/4", "eps=126/100"))
    import dataclasses
    b1 = dataclasses.replace(bs, circles=bc.circles)
    both = _block(b1, 1.3, bc2=b1)
    ref = _block(b1, 1.3)
    assert abs(both - ref) < 1e-14 * max(1, abs(ref))
    one = _block(bc, 1.3, bc2=b1)          # only D₂ moved: between the two
    assert abs(one - ref) > 1e-6 and abs(one - _block(bc, 1.3)) > 1e-6


def test_contour_weights_reproduce_isotropic_combine():
    # the assembly's weights (anisotropic-contour engine, λ(φ), bands matched by sign) give
    # the same Q as crossed_torques.combine for arbitrary moments: pure algebra
    bc = CT.bands("rashba", P)
    order = [c[1] for c in bc.circles]
    rng = np.random.default_rng(1)
    mom = {(f, n, m): rng.normal(size=7) + 1j * rng.normal(size=7)
           for f in ("X", "Psi_R") for n in range(2) for m in range(2)}
    c = MX.contours(MX.model_h("rashba", P), 1.25)
    w = T._weights(c, order)
    A = {n: {a: T._hat(w[n]["A"][a], c.phi) for a in "xyz"} for n in range(2)}
    B = {n: {b: T._hat(w[n]["B"][b], c.phi) for b in "xy"} for n in range(2)}
    mine = T._combine(mom, A, B)
    ref = CT.combine(bc, mom, CT.spin_vertices(bc), CT.velocity_vertices(bc), kmax=3)
    for (a, b), parts in ref.items():
        for f, v in parts.items():
            assert abs(mine[a + b][f] - v) < 1e-12 * max(1, abs(v))


def test_first_order_pieces_sum_to_the_energy_derivative_of_one_block():
    # at fixed θ the block of the point at ε ± s (circles, projectors and both propagators
    # moved) changes by D1 dp₁/dε + D2 dp₂/dε + Z1 + Z2: the decomposition T2 + T3 of the
    # module, checked on one block (the θ-integrated pieces are not: docs/crossed-torques.md)
    import dataclasses

    bc = CT.bands("rashba", P)
    s = 1e-3
    bp = CT.bands("rashba", P.replace("eps=5/4", "eps=1251/1000"))
    bm = CT.bands("rashba", P.replace("eps=5/4", "eps=1249/1000"))
    sides, _, (cp, c2, ck), where = block_structure(DEFAULT_TERMS[1])          # X
    sd = tuple({"R": 1, "A": -1}[x] for x in sides)
    n, m, th, h = 0, 1, 1.0, 1 / 8

    def own(b):            # circles are matched by band sign: their order is not stable in ε
        i, j = ([c[1] for c in b.circles].index(bc.circles[q][1]) for q in (n, m))
        r1, r2 = b.circles[i][0], b.circles[j][0]
        L = (cp * r1 + c2 * r2 * np.cos(th), c2 * r2 * np.sin(th))
        return block_trace(b, b.P(i, 0.0), b.P(j, th), L, ck, sd, where, h)[0], r1, r2

    def blk(b1, b2, r1, r2):
        L = (cp * r1 + c2 * r2 * np.cos(th), c2 * r2 * np.sin(th))
        return block_trace(b1, bc.P(n, 0.0, r1), bc.P(m, th, r2), L, ck, sd, where, h, "", b2)[0]

    (fp, r1p, r2p), (fm, r1m, r2m) = own(bp), own(bm)
    full = (fp - fm) / (2 * s)
    r1, r2 = bc.circles[n][0], bc.circles[m][0]
    d = 1e-3
    D1 = (blk(bc, None, r1 + d, r2) - blk(bc, None, r1 - d, r2)) / (2 * d)
    D2 = (blk(bc, None, r1, r2 + d) - blk(bc, None, r1, r2 - d)) / (2 * d)
    bpe, bme = (dataclasses.replace(b, circles=bc.circles) for b in (bp, bm))
    Z1 = (blk(bpe, bc, r1, r2) - blk(bme, bc, r1, r2)) / (2 * s)
    Z2 = (blk(bc, bpe, r1, r2) - blk(bc, bme, r1, r2)) / (2 * s)
    pieces = D1 * (r1p - r1m) / (2 * s) + D2 * (r2p - r2m) / (2 * s) + Z1 + Z2
    assert abs(pieces - full) < 1e-5 * abs(full)
    # negative control: without the block-energy part (T3) the sum misses
    assert abs(pieces - Z1 - Z2 - full) > 1e-2 * abs(full)
